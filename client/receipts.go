package client

import (
	"encoding/xml"
	"fmt"

	"chat/event"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/jid"
)

// This file is XEP-0184 message delivery receipts and XEP-0333 chat
// markers: requests answered (unless Config.NoReceipts), receipts and
// markers reported as event.Receipt, and the displayed marker sent.

const (
	nsReceipts = "urn:xmpp:receipts"
	nsMarkers  = "urn:xmpp:chat-markers:0"
	nsHints    = "urn:xmpp:hints"
)

// extElement is a child of a message that no named field of inMessage
// takes: chat states, receipts, markers, corrections.
type extElement struct {
	XMLName xml.Name
	ID      string `xml:"id,attr"`
}

// msgExtras is what the extension children of one message say.
type msgExtras struct {
	chatState  string
	receiptReq bool
	receiptOf  string // id a XEP-0184 receipt acknowledges
	markable   bool
	marker     string // received, displayed or acknowledged
	markerOf   string
	replaces   string
}

func scanExtras(ext []extElement) msgExtras {
	var x msgExtras
	for _, el := range ext {
		switch el.XMLName.Space {
		case nsChatStates:
			if x.chatState == "" && isChatState(el.XMLName.Local) {
				x.chatState = el.XMLName.Local
			}
		case nsReceipts:
			switch el.XMLName.Local {
			case "request":
				x.receiptReq = true
			case "received":
				x.receiptOf = el.ID
			}
		case nsMarkers:
			switch el.XMLName.Local {
			case "markable":
				x.markable = true
			case "received", "displayed", "acknowledged":
				x.marker, x.markerOf = el.XMLName.Local, el.ID
			}
		case nsCorrect:
			if el.XMLName.Local == "replace" {
				x.replaces = el.ID
			}
		}
	}
	return x
}

// receiptEvents reports the receipt and marker a message carries, if it
// comes from a contact's client (full JID) and quotes an id.
func (h *handler) receiptEvents(from jid.JID, x msgExtras) {
	if from.Resourcepart() == "" {
		return
	}
	head := event.At(h.e.account)
	peer := from.Bare().String()
	if x.receiptOf != "" {
		h.e.emit(event.Receipt{Header: head, From: from.String(), Peer: peer, ID: x.receiptOf, Marker: "received", Receipt: true})
	}
	if x.marker != "" && x.markerOf != "" {
		h.e.emit(event.Receipt{Header: head, From: from.String(), Peer: peer, ID: x.markerOf, Marker: x.marker})
	}
}

// answerReceipt acknowledges a message that asked for a receipt
// (XEP-0184 §5): not a groupchat or error message, and with an id to
// quote. It is queued, never written from the handler directly.
func (h *handler) answerReceipt(m inMessage, from jid.JID) {
	if h.e.cfg.NoReceipts || m.ID == "" || m.Type == "groupchat" || m.Type == "error" || from.Resourcepart() == "" {
		return
	}
	if !h.discloses(from.String()) {
		return
	}
	h.s.queue(ackStanza(from.String(), m.Type, nsReceipts, "received", m.ID), "")
}

// ackStanza is a message carrying only a receipt or marker for id.
func ackStanza(to, typ, ns, local, id string) xml.TokenReader {
	attrs := []xml.Attr{{Name: xml.Name{Local: "to"}, Value: to}, {Name: xml.Name{Local: "id"}, Value: randomID()}}
	if typ == "chat" || typ == "normal" {
		attrs = append(attrs, xml.Attr{Name: xml.Name{Local: "type"}, Value: typ})
	}
	payload := xmlstream.MultiReader(
		xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: ns, Local: local}, Attr: []xml.Attr{{Name: xml.Name{Local: "id"}, Value: id}}}),
		xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: nsHints, Local: "store"}}),
	)
	return xmlstream.Wrap(payload, xml.StartElement{Name: xml.Name{Local: "message"}, Attr: attrs})
}

// SendDisplayed tells to (the full JID that sent it, or the contact) that
// the message with id, and those before it, have been shown (XEP-0333).
// With Config.NoMarkers it sends nothing.
func (e *Engine) SendDisplayed(to, id string) error {
	if e.cfg.NoMarkers {
		return nil
	}
	j, err := jid.Parse(to)
	if err != nil {
		return fmt.Errorf("displayed marker to %q: %w", to, err)
	}
	if id == "" {
		return fmt.Errorf("displayed marker to %s: no message id", j)
	}
	s := e.current()
	if s == nil {
		return fmt.Errorf("displayed marker to %s: %w", j, ErrOffline)
	}
	s.queue(ackStanza(j.String(), "chat", nsMarkers, "displayed", id), "displayed marker to "+j.String())
	return nil
}
