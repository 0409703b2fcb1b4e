package xmpptest

import (
	"strings"

	"chat/event"
)

// IsMessage matches a message from the bare JID from with this body.
func IsMessage(from, body string) func(event.Event) bool {
	return func(ev event.Event) bool {
		m, ok := ev.(event.Message)
		return ok && m.Peer == from && m.Body == body
	}
}

// IsConn matches a change to this connection state.
func IsConn(state event.State) func(event.Event) bool {
	return func(ev event.Event) bool {
		c, ok := ev.(event.ConnState)
		return ok && c.State == state
	}
}

// IsRoster matches the roster fetched after a login.
func IsRoster(ev event.Event) bool { _, ok := ev.(event.Roster); return ok }

// IsPush matches a roster push for contact with this subscription.
func IsPush(contact, sub string) func(event.Event) bool {
	return func(ev event.Event) bool {
		p, ok := ev.(event.RosterPush)
		return ok && p.Item.JID == contact && p.Item.Subscription == sub
	}
}

// IsPresence matches presence from an address starting with fromPrefix.
func IsPresence(fromPrefix string, available bool) func(event.Event) bool {
	return func(ev event.Event) bool {
		p, ok := ev.(event.Presence)
		return ok && strings.HasPrefix(p.From, fromPrefix) && p.Available == available
	}
}

// IsSubscription matches a subscription request or answer of this type.
func IsSubscription(from, typ string) func(event.Event) bool {
	return func(ev event.Event) bool {
		s, ok := ev.(event.Subscription)
		return ok && s.From == from && s.Type == typ
	}
}
