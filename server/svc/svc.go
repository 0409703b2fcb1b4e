// Package svc is what the embedded server's small component services (the
// SOCKS5 proxy, HTTP upload) share: reading the IQ a component receives
// and writing its answers. The server has already checked and stamped the
// stanza, so from is the sender's real address.
//
// It must not import package server or the chat client: it knows only
// serialised stanzas.
package svc

import (
	"bytes"
	"encoding/xml"
	"fmt"
)

const nsStanzas = "urn:ietf:params:xml:ns:xmpp-stanzas"

// IQ is a request addressed to a component.
type IQ struct {
	Kind, Type, ID, From, To string
	// Payload is the first child element's name; Inner the serialised
	// children, as received.
	Payload xml.Name
	Attrs   []xml.Attr // the payload's attributes
	Inner   []byte
}

type wire struct {
	XMLName xml.Name
	Type    string `xml:"type,attr"`
	ID      string `xml:"id,attr"`
	From    string `xml:"from,attr"`
	To      string `xml:"to,attr"`
	Inner   []byte `xml:",innerxml"`
	Kids    []struct {
		XMLName xml.Name
		Attrs   []xml.Attr `xml:",any,attr"`
	} `xml:",any"`
}

// Parse reads a stanza's envelope and first child.
func Parse(raw []byte) (IQ, error) {
	var w wire
	if err := xml.Unmarshal(raw, &w); err != nil {
		return IQ{}, fmt.Errorf("parse stanza: %w", err)
	}
	q := IQ{Kind: w.XMLName.Local, Type: w.Type, ID: w.ID, From: w.From, To: w.To, Inner: w.Inner}
	if len(w.Kids) > 0 {
		q.Payload, q.Attrs = w.Kids[0].XMLName, w.Kids[0].Attrs
	}
	return q, nil
}

// Attr returns the payload's plain attribute local.
func (q IQ) Attr(local string) string {
	for _, a := range q.Attrs {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// IsRequest reports whether q is an IQ get or set, which must be answered.
func (q IQ) IsRequest() bool { return q.Kind == "iq" && (q.Type == "get" || q.Type == "set") }

// Result is the answer to q with payload (serialised XML, may be empty).
func Result(q IQ, payload []byte) []byte {
	var b bytes.Buffer
	b.WriteString("<iq type='result'")
	attr(&b, "id", q.ID)
	attr(&b, "from", q.To)
	attr(&b, "to", q.From)
	b.WriteString(">")
	b.Write(payload)
	b.WriteString("</iq>")
	return b.Bytes()
}

// Error is the error answer to q: typ and a defined condition, with an
// optional application element (serialised XML).
func Error(q IQ, typ, cond string, app []byte) []byte {
	var b bytes.Buffer
	b.WriteString("<" + q.Kind + " type='error'")
	attr(&b, "id", q.ID)
	attr(&b, "from", q.To)
	attr(&b, "to", q.From)
	b.WriteString("><error type='" + typ + "'><" + cond + " xmlns='" + nsStanzas + "'/>")
	b.Write(app)
	b.WriteString("</error></" + q.Kind + ">")
	return b.Bytes()
}

// Attr writes name='value' escaped, if value is not empty.
func attr(b *bytes.Buffer, name, value string) {
	if value == "" {
		return
	}
	b.WriteString(" " + name + "='")
	_ = xml.EscapeText(b, []byte(value))
	b.WriteString("'")
}

// Escape returns s escaped for an attribute or text.
func Escape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// DiscoInfo is a disco#info result payload with one identity and the
// features; extra (serialised XML, such as a XEP-0128 form) goes inside.
func DiscoInfo(category, typ, name string, features []string, extra []byte) []byte {
	var b bytes.Buffer
	b.WriteString("<query xmlns='http://jabber.org/protocol/disco#info'><identity")
	attr(&b, "category", category)
	attr(&b, "type", typ)
	attr(&b, "name", name)
	b.WriteString("/>")
	for _, f := range features {
		b.WriteString("<feature")
		attr(&b, "var", f)
		b.WriteString("/>")
	}
	b.Write(extra)
	b.WriteString("</query>")
	return b.Bytes()
}

// Handled answers the IQs every component must: disco#info (with info)
// and disco#items (empty), and refuses other requests. It returns the
// answer, or nil when q is not one of these.
func Handled(q IQ, info []byte) []byte {
	switch {
	case q.Payload.Space == "http://jabber.org/protocol/disco#info" && q.Type == "get":
		if q.Attr("node") != "" {
			return Error(q, "cancel", "item-not-found", nil)
		}
		return Result(q, info)
	case q.Payload.Space == "http://jabber.org/protocol/disco#items" && q.Type == "get":
		return Result(q, []byte("<query xmlns='http://jabber.org/protocol/disco#items'/>"))
	case q.Payload.Space == "urn:xmpp:ping" && q.Type == "get":
		return Result(q, nil)
	}
	return nil
}
