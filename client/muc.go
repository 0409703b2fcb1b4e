package client

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"sync"
	"time"

	"chat/event"
	"chat/muc"

	"mellium.im/xmpp/jid"
)

// This file wires package muc (room state and XEP-0045 stanzas) into the
// engine: presences and messages from rooms we are in go to muc.Rooms
// instead of the ordinary handlers (muchandler.go), what the user does in
// a room goes out through the session's ordered queue, and the rooms are
// rejoined after a reconnect and self-pinged (XEP-0410) when quiet.

// roomSet is one account's rooms, shared by the reading goroutine and the
// callers of the engine's methods.
type roomSet struct {
	mu    sync.Mutex
	rooms *muc.Rooms
	quiet time.Duration // self-ping a room quiet this long; 0: defaultRoomQuiet

	rejoin []xml.TokenReader // join presences for the session starting (prepareRejoin)
}

// defaultRoomQuiet is how long a room may be silent before we check that
// we are still in it, as Profanity and Dino do.
const defaultRoomQuiet = 5 * time.Minute

// with runs f with the rooms locked. f must not block.
func (rs *roomSet) with(f func(*muc.Rooms)) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.rooms == nil {
		rs.rooms = muc.NewRooms()
	}
	f(rs.rooms)
}

// has reports whether bare is a room of the set, in any state.
func (rs *roomSet) has(bare string) bool {
	ok := false
	rs.with(func(r *muc.Rooms) { _, ok = r.Room(bare) })
	return ok
}

// RoomQuiet sets how long a room may be silent before a self-ping
// (XEP-0410) checks we are still in it.
func RoomQuiet(d time.Duration) Option { return func(e *Engine) { e.rooms.quiet = d } }

// JoinRoom joins room (a bare JID) as nick, with a password if the room
// needs one. The outcome comes as a RoomJoined or RoomError event.
func (e *Engine) JoinRoom(room, nick, password string) error {
	r, err := jid.Parse(room)
	if err != nil {
		return fmt.Errorf("join %q: %w", room, err)
	}
	s := e.current()
	if s == nil {
		return fmt.Errorf("join %s: %w", r, ErrOffline)
	}
	var p xml.TokenReader
	e.rooms.with(func(rs *muc.Rooms) {
		p, err = rs.Join(r, nick, muc.JoinOptions{Password: password, History: muc.History{MaxStanzas: 50}}, time.Now())
		if err == nil {
			s.queue(p, "join "+r.Bare().String())
		}
	})
	return err
}

// LeaveRoom leaves a room, with an optional status text.
func (e *Engine) LeaveRoom(room, status string) error {
	return e.roomSend("leave "+room, func(rs *muc.Rooms) (xml.TokenReader, error) { return rs.Leave(room, status) })
}

// RoomNick changes our nick in a room.
func (e *Engine) RoomNick(room, nick string) error {
	return e.roomSend("nick in "+room, func(rs *muc.Rooms) (xml.TokenReader, error) { return rs.ChangeNick(room, nick) })
}

// SetRoomSubject sets a room's subject.
func (e *Engine) SetRoomSubject(room, subject string) error {
	return e.roomSend("subject of "+room, func(rs *muc.Rooms) (xml.TokenReader, error) {
		r, ok := rs.Room(room)
		if !ok || r.State != muc.StateJoined {
			return nil, fmt.Errorf("subject of %s: %w", room, muc.ErrNotIn)
		}
		return muc.SubjectMessage(r.JID, randomID(), subject), nil
	})
}

// InviteToRoom invites someone to a room through the room (mediated).
func (e *Engine) InviteToRoom(room, invitee, reason string) error {
	to, err := jid.Parse(invitee)
	if err != nil {
		return fmt.Errorf("invite %q: %w", invitee, err)
	}
	return e.roomSend("invitation to "+room, func(rs *muc.Rooms) (xml.TokenReader, error) {
		r, ok := rs.Room(room)
		if !ok || r.State != muc.StateJoined {
			return nil, fmt.Errorf("invite to %s: %w", room, muc.ErrNotIn)
		}
		return muc.MediatedInvite(r.JID, to, randomID(), reason), nil
	})
}

