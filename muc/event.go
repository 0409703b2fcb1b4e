package muc

import (
	"time"
)

// Kind says what an Event reports.
type Kind uint8

// Event kinds.
const (
	KindNone               Kind = iota // nothing to show (a reply that changed nothing)
	KindJoined                         // we are in the room (Created: we made it)
	KindJoinFailed                     // the room refused us (Error says why)
	KindNickConflict                   // our nick was taken: retrying as NewNick
	KindLeft                           // we left the room
	KindKicked                         // Nick (or we, with Self) was kicked by Actor because Reason
	KindBanned                         // likewise, banned
	KindRemoved                        // removed for an affiliation change, members-only, shutdown (Codes)
	KindDestroyed                      // the room was destroyed (Destroy)
	KindDropped                        // we are no longer in the room (333, self-ping): rejoining
	KindOccupantJoined                 // Nick came in (Initial: part of our join)
	KindOccupantLeft                   // Nick went away
	KindNickChanged                    // Nick is now NewNick
	KindRoleChanged                    // Nick's role went from Old.Role to Occupant.Role
	KindAffiliationChanged             // Nick's affiliation went from Old to Occupant
	KindOccupantPresence               // Nick's show or status changed
	KindPresenceError                  // the room refused a presence while we are in (a nick change)
	KindSubject                        // the subject is Subject, set by Nick (OnJoin: the one shown on join)
	KindMessage                        // a groupchat message (History: from the room's history)
	KindOwnEcho                        // the room reflected a message we sent: already shown, not shown again
	KindDuplicate                      // a message already seen (same stanza-id from the room): not shown
	KindPrivate                        // a private message from Nick through the room (always worth a notification)
	KindNotice                         // a message from the room itself (status codes, a notice)
	KindInvite                         // an invitation (Invite)
	KindDeclined                       // our invitation was declined by Nick
	KindMessageError                   // the room bounced a message (Error)
	KindStillJoined                    // a self-ping says we are still in
)

// Action is what the engine should send because of an event.
type Action uint8

// Actions.
const (
	ActionNone      Action = iota
	ActionRejoin           // send Rooms.JoinPresence(Room)
	ActionConfigure        // a room we created is locked: send InstantRoom or ConfigGet
)

// Event is what applying one stanza to the rooms did.
type Event struct {
	Kind      Kind
	Room      string // bare room JID
	Nick      string // the occupant concerned; for a message, its sender
	NewNick   string
	Self      bool // it is about us
	Occupant  Occupant
	Old       Occupant // before a role or affiliation change
	Actor     string
	Reason    string
	Codes     []int
	Created   bool // with KindJoined: the room is new (201)
	Initial   bool // with KindOccupantJoined: part of our join's occupant list
	OnJoin    bool // with KindSubject: the subject sent when we joined
	History   bool // with KindMessage: from the room's history (delayed by the room)
	Highlight bool // with KindMessage: mentions our nick or a configured word
	Stamp     time.Time
	Subject   string
	Message   *Message
	Error     *Error
	Destroy   *Destroy
	Invite    *Invite
	Action    Action
}
