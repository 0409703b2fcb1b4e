package muc

import (
	"fmt"
	"time"
)

// ApplyPresence applies a presence from a room to its state and says what
// happened. It refuses, with an error and no change, a presence from a room
// we are not in or joining, an occupant presence without a nick, and an
// error from anyone but the room or our own occupant JID.
func (rs *Rooms) ApplyPresence(p Presence, now time.Time) (Event, error) {
	bare := p.From.Bare().String()
	r, ok := rs.rooms[bare]
	if !ok || r.State > StateLeaving {
		return Event{}, fmt.Errorf("muc: presence from %s: %w", p.From, ErrNotJoined)
	}
	nick := p.From.Resourcepart()
	if p.Type == "error" {
		if nick != "" && nick != r.Nick && nick != r.wantNick {
			return Event{}, fmt.Errorf("muc: error presence from %s: %w", p.From, ErrNotRoom)
		}
		r.LastActivity = now
		return rs.presenceError(r, p), nil
	}
	if nick == "" {
		return Event{}, fmt.Errorf("muc: presence from %s: %w", p.From, ErrNoResource)
	}
	if !ValidNick(nick) {
		return Event{}, fmt.Errorf("muc: presence from %s: %w", bare, ErrBadNick)
	}
	r.LastActivity = now
	o := occupantOf(nick, p)
	self := p.Has(110) || nick == r.Nick
	ev := Event{Room: bare, Nick: nick, Self: self, Occupant: o, Codes: p.Codes, Actor: p.Item.Actor, Reason: p.Item.Reason, Stamp: now}
	if p.Type == "unavailable" {
		if self {
			return rs.selfGone(r, p, ev), nil
		}
		return r.occupantGone(p, ev), nil
	}
	if self {
		return r.selfHere(p, o, ev), nil
	}
	return r.occupantHere(o, ev)
}

func occupantOf(nick string, p Presence) Occupant {
	return Occupant{Nick: nick, Role: p.Item.Role, Affiliation: p.Item.Affiliation, JID: p.Item.JID, Show: p.Show, Status: p.Status}
}

func (rs *Rooms) presenceError(r *Room, p Presence) Event {
	ev := Event{Room: r.JID.String(), Nick: r.Nick, Self: true, Error: p.Error}
	if ev.Error == nil {
		ev.Error = &Error{Condition: "undefined-condition"}
	}
	if r.State != StateJoining {
		r.wantNick = ""
		ev.Kind = KindPresenceError
		return ev
	}
	max := rs.MaxNickTries
	if max == 0 {
		max = 3
	}
	if ev.Error.Condition == "conflict" && r.tries < max {
		r.tries++
		r.Nick = nextNick(r.baseNick, r.tries)
		ev.Kind, ev.NewNick, ev.Action = KindNickConflict, r.Nick, ActionRejoin
		return ev
	}
	ev.Kind = KindJoinFailed
	delete(rs.rooms, r.JID.String())
	return ev
}

func (r *Room) selfHere(p Presence, o Occupant, ev Event) Event {
	if r.occupants == nil {
		r.occupants = make(map[string]Occupant)
	}
	if ev.Nick != r.Nick {
		delete(r.occupants, r.Nick)
		r.Nick = ev.Nick // the room gave us another nick (210)
	}
	r.occupants[ev.Nick] = o
	old := r.Self
	r.Self = o
	if r.State == StateJoining {
		r.State, r.tries = StateJoined, 0
		ev.Kind, ev.Created = KindJoined, p.Has(201)
		if ev.Created {
			ev.Action = ActionConfigure
		}
		return ev
	}
	ev.Old = old
	return changeKind(old, o, ev)
}

func changeKind(old, o Occupant, ev Event) Event {
	switch {
	case old.Role != o.Role:
		ev.Kind = KindRoleChanged
	case old.Affiliation != o.Affiliation:
		ev.Kind = KindAffiliationChanged
	default:
		ev.Kind = KindOccupantPresence
	}
	return ev
}

func (r *Room) occupantHere(o Occupant, ev Event) (Event, error) {
	if r.occupants == nil {
		r.occupants = make(map[string]Occupant, 64)
	}
	old, known := r.occupants[o.Nick]
	if !known && len(r.occupants) >= MaxOccupants {
		return Event{}, fmt.Errorf("muc: presence from %s/%s: %w", ev.Room, o.Nick, ErrFull)
	}
	r.occupants[o.Nick] = o
	if !known {
		ev.Kind, ev.Initial = KindOccupantJoined, r.State == StateJoining
		return ev, nil
	}
	ev.Old = old
	return changeKind(old, o, ev), nil
}

// removal says which kind of departure the codes of an unavailable
// presence mean.
func removal(p Presence) (Kind, State) {
	switch {
	case p.Destroy != nil:
		return KindDestroyed, StateDestroyed
	case p.Has(301):
		return KindBanned, StateBanned
	case p.Has(307):
		return KindKicked, StateKicked
	case p.Has(333):
		return KindDropped, StateJoining
	case p.Has(321), p.Has(322), p.Has(332):
		return KindRemoved, StateRemoved
	}
	return KindLeft, StateLeft
}

func (r *Room) occupantGone(p Presence, ev Event) Event {
	old, known := r.occupants[ev.Nick]
	if known {
		ev.Occupant.JID = firstNonEmpty(ev.Occupant.JID, old.JID)
	}
	delete(r.occupants, ev.Nick)
	if p.Has(303) && ValidNick(p.Item.Nick) {
		o := old
		if !known {
			o = ev.Occupant
		}
		o.Nick = p.Item.Nick
		r.occupants[o.Nick] = o
		ev.Kind, ev.NewNick = KindNickChanged, o.Nick
		return ev
	}
	ev.Kind, _ = removal(p)
	if ev.Kind == KindLeft || ev.Kind == KindDropped || ev.Kind == KindDestroyed {
		ev.Kind = KindOccupantLeft
	}
	return ev
}

func (rs *Rooms) selfGone(r *Room, p Presence, ev Event) Event {
	if p.Has(303) && ValidNick(p.Item.Nick) && r.State == StateJoined {
		o := r.Self
		delete(r.occupants, r.Nick)
		o.Nick = p.Item.Nick
		r.Nick, r.Self, r.wantNick = o.Nick, o, ""
		r.occupants[o.Nick] = o
		ev.Kind, ev.NewNick = KindNickChanged, o.Nick
		return ev
	}
	kind, state := removal(p)
	ev.Kind, ev.Destroy = kind, p.Destroy
	switch {
	case kind == KindLeft && r.State == StateLeaving:
		delete(rs.rooms, r.JID.String())
		return ev
	case kind == KindLeft && r.State == StateJoining:
		// The echo of a leave sent before this join (/part then /join).
		ev.Kind = KindNone
		return ev
	}
	r.reset(state)
	if kind == KindDropped {
		ev.Action = ActionRejoin
	}
	return ev
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