// roomSend queues what build makes from the rooms, or says why not.
func (e *Engine) roomSend(what string, build func(*muc.Rooms) (xml.TokenReader, error)) error {
	s := e.current()
	if s == nil {
		return fmt.Errorf("%s: %w", what, ErrOffline)
	}
	var err error
	e.rooms.with(func(rs *muc.Rooms) {
		var p xml.TokenReader
		if p, err = build(rs); err == nil {
			s.queue(p, what)
		}
	})
	return err
}

// SayInRoom sends a groupchat message and returns the event that records
// it; the room's reflection of it is recognised and not reported again.
func (e *Engine) SayInRoom(room, body string) (event.Message, error) {
	s := e.current()
	if s == nil {
		return event.Message{}, fmt.Errorf("say in %s: %w", room, ErrOffline)
	}
	id := randomID()
	var nick string
	var err error
	e.rooms.with(func(rs *muc.Rooms) {
		var p xml.TokenReader
		if p, err = rs.Say(room, id, body); err == nil {
			r, _ := rs.Room(room)
			nick = r.Nick
			s.queue(p, "message to "+room)
		}
	})
	if err != nil {
		return event.Message{}, err
	}
	e.lastActive.touch()
	now := time.Now()
	return event.Message{Header: event.Header{Time: now, Account: e.account}, Outgoing: true,
		From: room + "/" + nick, To: room, Peer: room, ID: id, OriginID: id, Type: "groupchat",
		Body: body, Stamp: now, Room: room, Nick: nick}, nil
}

// SayPrivately sends a private message to an occupant through its room
// (to is room@service/nick).
func (e *Engine) SayPrivately(to, body string) (event.Message, error) {
	occ, err := jid.Parse(to)
	if err != nil || occ.Resourcepart() == "" {
		return event.Message{}, fmt.Errorf("private message to %q: need room@service/nick", to)
	}
	room := occ.Bare().String()
	id := randomID()
	if err := e.roomSend("private message to "+to, func(rs *muc.Rooms) (xml.TokenReader, error) {
		if r, ok := rs.Room(room); !ok || r.State != muc.StateJoined {
			return nil, fmt.Errorf("private message to %s: %w", to, muc.ErrNotIn)
		}
		return muc.PrivateMessage(occ, id, body), nil
	}); err != nil {
		return event.Message{}, err
	}
	now := time.Now()
	return event.Message{Header: event.Header{Time: now, Account: e.account}, Outgoing: true,
		To: occ.String(), Peer: occ.String(), ID: id, OriginID: id, Type: "chat", Body: body, Stamp: now,
		Room: room, Nick: occ.Resourcepart()}, nil
}

// RoomRequest sends an admin or owner request built by package muc (kick,
// ban, role, affiliation, destroy, configuration) and reports a refusal
// as a RoomError; what the room does shows up as presences.
func (e *Engine) RoomRequest(q muc.IQ, what string) error {
	s := e.current()
	if s == nil {
		return fmt.Errorf("%s: %w", what, ErrOffline)
	}
	room := q.To.Bare().String()
	return s.requestAsync(iqRequest{Type: q.Type, To: q.To, Payload: q.Payload(), What: what}, func(_ *iqReply, err error) {
		if err != nil {
			e.emit(roomError(e.account, room, what+": "+err.Error(), condition(err)))
		}
	})
}

// RoomItems lists the rooms of a MUC service (disco#items). It blocks:
// call it from a worker.
func (e *Engine) RoomItems(ctx context.Context, service string) ([]muc.DiscoItem, error) {
	to, err := jid.Parse(service)
	if err != nil {
		return nil, fmt.Errorf("rooms of %q: %w", service, err)
	}
	q := muc.DiscoItems(to)
	reply, err := e.request(ctx, iqRequest{Type: q.Type, To: to, Payload: q.Payload(), What: "rooms of " + service})
	if err != nil {
		return nil, fmt.Errorf("rooms of %s: %w", service, err)
	}
	var raw struct {
		Items []struct {
			JID  string `xml:"jid,attr"`
			Name string `xml:"name,attr"`
		} `xml:"item"`
	}
	if !reply.Empty() {
		if err := reply.Decode(&raw); err != nil {
			return nil, fmt.Errorf("rooms of %s: %w", service, err)
		}
	}
	out := make([]muc.DiscoItem, 0, len(raw.Items))
	for _, it := range raw.Items {
		out = append(out, muc.DiscoItem{JID: it.JID, Name: it.Name})
	}
	return out, nil
}

