package event

// This file holds the events of the everyday protocol extensions: caps,
// chat states, receipts and markers, blocking and nicknames.

// Identity is a XEP-0030 identity of an entity.
type Identity struct {
	Category string `json:"category"`
	Type     string `json:"type"`
	Lang     string `json:"lang,omitempty"`
	Name     string `json:"name,omitempty"`
}

// Caps reports what a contact's resource supports (XEP-0115), once its
// announced ver is known and its disco#info answer has been checked
// against it.
type Caps struct {
	Header
	From       string // full JID
	Node       string // the software's node, as announced (a claim, not checked)
	Ver        string
	Identities []Identity
	Features   []string
}

// Kind implements Event.
func (Caps) Kind() string { return "caps" }

// Chat states of XEP-0085.
const (
	Active    = "active"
	Composing = "composing"
	Paused    = "paused"
	Inactive  = "inactive"
	Gone      = "gone"
)

// ChatState is a contact's XEP-0085 chat state (typing, paused, …). It
// is only reported from a full JID.
type ChatState struct {
	Header
	From  string // full JID
	Peer  string // bare JID: the conversation
	State string // active, composing, paused, inactive or gone
}

// Kind implements Event.
func (ChatState) Kind() string { return "chatstate" }

// Receipt says a contact's client got or showed one of our messages: a
// XEP-0184 delivery receipt (Marker "received", Receipt true) or a
// XEP-0333 chat marker (Marker "received", "displayed" or
// "acknowledged"). ID is the id of our message as the peer quotes it: for
// a marker, up to that message.
type Receipt struct {
	Header
	From    string // full JID of the contact's client
	Peer    string // bare JID: the conversation
	ID      string
	Marker  string // received, displayed or acknowledged
	Receipt bool   // a XEP-0184 receipt rather than a chat marker
}

// Kind implements Event.
func (Receipt) Kind() string { return "receipt" }

// Blocklist is a XEP-0191 change pushed by our server (another of our
// clients blocked or unblocked someone).
type Blocklist struct {
	Header
	Blocked      []string // JIDs now blocked
	Unblocked    []string // JIDs no longer blocked
	UnblockedAll bool     // everyone was unblocked
}

// Kind implements Event.
func (Blocklist) Kind() string { return "blocklist" }

// Nick is a contact's own XEP-0172 nickname, published with PEP. An empty
// Nick means they retracted it.
type Nick struct {
	Header
	From string // bare JID
	Nick string
}

// Kind implements Event.
func (Nick) Kind() string { return "nick" }
