package muc

import (
	"encoding/xml"

	"mellium.im/xmpp/jid"
)

// IQ is a built IQ request: the engine gives it an id (Stanza) or sends its
// Payload through its own IQ path, which tracks the reply.
type IQ struct {
	Type    string // "get" or "set"
	To      jid.JID
	payload func() xml.TokenReader
}

// Payload returns a fresh reader of the IQ's child element.
func (q IQ) Payload() xml.TokenReader { return q.payload() }

// Stanza returns the whole IQ with the given id.
func (q IQ) Stanza(id string) xml.TokenReader {
	return stanza("iq", []xml.Attr{attr("type", q.Type), attr("to", q.To.String()), attr("id", id)}, q.payload())
}

func query(space string, inner func() []xml.TokenReader) func() xml.TokenReader {
	return func() xml.TokenReader {
		var in []xml.TokenReader
		if inner != nil {
			in = inner()
		}
		return elem(start(space, "query"), in...)
	}
}

func adminItem(attrs []xml.Attr, reason string) func() []xml.TokenReader {
	return func() []xml.TokenReader {
		var in []xml.TokenReader
		if reason != "" {
			in = append(in, text("reason", reason))
		}
		return []xml.TokenReader{elem(start("", "item", attrs...), in...)}
	}
}

// SetRole changes the role of the occupant nick (XEP-0045 §8.4, §8.5, §9.6):
// RoleNone kicks, RoleVisitor revokes voice, RoleParticipant grants it,
// RoleModerator grants moderator.
func SetRole(room jid.JID, nick string, role Role, reason string) IQ {
	return IQ{Type: "set", To: room.Bare(), payload: query(NSAdmin,
		adminItem([]xml.Attr{attr("nick", nick), attr("role", role.String())}, reason))}
}

// Kick removes the occupant nick from the room.
func Kick(room jid.JID, nick, reason string) IQ { return SetRole(room, nick, RoleNone, reason) }

// SetAffiliation changes the affiliation of the user with the bare JID who
// (XEP-0045 §9.1, §10.3…): AffiliationOutcast bans.
func SetAffiliation(room, who jid.JID, a Affiliation, reason string) IQ {
	return IQ{Type: "set", To: room.Bare(), payload: query(NSAdmin,
		adminItem([]xml.Attr{attr("affiliation", a.String()), attr("jid", who.Bare().String())}, reason))}
}

// Ban bans the user with the bare JID who.
func Ban(room, who jid.JID, reason string) IQ {
	return SetAffiliation(room, who, AffiliationOutcast, reason)
}

// AffiliationList asks for the users with an affiliation (§9.2, §10.5…).
func AffiliationList(room jid.JID, a Affiliation) IQ {
	return IQ{Type: "get", To: room.Bare(), payload: query(NSAdmin,
		adminItem([]xml.Attr{attr("affiliation", a.String())}, ""))}
}

// ConfigGet asks the room for its configuration form (§10.2).
func ConfigGet(room jid.JID) IQ {
	return IQ{Type: "get", To: room.Bare(), payload: query(NSOwner, nil)}
}

// ConfigSubmit sends a filled configuration form (§10.2).
func ConfigSubmit(room jid.JID, f *Form) IQ {
	sub := f.Submission()
	return IQ{Type: "set", To: room.Bare(), payload: query(NSOwner, func() []xml.TokenReader {
		return []xml.TokenReader{sub.TokenReader()}
	})}
}

// InstantRoom accepts the default configuration of a room we just created
// (§10.1.2): an empty submitted form.
func InstantRoom(room jid.JID) IQ {
	return IQ{Type: "set", To: room.Bare(), payload: query(NSOwner, func() []xml.TokenReader {
		return []xml.TokenReader{elem(start(NSData, "x", attr("type", "submit")))}
	})}
}

// CancelConfig cancels the configuration of a room we just created, which
// destroys it (§10.1.3).
func CancelConfig(room jid.JID) IQ {
	return IQ{Type: "set", To: room.Bare(), payload: query(NSOwner, func() []xml.TokenReader {
		return []xml.TokenReader{elem(start(NSData, "x", attr("type", "cancel")))}
	})}
}

// DestroyRoom destroys the room (§10.9), naming an optional alternate venue.
func DestroyRoom(room jid.JID, alternate, reason string) IQ {
	return IQ{Type: "set", To: room.Bare(), payload: query(NSOwner, func() []xml.TokenReader {
		var attrs []xml.Attr
		if alternate != "" {
			attrs = append(attrs, attr("jid", alternate))
		}
		var in []xml.TokenReader
		if reason != "" {
			in = append(in, text("reason", reason))
		}
		return []xml.TokenReader{elem(start("", "destroy", attrs...), in...)}
	})}
}

// DiscoItems lists the rooms of a MUC service (XEP-0030, XEP-0045 §6.3).
func DiscoItems(service jid.JID) IQ {
	return IQ{Type: "get", To: service, payload: query(NSDiscoItems, nil)}
}

// SelfPing is the XEP-0410 ping of our own occupant JID.
func SelfPing(occupant jid.JID) IQ {
	return IQ{Type: "get", To: occupant, payload: func() xml.TokenReader { return elem(start(NSPing, "ping")) }}
}

// PingVerdict is what a self-ping reply says about our membership.
type PingVerdict uint8

// Verdicts of a XEP-0410 self-ping.
const (
	PingUnknown PingVerdict = iota // no answer or an unexpected one: try again later
	PingJoined                     // still joined
	PingDropped                    // no longer joined: rejoin
)

// SelfPingVerdict reads the reply to a self-ping as XEP-0410 §3.2 (and
// Profanity and Dino) do: a result, service-unavailable or
// feature-not-implemented mean we are still joined (the occupant's client
// answered or the room refused to forward); not-acceptable, not-allowed and
// item-not-found mean the room no longer knows us.
func SelfPingVerdict(iqType, condition string) PingVerdict {
	if iqType == "result" {
		return PingJoined
	}
	if iqType != "error" {
		return PingUnknown
	}
	switch condition {
	case "service-unavailable", "feature-not-implemented":
		return PingJoined
	case "not-acceptable", "not-allowed", "item-not-found":
		return PingDropped
	}
	return PingUnknown
}
