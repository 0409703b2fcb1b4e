package muc

import (
	"encoding/xml"
	"strconv"
	"time"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/jid"
)

// History says how much room history a join asks for (XEP-0045 §7.2.13).
// The zero value asks for the room's default.
type History struct {
	None       bool      // ask for no history at all (maxstanzas='0')
	MaxStanzas int       // at most this many messages; 0: not sent
	Since      time.Time // only messages after this time; zero: not sent
}

// JoinOptions are the optional parts of a join presence.
type JoinOptions struct {
	Password string
	History  History
	Show     string // away, chat, dnd, xa; empty for available
	Status   string
}

func attr(name, value string) xml.Attr { return xml.Attr{Name: xml.Name{Local: name}, Value: value} }

func start(space, local string, attrs ...xml.Attr) xml.StartElement {
	return xml.StartElement{Name: xml.Name{Space: space, Local: local}, Attr: attrs}
}

func elem(s xml.StartElement, inner ...xml.TokenReader) xml.TokenReader {
	return xmlstream.Wrap(xmlstream.MultiReader(inner...), s)
}

func text(local, s string) xml.TokenReader {
	return xmlstream.Wrap(xmlstream.Token(xml.CharData(s)), xml.StartElement{Name: xml.Name{Local: local}})
}

// stanza wraps inner in a presence, message or iq with the attributes whose
// value is not empty.
func stanza(kind string, attrs []xml.Attr, inner ...xml.TokenReader) xml.TokenReader {
	kept := attrs[:0]
	for _, a := range attrs {
		if a.Value != "" {
			kept = append(kept, a)
		}
	}
	return elem(start("", kind, kept...), inner...)
}

// JoinPresence builds the presence that joins (or rejoins) a room as the
// occupant JID room@service/nick.
func JoinPresence(occupant jid.JID, o JoinOptions) xml.TokenReader {
	var x []xml.TokenReader
	if h := historyElem(o.History); h != nil {
		x = append(x, h)
	}
	if o.Password != "" {
		x = append(x, text("password", o.Password))
	}
	var inner []xml.TokenReader
	if o.Show != "" {
		inner = append(inner, text("show", o.Show))
	}
	if o.Status != "" {
		inner = append(inner, text("status", o.Status))
	}
	inner = append(inner, elem(start(NS, "x"), x...))
	return stanza("presence", []xml.Attr{attr("to", occupant.String())}, inner...)
}

func historyElem(h History) xml.TokenReader {
	var attrs []xml.Attr
	switch {
	case h.None:
		attrs = append(attrs, attr("maxstanzas", "0"))
	case h.MaxStanzas > 0:
		attrs = append(attrs, attr("maxstanzas", strconv.Itoa(h.MaxStanzas)))
	}
	if !h.None && !h.Since.IsZero() {
		attrs = append(attrs, attr("since", h.Since.UTC().Format(time.RFC3339)))
	}
	if len(attrs) == 0 {
		return nil
	}
	return elem(start("", "history", attrs...))
}

// LeavePresence builds the unavailable presence that leaves a room.
func LeavePresence(occupant jid.JID, status string) xml.TokenReader {
	var inner []xml.TokenReader
	if status != "" {
		inner = append(inner, text("status", status))
	}
	return stanza("presence", []xml.Attr{attr("to", occupant.String()), attr("type", "unavailable")}, inner...)
}

// NickPresence builds the presence that changes our nick in a room
// (XEP-0045 §7.6): a plain presence to the new occupant JID.
func NickPresence(room jid.JID, nick string) (xml.TokenReader, error) {
	if !ValidNick(nick) {
		return nil, ErrBadNick
	}
	to, err := room.Bare().WithResource(nick)
	if err != nil {
		return nil, err
	}
	return stanza("presence", []xml.Attr{attr("to", to.String())}), nil
}

func originID(id string) xml.TokenReader {
	return elem(start(NSSID, "origin-id", attr("id", id)))
}

// GroupchatMessage builds a message to the room. id is both the stanza id
// and the XEP-0359 origin-id the reflected copy is matched by.
func GroupchatMessage(room jid.JID, id, body string) xml.TokenReader {
	return stanza("message", []xml.Attr{attr("to", room.Bare().String()), attr("type", "groupchat"), attr("id", id)},
		text("body", body), originID(id))
}

// SubjectMessage builds the message that sets the room's subject; an empty
// subject clears it.
func SubjectMessage(room jid.JID, id, subject string) xml.TokenReader {
	return stanza("message", []xml.Attr{attr("to", room.Bare().String()), attr("type", "groupchat"), attr("id", id)},
		text("subject", subject))
}

// PrivateMessage builds a private message to an occupant through the room
// (XEP-0045 §7.5), marked with an empty muc#user x as the XEP asks.
func PrivateMessage(occupant jid.JID, id, body string) xml.TokenReader {
	return stanza("message", []xml.Attr{attr("to", occupant.String()), attr("type", "chat"), attr("id", id)},
		text("body", body), elem(start(NSUser, "x")), originID(id))
}

// MediatedInvite builds an invitation sent through the room (XEP-0045 §7.8.2).
func MediatedInvite(room, invitee jid.JID, id, reason string) xml.TokenReader {
	var inner []xml.TokenReader
	if reason != "" {
		inner = append(inner, text("reason", reason))
	}
	inv := elem(start("", "invite", attr("to", invitee.String())), inner...)
	return stanza("message", []xml.Attr{attr("to", room.Bare().String()), attr("id", id)},
		elem(start(NSUser, "x"), inv))
}

// DirectInvite builds a XEP-0249 direct invitation to invitee.
func DirectInvite(invitee, room jid.JID, id, password, reason string) xml.TokenReader {
	attrs := []xml.Attr{attr("jid", room.Bare().String())}
	if password != "" {
		attrs = append(attrs, attr("password", password))
	}
	if reason != "" {
		attrs = append(attrs, attr("reason", reason))
	}
	return stanza("message", []xml.Attr{attr("to", invitee.String()), attr("id", id)},
		elem(start(NSConference, "x", attrs...)))
}

// Encode writes a built stanza as a string (for logs and tests).
func Encode(r xml.TokenReader) (string, error) {
	var b bytesBuffer
	e := xml.NewEncoder(&b)
	if _, err := xmlstream.Copy(e, r); err != nil {
		return "", err
	}
	if err := e.Flush(); err != nil {
		return "", err
	}
	return string(b), nil
}

type bytesBuffer []byte

func (b *bytesBuffer) Write(p []byte) (int, error) { *b = append(*b, p...); return len(p), nil }
