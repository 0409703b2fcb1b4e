package muc

import (
	"strings"
)

// Lines returns the readable lines an event shows in the room's buffer:
// what happened, then one line per status code that says more. A message
// (KindMessage, KindPrivate, KindOwnEcho) and KindNone have no lines: the
// buffer shows the message itself.
func (e Event) Lines() []string {
	main := e.headline()
	var out []string
	if main != "" {
		out = append(out, main)
	}
	return append(out, e.codeLines()...)
}

// Text is Lines joined by newlines.
func (e Event) Text() string { return strings.Join(e.Lines(), "\n") }

func (e Event) who() string {
	if e.Self {
		return "You"
	}
	return q(e.Nick)
}

func (e Event) headline() string {
	room := q(e.Room)
	switch e.Kind {
	case KindJoined:
		s := "You joined " + room + " as " + q(e.Nick)
		if e.Created {
			s += " (a new room: it stays locked until configured)"
		}
		return s
	case KindJoinFailed:
		return "Could not join " + room + ": " + q(ErrorText(e.Error))
	case KindNickConflict:
		return "The nickname is taken in " + room + ": " + q(ErrorText(e.Error)) + "; trying " + q(e.NewNick)
	case KindLeft:
		if e.Self {
			return "You left " + room + because(e.Occupant.Status)
		}
	case KindKicked:
		return e.who() + " " + verb(e.Self, "have", "has") + " been kicked" + by(e.Actor) + because(e.Reason)
	case KindBanned:
		return e.who() + " " + verb(e.Self, "have", "has") + " been banned" + by(e.Actor) + because(e.Reason)
	case KindRemoved:
		return e.who() + " " + verb(e.Self, "have", "has") + " been removed from " + room + because(e.Reason)
	case KindDestroyed:
		return e.destroyed()
	case KindDropped:
		return "You are no longer in " + room + "; rejoining"
	case KindOccupantJoined:
		if e.Initial {
			return ""
		}
		return q(e.Nick) + " joined" + realJID(e.Occupant.JID)
	case KindOccupantLeft:
		return q(e.Nick) + " left" + because(e.Occupant.Status)
	case KindNickChanged:
		return e.who() + " " + verb(e.Self, "are", "is") + " now known as " + q(e.NewNick)
	case KindRoleChanged:
		return e.who() + " " + verb(e.Self, "are", "is") + " now " + e.Occupant.Role.String() + " (was " + e.Old.Role.String() + ")" + by(e.Actor) + because(e.Reason)
	case KindAffiliationChanged:
		return e.who() + " " + verb(e.Self, "are", "is") + " now " + e.Occupant.Affiliation.String() + " (was " + e.Old.Affiliation.String() + ")" + by(e.Actor) + because(e.Reason)
	case KindPresenceError:
		return "The room refused: " + q(ErrorText(e.Error))
	case KindSubject:
		return e.subject()
	case KindNotice:
		if e.Message != nil && e.Message.Body != "" {
			return room + ": " + q(e.Message.Body)
		}
	case KindInvite:
		return e.invite()
	case KindDeclined:
		return q(e.Nick) + " declined your invitation to " + room + because(e.Reason)
	case KindMessageError:
		return "Your message to " + room + " was refused: " + q(MessageErrorText(e.Error))
	}
	return ""
}

func (e Event) destroyed() string {
	s := "The room " + q(e.Room) + " has been destroyed"
	if e.Destroy != nil {
		s += because(e.Destroy.Reason)
		if e.Destroy.Alternate != "" {
			s += "; it moved to " + q(e.Destroy.Alternate)
		}
	}
	return s
}

func (e Event) subject() string {
	if e.Subject == "" {
		return "The subject was cleared" + by(e.Nick)
	}
	if e.OnJoin {
		return "Subject: " + q(e.Subject) + by(e.Nick)
	}
	return e.who() + " changed the subject to: " + q(e.Subject)
}

func (e Event) invite() string {
	if e.Invite == nil {
		return ""
	}
	s := q(e.Invite.From) + " invites you to " + q(e.Invite.Room)
	if e.Invite.Password != "" {
		s += " (password given)"
	}
	return s + because(e.Invite.Reason)
}

// codeLines are the status codes a headline does not already say: 110,
// 201, 301, 303 and 307 are in the headline itself; the reasons for a
// removal (321, 322, 332, 333) get a line of their own.
func (e Event) codeLines() []string {
	var out []string
	for _, c := range e.Codes {
		switch c {
		case 110, 201, 301, 303, 307:
		case 321, 322, 332, 333:
			out = append(out, "Reason: "+CodeText(c))
		case 210:
			out = append(out, "The room changed your nickname to "+q(e.Nick))
		default:
			out = append(out, CodeText(c))
		}
	}
	return out
}

func verb(self bool, you, they string) string {
	if self {
		return you
	}
	return they
}

func by(actor string) string {
	if actor == "" {
		return ""
	}
	return " by " + q(actor)
}

func because(reason string) string {
	if reason == "" {
		return ""
	}
	return ": " + q(reason)
}

func realJID(j string) string {
	if j == "" {
		return ""
	}
	return " (" + q(j) + ")"
}

// q makes network text inert for a one-line display: control characters
// (ESC, CR, LF, C1), bidi controls and other invisible format characters
// become nothing or a space, and it is cut at 300 bytes.
func q(s string) string {
	const max = 300
	clean := true
	for _, r := range s {
		if unsafeRune(r) {
			clean = false
			break
		}
	}
	if clean && len(s) <= max {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= max {
			b.WriteString("…")
			break
		}
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case unsafeRune(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) ||
		(r >= 0x200b && r <= 0x200f) || (r >= 0x202a && r <= 0x202e) ||
		(r >= 0x2066 && r <= 0x2069) || r == 0xfeff || r == 0x061c
}
