package headless

import (
	"chat/event"
	"chat/sanitize"
)

// RoomRecord is the part of Record that room events fill: every room
// event, and every message through a room, carries the room's JID.
type RoomRecord struct {
	Room        string `json:"room,omitempty"`
	Nick        string `json:"nick,omitempty"` // an occupant's nick, or a contact's (XEP-0172)
	Self        bool   `json:"self,omitempty"`
	Change      string `json:"change,omitempty"` // occupant: joined, left, nick, role, …
	NewNick     string `json:"new_nick,omitempty"`
	Role        string `json:"role,omitempty"`
	Affiliation string `json:"affiliation,omitempty"`
	Actor       string `json:"actor,omitempty"`
	Reason      string `json:"reason,omitempty"`
	Why         string `json:"why,omitempty"`  // room-left: left, kicked, banned, removed, destroyed
	What        string `json:"what,omitempty"` // room-notice
	Created     bool   `json:"created,omitempty"`
	OnJoin      bool   `json:"on_join,omitempty"`
	Highlight   bool   `json:"highlight,omitempty"`
}

// roomRecord fills the room fields of r from ev.
func roomRecord(r *Record, ev event.Event) {
	switch e := ev.(type) {
	case event.Message:
		r.Room, r.Nick, r.Highlight = e.Room, e.Nick, e.Highlight
		return
	case event.InRoom:
		roomHead(r, ev)
	}
	switch e := ev.(type) {
	case event.RoomJoined:
		r.Created = e.Created
	case event.Occupant:
		r.Change, r.NewNick, r.Role, r.Affiliation, r.Actor, r.Reason = e.Change, e.NewNick, e.Role, e.Affiliation, e.Actor, e.Reason
		r.JID, r.Show, r.Status = e.JID, e.Show, e.Status
	case event.RoomSubject:
		r.Subject, r.OnJoin = e.Subject, e.OnJoin
	case event.RoomLeft:
		r.Why, r.Actor, r.Reason = e.Why, e.Actor, e.Reason
	case event.RoomError:
		r.Error = e.Condition
	case event.RoomNotice:
		r.What = e.What
	}
}

func roomHead(r *Record, ev event.Event) {
	var h event.RoomHead
	switch e := ev.(type) {
	case event.RoomJoined:
		h = e.RoomHead
	case event.Occupant:
		h = e.RoomHead
	case event.RoomSubject:
		h = e.RoomHead
	case event.RoomLeft:
		h = e.RoomHead
	case event.RoomError:
		h = e.RoomHead
	case event.RoomNotice:
		h = e.RoomHead
	}
	r.Room, r.Nick, r.Self, r.Text = h.Room, h.Nick, h.Self, h.Text
}

// roomDetails is the line form of a room event: the room, then what
// happened.
func roomDetails(ev event.Event) (string, bool) {
	re, ok := ev.(event.InRoom)
	if !ok {
		return "", false
	}
	var r Record
	roomHead(&r, ev)
	return sanitize.Line(re.RoomJID()) + ": " + sanitize.Text(r.Text), true
}
