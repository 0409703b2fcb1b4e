package client

import (
	"encoding/xml"
	"errors"
	"time"

	"chat/event"
	"chat/muc"
)

// roomStanza reports whether a message or presence is for package muc:
// its sender's bare JID is a room we are in, joining, or were thrown out of.
func (h *handler) roomStanza(start xml.StartElement) bool {
	from := attrValue(start, "from")
	return from != "" && h.e.rooms.has(bareOf(from))
}

// roomPresence applies a presence from a room.
func (h *handler) roomPresence(d *xml.Decoder) error {
	p, err := muc.ParsePresence(d)
	if err != nil {
		return err
	}
	var ev muc.Event
	h.e.rooms.with(func(rs *muc.Rooms) {
		if ev, err = rs.ApplyPresence(p, time.Now()); err == nil {
			h.e.act(h.s, rs, ev)
		}
	})
	if err == nil && ev.Action == muc.ActionConfigure {
		return nil // a room we created: joined once it is unlocked (act)
	}
	return h.emitRoom(ev, err)
}

// roomMessage applies a message from a room or one of its occupants.
func (h *handler) roomMessage(d *xml.Decoder) error {
	m, err := muc.ParseMessage(d)
	if err != nil {
		return err
	}
	var ev muc.Event
	h.e.rooms.with(func(rs *muc.Rooms) {
		if ev, err = rs.ApplyMessage(m, time.Now()); err == nil {
			h.e.act(h.s, rs, ev)
		}
	})
	return h.emitRoom(ev, err)
}

// emitRoom reports what applying a stanza did. A stanza from a room we are
// no longer in is dropped without a word (late presences after a kick).
func (h *handler) emitRoom(ev muc.Event, err error) error {
	if errors.Is(err, muc.ErrNotJoined) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, out := range roomEvents(h.e.account, ev) {
		h.e.emit(out)
	}
	return nil
}

func roomError(account, room, text, cond string) event.RoomError {
	return event.RoomError{RoomHead: event.RoomHead{Header: event.At(account), Room: room, Self: true, Text: text}, Condition: cond}
}

// roomEvents turns a muc event into what the loop is told.
func roomEvents(account string, ev muc.Event) []event.Event {
	head := event.RoomHead{Header: event.At(account), Room: ev.Room, Nick: ev.Nick, Self: ev.Self, Text: ev.Text()}
	switch ev.Kind {
	case muc.KindNone, muc.KindOwnEcho, muc.KindDuplicate:
		return nil
	case muc.KindMessage, muc.KindPrivate:
		return []event.Event{roomMessage(account, ev)}
	case muc.KindJoined:
		if ev.Created { // reported once unlocked (act), so not "locked until configured"
			plain := ev
			plain.Created = false
			head.Text = plain.Text() + " (a new room: you own it)"
		}
		return []event.Event{event.RoomJoined{RoomHead: head, Created: ev.Created}}
	case muc.KindSubject:
		return []event.Event{event.RoomSubject{RoomHead: head, Subject: ev.Subject, OnJoin: ev.OnJoin}}
	case muc.KindJoinFailed, muc.KindPresenceError, muc.KindMessageError:
		cond := ""
		if ev.Error != nil {
			cond = ev.Error.Condition
		}
		return []event.Event{event.RoomError{RoomHead: head, Condition: cond}}
	}
	if ev.Self {
		if left, ok := selfLeft(head, ev); ok {
			return []event.Event{left}
		}
	}
	if change, ok := occupantChange[ev.Kind]; ok {
		o := ev.Occupant
		return []event.Event{event.Occupant{RoomHead: head, Change: change, NewNick: ev.NewNick,
			Role: o.Role.String(), Affiliation: o.Affiliation.String(), JID: o.JID, Show: o.Show, Status: o.Status,
			Actor: ev.Actor, Reason: ev.Reason, Initial: ev.Initial}}
	}
	return []event.Event{roomNotice(head, ev)}
}

var occupantChange = map[muc.Kind]string{
	muc.KindOccupantJoined: event.OccupantJoined, muc.KindOccupantLeft: event.OccupantLeft,
	muc.KindNickChanged: event.OccupantNick, muc.KindRoleChanged: event.OccupantRole,
	muc.KindAffiliationChanged: event.OccupantAffiliation, muc.KindOccupantPresence: event.OccupantPresence,
	muc.KindKicked: event.OccupantKicked, muc.KindBanned: event.OccupantBanned, muc.KindRemoved: event.OccupantRemoved,
}

var leftWhy = map[muc.Kind]string{
	muc.KindLeft: event.LeftByUs, muc.KindKicked: event.Kicked, muc.KindBanned: event.Banned,
	muc.KindRemoved: event.Removed, muc.KindDestroyed: event.Destroyed,
}

func selfLeft(head event.RoomHead, ev muc.Event) (event.RoomLeft, bool) {
	why, ok := leftWhy[ev.Kind]
	if !ok {
		return event.RoomLeft{}, false
	}
	left := event.RoomLeft{RoomHead: head, Why: why, Actor: ev.Actor, Reason: ev.Reason}
	if ev.Destroy != nil {
		left.Alternate, left.Reason = ev.Destroy.Alternate, ev.Destroy.Reason
	}
	return left, true
}

var noticeWhat = map[muc.Kind]string{
	muc.KindNickConflict: event.NoticeNickConflict, muc.KindDropped: event.NoticeDropped,
	muc.KindStillJoined: event.NoticeStillJoined, muc.KindInvite: event.NoticeInvite,
	muc.KindDeclined: event.NoticeDeclined,
}

func roomNotice(head event.RoomHead, ev muc.Event) event.RoomNotice {
	what, ok := noticeWhat[ev.Kind]
	if !ok {
		what = event.NoticeRoom
	}
	n := event.RoomNotice{RoomHead: head, What: what}
	if ev.Invite != nil {
		n.Password = ev.Invite.Password
	}
	return n
}

// roomMessage is a groupchat message (Peer: the room) or a private message
// through the room (Peer: the occupant's full JID). Our own, when the room
// sends it back from its history, is outgoing, so that history's
// de-duplication by origin-id finds the copy we stored when we sent it.
func roomMessage(account string, ev muc.Event) event.Message {
	m := ev.Message
	now := time.Now()
	out := event.Message{Header: event.Header{Time: now, Account: account},
		From: m.From.String(), Peer: ev.Room, ID: m.ID, OriginID: m.OriginID, StanzaID: m.StanzaIDBy(ev.Room),
		Type: "groupchat", Subject: m.Subject, Body: m.Body, Stamp: ev.Stamp, Delayed: ev.History,
		Room: ev.Room, Nick: ev.Nick, Highlight: ev.Highlight, Outgoing: ev.Self}
	if ev.Kind == muc.KindPrivate {
		out.Type, out.Peer, out.Outgoing, out.StanzaID = "chat", m.From.String(), false, ""
	}
	if out.Stamp.IsZero() {
		out.Stamp = now
	}
	return out
}
