package client

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"chat/event"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/jid"
)

type inMessage struct {
	ID       string       `xml:"id,attr"`
	From     string       `xml:"from,attr"`
	To       string       `xml:"to,attr"`
	Type     string       `xml:"type,attr"`
	Lang     string       `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Body     []langText   `xml:"body"`
	HTML     *xhtmlIM     `xml:"http://jabber.org/protocol/xhtml-im html"`
	Subject  []langText   `xml:"subject"`
	Thread   string       `xml:"thread"`
	Delay    *delay       `xml:"urn:xmpp:delay delay"`
	OriginID *sid         `xml:"urn:xmpp:sid:0 origin-id"`
	StanzaID []sid        `xml:"urn:xmpp:sid:0 stanza-id"`
	Error    *stanzaError `xml:"error"`
	Received *carbonWrap  `xml:"urn:xmpp:carbons:2 received"`
	Sent     *carbonWrap  `xml:"urn:xmpp:carbons:2 sent"`
	PEP      *pepEvent    `xml:"http://jabber.org/protocol/pubsub#event event"`
	Ext      []extElement `xml:",any"` // chat states, receipts, markers, corrections (scanExtras)
}

// xhtmlIM is a XEP-0071 payload; its body is kept as raw XML for package
// xhtml to parse with its whitelist and limits.
type xhtmlIM struct {
	Bodies []rawInner `xml:"http://www.w3.org/1999/xhtml body"`
}

// rawInner keeps an element's children as XML text. (encoding/xml's
// innerxml needs the raw bytes, which a token stream does not have.)
type rawInner struct{ Inner string }

func (r *rawInner) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var b strings.Builder
	enc := xml.NewEncoder(&b)
	for depth := 0; ; {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			tok = withoutNSAttrs(t)
		case xml.EndElement:
			if depth == 0 {
				if err := enc.Flush(); err != nil {
					return err
				}
				r.Inner = b.String()
				return nil
			}
			depth--
		case xml.ProcInst, xml.Directive:
			continue
		}
		if err := enc.EncodeToken(tok); err != nil {
			return err
		}
	}
}

type delay struct {
	From  string `xml:"from,attr"`
	Stamp string `xml:"stamp,attr"`
}

type sid struct {
	ID string `xml:"id,attr"`
	By string `xml:"by,attr"`
}

type carbonWrap struct {
	Forwarded *struct {
		Message *inMessage `xml:"message"`
	} `xml:"urn:xmpp:forward:0 forwarded"`
}

// stanzaError is the error child of a stanza, read leniently.
type stanzaError struct {
	Type      string `xml:"type,attr"`
	Condition string `xml:"-"`
	Text      string `xml:"urn:ietf:params:xml:ns:xmpp-stanzas text"`
	Children  []struct {
		XMLName xml.Name
	} `xml:",any"`
}

// String renders the condition and text, e.g. "service-unavailable: no such user".
func (se *stanzaError) String() string {
	if se == nil {
		return "unknown error"
	}
	cond := "undefined-condition"
	for _, c := range se.Children {
		if c.XMLName.Space == "urn:ietf:params:xml:ns:xmpp-stanzas" && c.XMLName.Local != "text" {
			cond = c.XMLName.Local
			break
		}
	}
	if se.Text != "" {
		return cond + ": " + se.Text
	}
	return cond
}

func (h *handler) message(d *xml.Decoder) error {
	var m inMessage
	if err := d.Decode(&m); err != nil {
		return fmt.Errorf("decode message: %w", err)
	}
	outgoing, carbon := false, false
	if fw := forwardedOf(&m); fw != nil {
		if err := h.checkCarbon(m, *fw); err != nil {
			return err
		}
		outgoing, carbon = m.Sent != nil, true
		m = *fw
	}
	return h.emitMessage(m, outgoing, carbon)
}

// forwardedOf returns the forwarded message of a XEP-0280 carbon, or nil.
func forwardedOf(m *inMessage) *inMessage {
	for _, w := range []*carbonWrap{m.Received, m.Sent} {
		if w != nil && w.Forwarded != nil && w.Forwarded.Message != nil {
			return w.Forwarded.Message
		}
	}
	return nil
}

// emitMessage reports a message (a carbon's copy when carbon), and what
// its extensions say. Receipts are answered only for a message sent to
// this client: a carbon's is answered by the client it went to.
func (h *handler) emitMessage(m inMessage, outgoing, carbon bool) error {
	from, err := parseOr(m.From, h.e.cfg.JID.Bare()) // RFC 6120 §8.1.2.1: no from = our account
	if err != nil {
		return fmt.Errorf("bad from %q: %w", m.From, err)
	}
	if m.Type == "error" {
		h.e.emit(event.Error{Header: event.At(h.e.account), Context: "message to " + from.String() + " failed", Text: m.Error.String(), From: from.String()})
		return nil
	}
	x := scanExtras(m.Ext)
	if !outgoing {
		h.receiptEvents(from, x)
		h.pepNick(from, m.PEP)
	}
	body := pickLang(m.Body, m.Lang, h.e.cfg.Lang)
	subject := pickLang(m.Subject, m.Lang, h.e.cfg.Lang)
	if body == "" && subject == "" {
		if !outgoing {
			h.chatStateEvent(m, from, x.chatState) // standalone: not a message
		}
		return nil
	}
	peer := from.Bare().String()
	if outgoing {
		to, err := jid.Parse(m.To)
		if err != nil {
			return fmt.Errorf("bad to %q in carbon: %w", m.To, err)
		}
		peer = to.Bare().String()
	}
	now := time.Now()
	ev := event.Message{
		Header: event.Header{Time: now, Account: h.e.account}, Outgoing: outgoing,
		From: from.String(), To: m.To, Peer: peer, ID: m.ID, Type: orDefault(m.Type, "normal"),
		Thread: m.Thread, Subject: subject, Body: body, Stamp: now,
		Replaces: x.replaces, Receipt: x.receiptReq, Markable: x.markable,
	}
	if m.OriginID != nil {
		ev.OriginID = m.OriginID.ID
	}
	if m.HTML != nil && len(m.HTML.Bodies) > 0 {
		ev.XHTML = m.HTML.Bodies[0].Inner
	}
	for _, s := range m.StanzaID {
		if h.isOurs(s.By) {
			ev.StanzaID = s.ID
		}
	}
	h.placeByDelay(&ev, m.Delay, now)
	h.e.emit(ev)
	if !outgoing {
		h.chatStateEvent(m, from, x.chatState)
	}
	if x.receiptReq && !outgoing && !carbon {
		h.answerReceipt(m, from)
	}
	return nil
}

func parseOr(s string, def jid.JID) (jid.JID, error) {
	if s == "" {
		return def, nil
	}
	return jid.Parse(s)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// OutMessage is a message to send.
type OutMessage struct {
	To     string
	Body   string
	Type   string // chat (default) or normal
	Thread string
	XHTML  string // optional XEP-0071 alternative: the XML inside <body>, already validated

	// Replaces is the id of our earlier message this one corrects
	// (XEP-0308): the ID of the event SendMessage returned for it.
	Replaces string
}

// SendMessage queues a message and returns the event that records it (with
// the id and origin-id it will carry), or ErrOffline.
func (e *Engine) SendMessage(m OutMessage) (event.Message, error) {
	to, err := jid.Parse(m.To)
	if err != nil {
		return event.Message{}, fmt.Errorf("send to %q: %w", m.To, err)
	}
	s := e.current()
	if s == nil {
		return event.Message{}, fmt.Errorf("send to %s: %w", to, ErrOffline)
	}
	typ := orDefault(m.Type, "chat")
	id := randomID()
	out := outStanza{to: to.String(), typ: typ, id: id, msg: m,
		receipt:  typ != "groupchat" && e.Supports(to.String(), nsReceipts),
		markable: typ == "chat" && e.Supports(to.String(), nsMarkers)}
	stanza, err := messageStanza(out)
	if err != nil {
		return event.Message{}, fmt.Errorf("send to %s: %w", to, err)
	}
	s.queue(stanza, "message to "+to.String())
	e.lastActive.touch()
	now := time.Now()
	return event.Message{
		Header: event.Header{Time: now, Account: e.account}, Outgoing: true,
		From: s.xs.LocalAddr().String(), To: to.String(), Peer: to.Bare().String(),
		ID: id, OriginID: id, Type: typ, Thread: m.Thread, Body: m.Body, XHTML: m.XHTML, Stamp: now,
		Replaces: m.Replaces, Receipt: out.receipt, Markable: out.markable,
	}, nil
}

// outStanza is a message to write: OutMessage and what the engine adds.
type outStanza struct {
	to, typ, id       string
	msg               OutMessage
	receipt, markable bool // ask for a XEP-0184 receipt; XEP-0333 markable
}

func messageStanza(o outStanza) (xml.TokenReader, error) {
	to, typ, id := o.to, o.typ, o.id
	inner := []xml.TokenReader{textElement("body", o.msg.Body)}
	if o.msg.Thread != "" {
		inner = append(inner, textElement("thread", o.msg.Thread))
	}
	if o.msg.XHTML != "" {
		html, err := xhtmlPayload(o.msg.XHTML)
		if err != nil {
			return nil, err
		}
		inner = append(inner, html)
	}
	inner = append(inner, extensionsOut(o)...)
	inner = append(inner, xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: nsSID, Local: "origin-id"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "id"}, Value: id}}}))
	return xmlstream.Wrap(xmlstream.MultiReader(inner...), xml.StartElement{Name: xml.Name{Local: "message"}, Attr: []xml.Attr{
		{Name: xml.Name{Local: "to"}, Value: to},
		{Name: xml.Name{Local: "type"}, Value: typ},
		{Name: xml.Name{Local: "id"}, Value: id},
	}}), nil
}

// xhtmlPayload wraps the inner XML of an XHTML-IM body, checking first that
// it is well-formed so that a bad fragment cannot break the stream.
func xhtmlPayload(inner string) (xml.TokenReader, error) {
	d := xml.NewDecoder(strings.NewReader("<body xmlns='http://www.w3.org/1999/xhtml'>" + inner + "</body>"))
	var toks []xml.Token
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("XHTML is not well-formed: %w", err)
		}
		if start, ok := tok.(xml.StartElement); ok {
			tok = withoutNSAttrs(start) // the encoder writes xmlns from Name.Space
		}
		toks = append(toks, xml.CopyToken(tok))
	}
	i := 0
	body := xmlstream.ReaderFunc(func() (xml.Token, error) {
		if i >= len(toks) {
			return nil, io.EOF
		}
		i++
		return toks[i-1], nil
	})
	return xmlstream.Wrap(body, xml.StartElement{Name: xml.Name{Space: nsXHTMLIM, Local: "html"}}), nil
}

func withoutNSAttrs(start xml.StartElement) xml.StartElement {
	attrs := start.Attr[:0:0]
	for _, a := range start.Attr {
		if a.Name.Local != "xmlns" && a.Name.Space != "xmlns" {
			attrs = append(attrs, a)
		}
	}
	start.Attr = attrs
	return start
}
