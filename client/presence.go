package client

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"

	"chat/event"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/jid"
)

// Presence is our own presence: Show is "" (available), away, chat, dnd or
// xa.
type Presence struct {
	Show     string
	Status   string
	Priority int
}

// Shows lists the valid values of Presence.Show besides "".
var Shows = []string{"away", "chat", "dnd", "xa"}

type inPresence struct {
	From     string       `xml:"from,attr"`
	Type     string       `xml:"type,attr"`
	Show     string       `xml:"show"`
	Status   string       `xml:"status"`
	Priority string       `xml:"priority"`
	Error    *stanzaError `xml:"error"`
	Caps     *inCaps      `xml:"http://jabber.org/protocol/caps c"`
	Nick     string       `xml:"http://jabber.org/protocol/nick nick"`
}

func (h *handler) presence(d *xml.Decoder) error {
	var p inPresence
	if err := d.Decode(&p); err != nil {
		return fmt.Errorf("decode presence: %w", err)
	}
	if p.From != "" {
		if _, err := jid.Parse(p.From); err != nil {
			return fmt.Errorf("bad from %q: %w", p.From, err)
		}
	}
	head := event.At(h.e.account)
	switch p.Type {
	case "", "unavailable":
		prio, err := strconv.ParseInt(strings.TrimSpace(p.Priority), 10, 8) // RFC 6121 §4.7.2.3: -128..127
		if err != nil {
			prio = 0 // absent, garbage or out of range (ParseInt would return a clamped value)
		}
		from := p.From
		if from == "" {
			from = h.e.account
		}
		h.e.emit(event.Presence{Header: head, From: from, Available: p.Type == "", Show: normalShow(p.Show), Status: p.Status, Priority: int(prio)})
		if p.Type == "" {
			h.peerCaps(p.From, p.Caps)
		} else {
			h.e.caps.setPeer(normalJID(p.From), "")
		}
	case "subscribe", "subscribed", "unsubscribe", "unsubscribed":
		h.e.emit(event.Subscription{Header: head, From: bareOf(p.From), Type: p.Type, Status: p.Status, Nick: clip(p.Nick, maxNickLen)})
	case "error":
		h.e.emit(event.Error{Header: head, Context: "presence error from " + orServer(p.From), Text: p.Error.String(), From: p.From})
	}
	return nil
}

func normalShow(s string) string {
	for _, v := range Shows {
		if s == v {
			return s
		}
	}
	return ""
}

func bareOf(s string) string {
	j, err := jid.Parse(s)
	if err != nil {
		return s
	}
	return j.Bare().String()
}

// presenceStanza builds our broadcast presence, with our XEP-0115 caps.
func (e *Engine) presenceStanza(p Presence) xml.TokenReader {
	return presenceTo("", "", p, e.capsElement())
}

func presenceTo(to, typ string, p Presence, extra ...xml.TokenReader) xml.TokenReader {
	var attrs []xml.Attr
	if to != "" {
		attrs = append(attrs, xml.Attr{Name: xml.Name{Local: "to"}, Value: to})
	}
	if typ != "" {
		attrs = append(attrs, xml.Attr{Name: xml.Name{Local: "type"}, Value: typ})
	}
	var inner []xml.TokenReader
	if p.Show != "" {
		inner = append(inner, textElement("show", p.Show))
	}
	if p.Status != "" {
		inner = append(inner, textElement("status", p.Status))
	}
	if typ == "" && p.Priority != 0 {
		inner = append(inner, textElement("priority", strconv.Itoa(p.Priority)))
	}
	for _, x := range extra {
		if x != nil {
			inner = append(inner, x)
		}
	}
	return xmlstream.Wrap(xmlstream.MultiReader(inner...), xml.StartElement{Name: xml.Name{Local: "presence"}, Attr: attrs})
}

func textElement(name, text string) xml.TokenReader {
	return xmlstream.Wrap(xmlstream.Token(xml.CharData(text)), xml.StartElement{Name: xml.Name{Local: name}})
}

// SetPresence changes our presence. It is remembered and sent again after
// every reconnect; while offline it is only remembered.
func (e *Engine) SetPresence(p Presence) {
	e.mu.Lock()
	e.presence = p
	s := e.sess
	e.mu.Unlock()
	e.lastActive.touch()
	if s != nil {
		s.queue(e.presenceStanza(p), "")
	}
}

// CurrentPresence returns the presence we announce.
func (e *Engine) CurrentPresence() Presence {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.presence
}

// Subscription sends a subscription stanza to contact: "subscribe" asks to
// see their presence, "subscribed" allows them to see ours (also before
// they ask: pre-approval), "unsubscribe" and "unsubscribed" undo those.
func (e *Engine) Subscription(contact, typ string) error {
	switch typ {
	case "subscribe", "subscribed", "unsubscribe", "unsubscribed":
	default:
		return fmt.Errorf("subscription type %q: want subscribe, subscribed, unsubscribe or unsubscribed", typ)
	}
	j, err := jid.Parse(contact)
	if err != nil {
		return fmt.Errorf("%s %s: %w", typ, contact, err)
	}
	s := e.current()
	if s == nil {
		return fmt.Errorf("%s %s: %w", typ, contact, ErrOffline)
	}
	s.queue(presenceTo(j.Bare().String(), typ, Presence{}), "")
	return nil
}

func (e *Engine) current() *session {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.sess
}
