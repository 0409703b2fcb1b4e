package client

import (
	"encoding/xml"
	"fmt"
	"runtime"

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

// features are the disco#info features we answer with.
var features = []string{nsDiscoInfo, nsPing, nsVersion, nsCarbons, nsSID, nsXHTMLIM}

type iqInfo struct {
	ID, Type, From string
}

// iq answers an incoming IQ get or set through the mux table; results and
// errors to our own requests never reach here (mellium routes them).
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

func handleVersion(_ *handler, info iqInfo, _ *xml.Decoder, _ xml.StartElement) (xml.TokenReader, error) {
	if info.Type != "get" {
		return nil, stanza.Error{Type: stanza.Cancel, Condition: stanza.BadRequest}
	}
	el := func(name, text string) xml.TokenReader {
		return xmlstream.Wrap(xmlstream.Token(xml.CharData(text)), xml.StartElement{Name: xml.Name{Local: name}})
	}
	return xmlstream.Wrap(
		xmlstream.MultiReader(el("name", ClientName), el("version", ClientVersion), el("os", runtime.GOOS)),
		xml.StartElement{Name: xml.Name{Space: nsVersion, Local: "query"}},
	), nil
}

func handleDiscoInfo(_ *handler, info iqInfo, _ *xml.Decoder, _ xml.StartElement) (xml.TokenReader, error) {
	if info.Type != "get" {
		return nil, stanza.Error{Type: stanza.Cancel, Condition: stanza.BadRequest}
	}
	parts := []xml.TokenReader{xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Local: "identity"}, Attr: []xml.Attr{
		{Name: xml.Name{Local: "category"}, Value: "client"},
		{Name: xml.Name{Local: "type"}, Value: "console"},
		{Name: xml.Name{Local: "name"}, Value: ClientName},
	}})}
	for _, f := range features {
		parts = append(parts, xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Local: "feature"},
			Attr: []xml.Attr{{Name: xml.Name{Local: "var"}, Value: f}}}))
	}
	return xmlstream.Wrap(xmlstream.MultiReader(parts...),
		xml.StartElement{Name: xml.Name{Space: nsDiscoInfo, Local: "query"}}), nil
}

// answer hands the reply to an IQ we sent through the ordered queue to
// the callback waiting for it. Only our server may answer those (they are
// all addressed to it); a reply from anyone else is ignored.
func (h *handler) answer(info iqInfo, d *xml.Decoder) error {
	if !h.fromOwnAccount(info.From) && info.From != h.e.cfg.JID.Domainpart() {
		return nil
	}
	done, ok := h.s.takeReply(info.ID)
	if !ok {
		return nil
	}
	if info.Type == "result" {
		done(nil)
		return nil
	}
	var reply struct {
		Error *stanzaError `xml:"error"`
	}
	_ = d.Decode(&reply)
	done(fmt.Errorf("%s", reply.Error.String()))
	return nil
}
