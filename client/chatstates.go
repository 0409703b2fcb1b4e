package client

import (
	"encoding/xml"
	"fmt"

	"chat/event"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/jid"
)

// This file is XEP-0085 chat state notifications: reported from a
// contact's full JID as event.ChatState, and sent with SendChatState.
// A message with only a chat state is not a message: it is never
// reported as event.Message, so it is not stored.

const nsChatStates = "http://jabber.org/protocol/chatstates"

func isChatState(s string) bool {
	switch s {
	case event.Active, event.Composing, event.Paused, event.Inactive, event.Gone:
		return true
	}
	return false
}

// chatStateEvent reports a contact's chat state. Only a full JID has a
// chat state (XEP-0085 §5.1), and only in a one-to-one chat: a state
// from a bare JID or in a groupchat message is ignored.
func (h *handler) chatStateEvent(m inMessage, from jid.JID, state string) {
	if state == "" || from.Resourcepart() == "" || m.Type == "groupchat" || m.Type == "error" {
		return
	}
	h.e.emit(event.ChatState{Header: event.At(h.e.account), From: from.String(), Peer: from.Bare().String(), State: state})
}

// SendChatState sends a standalone chat state (composing, paused, active,
// inactive or gone) to to, with a hint that servers should not store it.
// Whether the peer wants them (Supports(to, nsChatStates), a setting) is
// the caller's decision.
func (e *Engine) SendChatState(to, state string) error {
	if !isChatState(state) {
		return fmt.Errorf("chat state %q: want active, composing, paused, inactive or gone", state)
	}
	j, err := jid.Parse(to)
	if err != nil {
		return fmt.Errorf("chat state to %q: %w", to, err)
	}
	s := e.current()
	if s == nil {
		return fmt.Errorf("chat state to %s: %w", j, ErrOffline)
	}
	payload := xmlstream.MultiReader(
		xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: nsChatStates, Local: state}}),
		xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: nsHints, Local: "no-store"}}),
	)
	s.queue(xmlstream.Wrap(payload, xml.StartElement{Name: xml.Name{Local: "message"}, Attr: []xml.Attr{
		{Name: xml.Name{Local: "to"}, Value: j.String()},
		{Name: xml.Name{Local: "type"}, Value: "chat"},
		{Name: xml.Name{Local: "id"}, Value: randomID()},
	}}), "")
	return nil
}
