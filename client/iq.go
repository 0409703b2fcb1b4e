package client

import (
	"encoding/xml"
	"fmt"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/jid"
	"mellium.im/xmpp/stanza"
)

const (
	nsRoster    = "jabber:iq:roster"
	nsPing      = "urn:xmpp:ping"
	nsVersion   = "jabber:iq:version"
	nsDiscoInfo = "http://jabber.org/protocol/disco#info"
	nsCarbons   = "urn:xmpp:carbons:2"
	nsForward   = "urn:xmpp:forward:0"
	nsDelay     = "urn:xmpp:delay"
	nsSID       = "urn:xmpp:sid:0"
	nsXHTMLIM   = "http://jabber.org/protocol/xhtml-im"
)

// ClientName and ClientVersion are answered to XEP-0092 version queries.
const (
	ClientName    = "chat"
	ClientVersion = "0.1"
)

type iqInfo struct {
	ID, Type, From string
}

// iq answers an incoming IQ get or set through the mux table, and hands
// results and errors to the requests waiting for them.
func (h *handler) iq(t xmlstream.TokenReadEncoder, d *xml.Decoder, start xml.StartElement) error {
	info := iqInfo{ID: attrValue(start, "id"), Type: attrValue(start, "type"), From: attrValue(start, "from")}
	if info.Type == "result" || info.Type == "error" {
		return h.answer(info, d)
	}
	if info.Type != "get" && info.Type != "set" {
		return nil
	}
	if _, err := d.Token(); err != nil { // the iq start element itself
		return fmt.Errorf("read iq: %w", err)
	}
	payload, err := firstChild(d)
	if err != nil {
		return fmt.Errorf("read iq: %w", err)
	}
	var result xml.TokenReader
	fn, ok := iqHandlers[payload.Name]
	if !ok {
		err = stanza.Error{Type: stanza.Cancel, Condition: stanza.ServiceUnavailable}
	} else {
		result, err = fn(h, info, d, payload)
	}
	return h.reply(t, info, result, err)
}

func (h *handler) reply(t xmlstream.TokenReadEncoder, info iqInfo, payload xml.TokenReader, err error) error {
	to, _ := jid.Parse(info.From)
	iq := stanza.IQ{ID: info.ID, To: to, Type: stanza.ResultIQ}
	if se, ok := err.(stanza.Error); ok {
		iq.Type = stanza.ErrorIQ
		payload = se.TokenReader()
		err = nil
	}
	if _, werr := xmlstream.Copy(t, iq.Wrap(payload)); werr != nil {
		return werr
	}
	return err
}

// firstChild returns the first child element's start token.
func firstChild(d *xml.Decoder) (xml.StartElement, error) {
	for {
		tok, err := d.Token()
		if err != nil {
			return xml.StartElement{}, err
		}
		if s, ok := tok.(xml.StartElement); ok {
			return s, nil
		}
	}
}

func handlePing(*handler, iqInfo, *xml.Decoder, xml.StartElement) (xml.TokenReader, error) {
	return nil, nil
}

// answer hands an IQ result or error to the request waiting for it
// (request.go), if it comes from where the request went; anything else
// is dropped.
func (h *handler) answer(info iqInfo, d *xml.Decoder) error {
	children, err := iqChildren(d)
	if err != nil { // too large, say: the request fails now rather than time out
		err = fmt.Errorf("read iq %s: %w", info.Type, err)
		if h.s.resolve(info.ID, info.From, h.e.cfg.JID, iqResult{err: err}) {
			return nil // reported by the requester
		}
		return err
	}
	res := iqResult{reply: &iqReply{From: info.From, payload: children}}
	if info.Type == "error" {
		res = iqResult{err: &IQError{From: info.From, Err: parseStanzaError(children)}}
	}
	h.s.resolve(info.ID, info.From, h.e.cfg.JID, res)
	return nil
}

// iqChildren reads a whole <iq/> from d and returns copies of the tokens
// inside it.
func iqChildren(d *xml.Decoder) ([]xml.Token, error) {
	if _, err := d.Token(); err != nil { // the iq start element itself
		return nil, err
	}
	var out []xml.Token
	for depth := 0; ; {
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return out, nil
			}
			depth--
		case xml.ProcInst, xml.Directive, xml.Comment:
			continue
		}
		out = append(out, xml.CopyToken(tok))
	}
}

// parseStanzaError reads the <error/> among an IQ's children, leniently:
// no error element, or one without a known condition, gives
// undefined-condition rather than a failure.
func parseStanzaError(children []xml.Token) stanza.Error {
	d := xml.NewTokenDecoder(&tokenSlice{toks: children})
	for {
		tok, err := d.Token()
		if err != nil {
			return stanza.Error{Condition: stanza.UndefinedCondition}
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if start.Name.Local != "error" {
			if d.Skip() != nil { // the echoed request, say
				return stanza.Error{Condition: stanza.UndefinedCondition}
			}
			continue
		}
		var raw struct {
			Type     string `xml:"type,attr"`
			Text     string `xml:"urn:ietf:params:xml:ns:xmpp-stanzas text"`
			Children []struct {
				XMLName xml.Name
			} `xml:",any"`
		}
		if d.DecodeElement(&raw, &start) != nil {
			return stanza.Error{Condition: stanza.UndefinedCondition}
		}
		se := stanza.Error{Type: stanza.ErrorType(raw.Type), Condition: stanza.UndefinedCondition}
		for _, c := range raw.Children {
			if c.XMLName.Space == stanza.NSError && c.XMLName.Local != "text" {
				se.Condition = stanza.Condition(c.XMLName.Local)
				break
			}
		}
		if raw.Text != "" {
			se.Text = map[string]string{"": raw.Text}
		}
		return se
	}
}
