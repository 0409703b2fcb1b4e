package muc

import (
	"encoding/xml"
	"fmt"
	"time"

	"mellium.im/xmpp/jid"
)

// StanzaID is a XEP-0359 stanza-id and the entity that set it.
type StanzaID struct{ ID, By string }

// Delay is a XEP-0203 delay: when a message was first sent and who says so.
type Delay struct {
	Stamp time.Time
	From  string
}

// Invite is an invitation to a room: mediated (through the room,
// XEP-0045 §7.8.2) or direct (XEP-0249).
type Invite struct {
	Room     string // bare room JID
	From     string // who invites
	Reason   string
	Password string
	Direct   bool
}

// Message is a parsed message from a room, an occupant, or (for a direct
// invitation) anyone.
type Message struct {
	From       jid.JID
	ID         string
	Type       string
	Body       string
	Subject    string
	HasSubject bool // a subject element was present (an empty one clears the subject)
	Delay      *Delay
	OriginID   string
	StanzaIDs  []StanzaID // at most 8
	MUCUser    bool       // it carried a muc#user x (private messages through a room do)
	Codes      []int      // muc#user status codes (104, 170, …)
	Invite     *Invite
	Declined   string // a mediated invitation declined by this JID
	Error      *Error
}

// StanzaIDBy returns the stanza-id set by the entity by, if any.
func (m Message) StanzaIDBy(by string) string {
	for _, s := range m.StanzaIDs {
		if s.By == by {
			return s.ID
		}
	}
	return ""
}

type rawSID struct {
	ID string `xml:"id,attr"`
	By string `xml:"by,attr"`
}

type rawDelay struct {
	Stamp string `xml:"stamp,attr"`
	From  string `xml:"from,attr"`
}

type rawInvite struct {
	From   string `xml:"from,attr"`
	Reason string `xml:"reason"`
}

type rawDecline struct {
	From string `xml:"from,attr"`
}

type rawMsgUser struct {
	Status   []rawStatus `xml:"status"`
	Invite   *rawInvite  `xml:"invite"`
	Decline  *rawDecline `xml:"decline"`
	Password string      `xml:"password"`
}

type rawConference struct {
	JID      string `xml:"jid,attr"`
	Password string `xml:"password,attr"`
	Reason   string `xml:"reason,attr"`
}

type rawMessage struct {
	From     string         `xml:"from,attr"`
	ID       string         `xml:"id,attr"`
	Type     string         `xml:"type,attr"`
	Body     []string       `xml:"body"`
	Subject  []string       `xml:"subject"`
	Delay    *rawDelay      `xml:"urn:xmpp:delay delay"`
	OriginID *rawSID        `xml:"urn:xmpp:sid:0 origin-id"`
	StanzaID []rawSID       `xml:"urn:xmpp:sid:0 stanza-id"`
	User     *rawMsgUser    `xml:"http://jabber.org/protocol/muc#user x"`
	Conf     *rawConference `xml:"jabber:x:conference x"`
	Error    *Error         `xml:"error"`
}

// ParseMessage reads one message stanza (the first element of r).
func ParseMessage(r xml.TokenReader) (Message, error) {
	var raw rawMessage
	if err := decodeFirst(r, maxTokens, maxBytes, &raw); err != nil {
		return Message{}, fmt.Errorf("muc: read message: %w", err)
	}
	from, err := jid.Parse(raw.From)
	if err != nil {
		return Message{}, fmt.Errorf("muc: message from %q: %w", raw.From, err)
	}
	m := Message{From: from, ID: raw.ID, Type: raw.Type, Body: first(raw.Body), Error: raw.Error}
	if len(raw.Subject) > 0 {
		m.Subject, m.HasSubject = raw.Subject[0], true
	}
	if d := raw.Delay; d != nil {
		if t, err := time.Parse(time.RFC3339Nano, d.Stamp); err == nil {
			m.Delay = &Delay{Stamp: t, From: d.From}
		}
	}
	if raw.OriginID != nil {
		m.OriginID = raw.OriginID.ID
	}
	for _, s := range raw.StanzaID {
		if len(m.StanzaIDs) == maxStanzaIDs {
			break
		}
		m.StanzaIDs = append(m.StanzaIDs, StanzaID{ID: s.ID, By: s.By})
	}
	readInvites(&m, raw)
	return m, nil
}

func readInvites(m *Message, raw rawMessage) {
	if u := raw.User; u != nil {
		m.MUCUser = true
		m.Codes = statusCodes(u.Status)
		if u.Invite != nil {
			m.Invite = &Invite{Room: m.From.Bare().String(), From: u.Invite.From, Reason: u.Invite.Reason, Password: u.Password}
		}
		if u.Decline != nil {
			m.Declined = u.Decline.From
		}
	}
	if c := raw.Conf; c != nil && m.Invite == nil {
		if room, err := jid.Parse(c.JID); err == nil {
			m.Invite = &Invite{Room: room.Bare().String(), From: m.From.String(), Reason: c.Reason, Password: c.Password, Direct: true}
		}
	}
}
