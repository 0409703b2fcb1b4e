package client

import (
	"chat/event"

	"mellium.im/xmpp/jid"
)

// This file is XEP-0172 user nickname: a contact's own nickname from a
// PEP notification (we ask for them with the nick+notify feature), or
// from the <nick/> of a subscription request.

const (
	nsNick     = "http://jabber.org/protocol/nick"
	maxNickLen = 256 // bytes of a nickname kept; more is cut at a rune boundary
)

// pepEvent is a XEP-0163 notification, read only as far as the nick node.
type pepEvent struct {
	Items []struct {
		Node  string `xml:"node,attr"`
		Items []struct {
			Nick *string `xml:"http://jabber.org/protocol/nick nick"`
		} `xml:"item"`
		Retract []struct{} `xml:"retract"`
	} `xml:"items"`
}

// pepNick reports a nickname notification. PEP notifications come from
// the contact's bare JID (their server speaks for their account); one
// from a full JID or another node is ignored.
func (h *handler) pepNick(from jid.JID, ev *pepEvent) {
	if ev == nil || from.Resourcepart() != "" || from.Localpart() == "" {
		return
	}
	for _, items := range ev.Items {
		if items.Node != nsNick {
			continue
		}
		nick, ok := "", len(items.Retract) > 0
		for _, it := range items.Items {
			if it.Nick != nil {
				nick, ok = *it.Nick, true
			}
		}
		if ok {
			h.e.emit(event.Nick{Header: event.At(h.e.account), From: from.String(), Nick: clip(nick, maxNickLen)})
		}
		return
	}
}

// clip cuts s to at most n bytes without splitting a rune.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
