package muc

import (
	"fmt"
	"time"
)

// ApplyMessage applies a message from a room, or an invitation from
// anyone, and says what happened. It refuses a groupchat message that is
// not from a room we are in (a full JID of another host, a room we never
// joined or already left).
func (rs *Rooms) ApplyMessage(m Message, now time.Time) (Event, error) {
	if m.Invite != nil && m.Type != "error" && m.Type != "groupchat" {
		return invite(m)
	}
	bare := m.From.Bare().String()
	r, ok := rs.rooms[bare]
	if !ok || r.State > StateLeaving {
		return Event{}, fmt.Errorf("muc: message from %s: %w", m.From, ErrNotJoined)
	}
	r.LastActivity = now
	nick := m.From.Resourcepart()
	ev := Event{Room: bare, Nick: nick, Self: nick != "" && nick == r.Nick, Stamp: now, Codes: m.Codes}
	switch {
	case m.Type == "error":
		ev.Kind, ev.Error = KindMessageError, m.Error
		if ev.Error == nil {
			ev.Error = &Error{Condition: "undefined-condition"}
		}
		if ev.Error.Condition == "not-acceptable" && nick == "" && r.State == StateJoined {
			// The room no longer knows us (XEP-0410 §3.2): rejoin.
			r.reset(StateJoining)
			ev.Action = ActionRejoin
		}
		return ev, nil
	case m.Declined != "":
		ev.Kind, ev.Nick = KindDeclined, m.Declined
		return ev, nil
	case m.Type != "groupchat":
		if nick == "" {
			ev.Kind, ev.Message = KindNotice, &m
			return ev, nil
		}
		ev.Kind, ev.Message = KindPrivate, &m
		return ev, nil
	}
	return rs.groupchat(r, m, ev), nil
}

func invite(m Message) (Event, error) {
	if !m.Invite.Direct && m.From.Resourcepart() != "" {
		return Event{}, fmt.Errorf("muc: mediated invitation from %s: %w", m.From, ErrNotRoom)
	}
	return Event{Kind: KindInvite, Room: m.Invite.Room, Nick: m.Invite.From, Invite: m.Invite, Reason: m.Invite.Reason}, nil
}

func (rs *Rooms) groupchat(r *Room, m Message, ev Event) Event {
	bare := ev.Room
	if sid := m.StanzaIDBy(bare); sid != "" {
		if r.seen.seen(sid) {
			ev.Kind = KindDuplicate
			return ev
		}
		r.seen.add(sid)
	}
	stamp := ev.Stamp
	if m.Delay != nil {
		stamp = m.Delay.Stamp
	}
	if stamp.After(r.LastMessage) && !stamp.After(ev.Stamp) {
		r.LastMessage = stamp
	}
	ev.Stamp = stamp
	if m.HasSubject && m.Body == "" {
		ev.Kind, ev.Subject, ev.OnJoin = KindSubject, m.Subject, !r.subjectSeen
		r.Subject, r.SubjectBy, r.subjectSeen = m.Subject, ev.Nick, true
		return ev
	}
	ev.Message = &m
	ev.History = m.Delay != nil && (!r.subjectSeen || m.Delay.From == "" || m.Delay.From == bare)
	if ev.Nick == "" {
		ev.Kind = KindNotice
		return ev
	}
	if ev.Self && m.OriginID != "" {
		if _, ok := r.pending[m.OriginID]; ok {
			delete(r.pending, m.OriginID)
			ev.Kind = KindOwnEcho
			return ev
		}
	}
	ev.Kind = KindMessage
	ev.Highlight = !ev.Self && Mentions(m.Body, r.Nick, rs.Words)
	return ev
}
