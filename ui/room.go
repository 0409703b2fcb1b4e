package ui

import (
	"strings"

	"chat/event"
	"chat/history"
)

// This file gives each room (XEP-0045) a buffer: its messages with the
// sender's nick (coloured by XEP-0392 from the occupant JID), what happens
// in it (joins, leaves, kicks: muc's readable lines) as notices, and its
// subject in the title. Nicks and subjects are network text: the renderer
// and title escape them like every other (escape.go).

// roomInfo is what the title shows of a room.
type roomInfo struct {
	subject string
	nick    string // ours
	in      bool
}

// roomLine gives a room message's line the sender's nick, its colour key
// and the room's own highlight (our nick in the room, not our localpart).
func roomLine(e event.Message, l line) line {
	if e.Nick == "" {
		return l
	}
	l.nick = e.Nick
	if e.Outgoing {
		l.jid, l.high = "", false
		return l
	}
	l.jid, l.high = e.Room+"/"+e.Nick, e.Highlight
	return l
}

// historyRoomLine is roomLine for a stored groupchat message: From is the
// occupant JID.
func historyRoomLine(h history.Message, l line) line {
	_, nick, ok := strings.Cut(h.From, "/")
	if !ok || nick == "" {
		return l
	}
	l.nick = nick
	if !h.Outgoing {
		l.jid = h.From
	}
	return l
}

// roomEvent shows a room event in the room's buffer; it reports whether ev
// was one.
func (m *model) roomEvent(ev event.Event) bool {
	re, ok := ev.(event.InRoom)
	if !ok {
		return false
	}
	k := bufKey{ev.Head().Account, re.RoomJID()}
	if m.rooms == nil {
		m.rooms = map[bufKey]*roomInfo{}
	}
	info := m.rooms[k]
	if info == nil {
		info = &roomInfo{}
		m.rooms[k] = info
	}
	kind, level, text := kindNotice, lvlNone, ""
	switch e := ev.(type) {
	case event.RoomJoined:
		info.in, info.nick, text = true, e.Nick, e.Text
	case event.RoomSubject:
		info.subject, text = e.Subject, e.Text
	case event.RoomLeft:
		info.in, text, level = false, e.Text, lvlNotice
	case event.RoomError:
		kind, text, level = kindError, e.Text, lvlNotice
	case event.Occupant:
		if e.Self && e.Change == event.OccupantNick {
			info.nick = e.NewNick
		}
		text = e.Text
	case event.RoomNotice:
		text, level = e.Text, lvlNotice
	}
	if text == "" {
		return true // an occupant of the list sent as we joined
	}
	fresh := m.find(k) < 0
	b := m.open(k)
	m.add(b, line{at: ev.Head().Time, kind: kind, text: text}, level)
	if _, joined := ev.(event.RoomJoined); joined && fresh {
		m.switchTo(m.find(k)) // the /join typed here: go to the room
	}
	return true
}

// roomTitle is the title of a room's buffer: the room, our nick, the
// subject; ok is false for a buffer that is not a room.
func (m *model) roomTitle(b *buffer) (string, bool) {
	info, ok := m.rooms[b.key]
	if !ok {
		return "", false
	}
	t := esc(b.key.peer)
	if info.nick != "" {
		t += " as " + esc(info.nick)
	}
	if !info.in {
		t += " (not in the room)"
	}
	if info.subject != "" {
		t += ": " + esc(info.subject)
	}
	return t, true
}