// RoomView is a copy of what we know of a room, for /who and the screen.
type RoomView struct {
	JID, Nick, Subject string
	State              string
	Groups             []muc.Group
}

// Room returns a copy of a room's state.
func (e *Engine) Room(room string) (RoomView, bool) {
	var v RoomView
	var ok bool
	e.rooms.with(func(rs *muc.Rooms) {
		var r *muc.Room
		if r, ok = rs.Room(room); ok {
			v = RoomView{JID: r.JID.String(), Nick: r.Nick, Subject: r.Subject, State: r.State.String(), Groups: r.Groups()}
		}
	})
	return v, ok
}

// InRoom reports whether we are in (or joining) the room.
func (e *Engine) InRoom(room string) bool {
	in := false
	e.rooms.with(func(rs *muc.Rooms) {
		r, ok := rs.Room(room)
		in = ok && (r.State == muc.StateJoined || r.State == muc.StateJoining)
	})
	return in
}

// prepareRejoin takes, as a session starts and before anyone can join a
// room on it, the join presences of every room we were in; rejoinRooms
// sends them once the session is ready. (Taken later, a room joined on
// the new session in between would be joined twice.)
func (e *Engine) prepareRejoin() {
	e.rooms.with(func(rs *muc.Rooms) { e.rooms.rejoin = rs.Rejoin() })
}

// rejoinRooms sends the presences prepareRejoin took (each asks only for
// the history newer than what we saw).
func (e *Engine) rejoinRooms(s *session) {
	e.rooms.with(func(*muc.Rooms) {
		for _, p := range e.rooms.rejoin {
			s.queue(p, "rejoin a room")
		}
		e.rooms.rejoin = nil
	})
}

// selfPing checks, every tick, the rooms quiet for the configured time
// with a XEP-0410 self-ping, and rejoins those that dropped us.
func (e *Engine) selfPing(s *session) {
	quiet := e.rooms.quiet
	if quiet <= 0 {
		quiet = defaultRoomQuiet
	}
	tick := time.NewTicker(max(quiet/4, 10*time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-tick.C:
		}
		var due []muc.IQ
		e.rooms.with(func(rs *muc.Rooms) { due = rs.PingDue(time.Now(), quiet) })
		for _, q := range due {
			e.sendSelfPing(s, q)
		}
	}
}

func (e *Engine) sendSelfPing(s *session, q muc.IQ) {
	room := q.To.Bare().String()
	_ = s.requestAsync(iqRequest{Type: q.Type, To: q.To, Payload: q.Payload(), What: "self-ping " + room}, func(_ *iqReply, err error) {
		v := muc.PingUnknown
		var iqErr *IQError
		switch {
		case err == nil:
			v = muc.SelfPingVerdict("result", "")
		case errors.As(err, &iqErr):
			v = muc.SelfPingVerdict("error", string(iqErr.Err.Condition))
		}
		var ev muc.Event
		e.rooms.with(func(rs *muc.Rooms) {
			ev = rs.PingResult(room, v, time.Now())
			e.act(s, rs, ev)
		})
		for _, out := range roomEvents(e.account, ev) {
			e.emit(out)
		}
	})
}

// act sends what an event asks for: a rejoin, or the instant
// configuration of a room we created, whose RoomJoined is reported once
// the room has accepted it (until then nobody else can join). The rooms
// are locked.
func (e *Engine) act(s *session, rs *muc.Rooms, ev muc.Event) {
	switch ev.Action {
	case muc.ActionRejoin:
		if p, err := rs.JoinPresence(ev.Room); err == nil {
			s.queue(p, "rejoin "+ev.Room)
		}
	case muc.ActionConfigure:
		room, err := jid.Parse(ev.Room)
		if err != nil {
			return
		}
		q := muc.InstantRoom(room)
		_ = s.requestAsync(iqRequest{Type: q.Type, To: q.To, Payload: q.Payload(), What: "configure " + ev.Room}, func(_ *iqReply, err error) {
			if err != nil {
				e.emit(roomError(e.account, ev.Room, "could not unlock the new room: "+err.Error(), condition(err)))
				return
			}
			for _, out := range roomEvents(e.account, ev) { // joined, now that others can join too
				e.emit(out)
			}
		})
	}
}

func condition(err error) string {
	var iqErr *IQError
	if errors.As(err, &iqErr) {
		return string(iqErr.Err.Condition)
	}
	return ""
}
