package event

// This file holds the events of multi-user chat rooms (XEP-0045). Each
// carries RoomHead: the room's bare JID, the occupant concerned, whether it
// is about us, and Text, the readable line(s) package muc wrote for it
// (network text, unsanitised like every other field). Groupchat messages
// and private messages through a room are Message events with Room set.

// RoomHead is embedded in every room event.
type RoomHead struct {
	Header
	Room string // bare JID of the room
	Nick string // the occupant concerned (for a join, ours)
	Self bool   // it is about us
	Text string // what happened, as readable lines
}

// RoomJID returns the room the event belongs to.
func (h RoomHead) RoomJID() string { return h.Room }

// InRoom is implemented by every room event.
type InRoom interface {
	Event
	RoomJID() string
}

// RoomJoined says we are in a room.
type RoomJoined struct {
	RoomHead
	Created bool // the room is new: we created it
}

// Kind implements Event.
func (RoomJoined) Kind() string { return "room-joined" }

// Occupant changes, in Occupant.Change.
const (
	OccupantJoined      = "joined"
	OccupantLeft        = "left"
	OccupantNick        = "nick"        // NewNick
	OccupantRole        = "role"        // Role
	OccupantAffiliation = "affiliation" // Affiliation
	OccupantPresence    = "presence"    // Show, Status
	OccupantKicked      = "kicked"      // Actor, Reason
	OccupantBanned      = "banned"      // Actor, Reason
	OccupantRemoved     = "removed"     // Reason
)

// Occupant is a change of someone in a room (us too, for a nick, role or
// affiliation change).
type Occupant struct {
	RoomHead
	Change      string
	NewNick     string
	Role        string // moderator, participant, visitor, none
	Affiliation string // owner, admin, member, outcast, none
	JID         string // real JID, if the room shows it
	Show        string
	Status      string
	Actor       string
	Reason      string
	Initial     bool // part of the occupant list sent when we joined
}

// Kind implements Event.
func (Occupant) Kind() string { return "occupant" }

// RoomSubject is a room's subject, set by Nick.
type RoomSubject struct {
	RoomHead
	Subject string
	OnJoin  bool // the subject the room sent as we joined
}

// Kind implements Event.
func (RoomSubject) Kind() string { return "room-subject" }

// Reasons we are out of a room, in RoomLeft.Why.
const (
	LeftByUs  = "left"
	Kicked    = "kicked"
	Banned    = "banned"
	Removed   = "removed"
	Destroyed = "destroyed"
)

// RoomLeft says we are no longer in a room, and why.
type RoomLeft struct {
	RoomHead
	Why       string
	Actor     string // who kicked or banned us, if the room says
	Reason    string
	Alternate string // with Destroyed: a venue to go to instead, if any
}

// Kind implements Event.
func (RoomLeft) Kind() string { return "room-left" }

// RoomError is a refusal from a room: a join that failed, a message or a
// nick change refused, an admin request that failed.
type RoomError struct {
	RoomHead
	Condition string // the stanza error condition, if any
}

// Kind implements Event.
func (RoomError) Kind() string { return "room-error" }

// Room notices, in RoomNotice.What.
const (
	NoticeNickConflict = "nick-conflict" // our nick was taken: retrying with another
	NoticeDropped      = "dropped"       // we were no longer in the room: rejoining
	NoticeStillJoined  = "still-joined"  // a self-ping found us still in
	NoticeRoom         = "notice"        // a message from the room itself
	NoticeInvite       = "invite"        // an invitation to Room from Nick (Password, Reason in Text)
	NoticeDeclined     = "declined"      // Nick declined our invitation
)

// RoomNotice is anything else a room says.
type RoomNotice struct {
	RoomHead
	What     string
	Password string // with an invitation: the room's password, if given
}

// Kind implements Event.
func (RoomNotice) Kind() string { return "room-notice" }
