// Package event is the vocabulary shared by the stream engine, the event
// loop and every front end: typed, plain-data events that say what happened
// on an account (a message arrived, a contact went away, the connection
// dropped) and what a command printed.
//
// Events carry no behaviour and hold no references to sessions, widgets or
// stores, so they can be queued, logged, printed as JSON and compared in
// tests. This package must not import the engine, storage or any UI.
//
// Text fields hold what the network sent, unsanitised: a front end must pass
// them through package sanitize before they reach a terminal.
package event

import "time"

// Event is anything the engine or the loop reports.
type Event interface {
	// Head returns the fields every event has.
	Head() Header
	// Kind names the event for logs, filters and JSON ("message", "presence", …).
	Kind() string
}

// Header is embedded in every event.
type Header struct {
	Time    time.Time // when the event was made (for a delayed message, see Message.Stamp)
	Account string    // bare JID of the account the event belongs to; empty for client-wide events
}

// Head implements Event.
func (h Header) Head() Header { return h }

// At returns a Header for account stamped with the current time.
func At(account string) Header { return Header{Time: time.Now(), Account: account} }

// State is the state of one account's connection.
type State string

// Connection states, in the order a healthy connection goes through them.
const (
	Offline      State = "offline"      // not connected and not trying (after /disconnect or a fatal error)
	Connecting   State = "connecting"   // dialing, TLS, SASL or bind in progress
	Online       State = "online"       // bound and ready
	Reconnecting State = "reconnecting" // lost; waiting Retry before trying again
)

// ConnState reports a change of an account's connection state.
type ConnState struct {
	Header
	State     State
	Err       string        // why the connection ended or failed, if it did
	Fatal     bool          // the engine will not retry (wrong password, untrusted certificate)
	Retry     time.Duration // with Reconnecting: the wait before the next attempt
	JID       string        // with Online: the full bound JID
	Mechanism string        // with Online: the SASL mechanism used
	Server    string        // with Online: the address connected to
	TLS       string        // with Online: the TLS version and how it started ("TLS 1.3, STARTTLS")
	Resumed   bool          // with Online: the previous stream was resumed (XEP-0198): nothing was lost, the roster and presence stand
}

// Kind implements Event.
func (ConnState) Kind() string { return "connection" }

// Message is a chat or normal message, in or out.
type Message struct {
	Header
	Outgoing bool      // sent by this account (typed here or a carbon of another client)
	From     string    // full JID of the sender
	To       string    // JID it was addressed to
	Peer     string    // bare JID of the other side: the conversation it belongs to
	ID       string    // the stanza's id attribute
	OriginID string    // XEP-0359 origin-id, used to de-duplicate
	StanzaID string    // XEP-0359 stanza-id assigned by the server, if any
	Type     string    // chat, normal, headline, groupchat or error
	Thread   string    // thread id, if any
	Subject  string    // subject, if any
	Body     string    // the text
	XHTML    string    // XEP-0071: the XML inside the XHTML-IM <body>, unparsed; "" if none
	Stamp    time.Time // when it was sent: the XEP-0203 delay if any and sane, else Time
	Delayed  bool      // Stamp comes from a delay element of our server (offline storage or archive)
	Claimed  time.Time // a sender's own delay stamp, not believed: metadata only, it does not place the message; zero if none
	Error    string    // for type error: the condition and text

	// Replaces is the id of the message this one corrects (XEP-0308), or
	// "". The engine does not know the original: whoever does must accept
	// the correction only from the same full JID (From) that sent it, and
	// only in the same conversation.
	Replaces string
	Receipt  bool // the sender asks for a XEP-0184 receipt (answered by the engine unless switched off)
	Markable bool // the sender accepts XEP-0333 chat markers for it

	// Room is the bare JID of the room a groupchat message (Peer is the
	// room) or a private message through a room (Peer is the occupant's
	// full JID) came through; Nick is the sender's nick there.
	Room      string
	Nick      string
	Highlight bool // a groupchat message that mentions our nick
}

// Kind implements Event.
func (Message) Kind() string { return "message" }

// MsgState is where an outgoing message stands.
type MsgState string

// Message states. A message the engine accepted is queued (SendMessage's
// answer says so; MessageState reports queued again only when a message
// goes back to waiting, for example to be resent after a lost session).
const (
	MsgQueued MsgState = "queued" // waiting to be written or to be confirmed
	MsgSent   MsgState = "sent"   // our server confirmed it has it (XEP-0198 ack; without stream management: written)
	MsgFailed MsgState = "failed" // it could not be delivered by this engine: Reason says why
)

// MessageState reports a change of an outgoing message's state.
type MessageState struct {
	Header
	ID     string   // the message's id (also its origin-id)
	To     string   // JID it was addressed to
	State  MsgState // queued, sent or failed
	Resent bool     // with queued: the server lost the stream, so it is sent again as a new stanza with the same origin-id
	Reason string   // with failed, or a resend: why
}

// Kind implements Event.
func (MessageState) Kind() string { return "message-state" }

// Presence is a contact's (or our own other resource's) presence.
type Presence struct {
	Header
	From      string // full JID
	Available bool   // false for type unavailable
	Show      string // "", away, chat, dnd or xa
	Status    string // free text
	Priority  int
	Error     string // for type error: the condition and text
}

// Kind implements Event.
func (Presence) Kind() string { return "presence" }

// Subscription is a subscription request or an answer to ours.
type Subscription struct {
	Header
	From   string // bare JID of the contact
	Type   string // subscribe, subscribed, unsubscribe or unsubscribed
	Status string // optional text sent with the request
	Nick   string // XEP-0172 nickname the contact gave with the request, if any
}

// Kind implements Event.
func (Subscription) Kind() string { return "subscription" }

// RosterItem is one contact in the roster.
type RosterItem struct {
	JID          string   `json:"jid"`
	Name         string   `json:"name,omitempty"`
	Subscription string   `json:"subscription,omitempty"` // none, to, from, both or remove
	Ask          string   `json:"ask,omitempty"`          // "subscribe" while our request is pending
	Groups       []string `json:"groups,omitempty"`
}

// Roster is the result of a roster fetch.
type Roster struct {
	Header
	Version   string
	Unchanged bool // the server said our cached version is current; Items is empty
	Items     []RosterItem
}

// Kind implements Event.
func (Roster) Kind() string { return "roster" }

// RosterPush is one change to the roster pushed by our server.
type RosterPush struct {
	Header
	Version string
	Item    RosterItem // Subscription "remove" means the contact was removed
}

// Kind implements Event.
func (RosterPush) Kind() string { return "roster-push" }

// Error reports something that went wrong but did not end the connection:
// a failed command, an error reply, a malformed stanza that was dropped.
type Error struct {
	Header
	Context string // what was being done ("send message to bob@example.org")
	Text    string // what went wrong
	From    string // the JID that sent an error reply, if any
}

// Kind implements Event.
func (Error) Kind() string { return "error" }

// Info is command output or a notice for the person: lines of plain text.
type Info struct {
	Header
	Text string
}

// Kind implements Event.
func (Info) Kind() string { return "info" }
