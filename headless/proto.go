package headless

import (
	"fmt"
	"strings"

	"chat/event"
	"chat/sanitize"
)

// This file is the everyday protocol's events in both forms: caps, chat
// states, receipts and markers, blocklist pushes, nicknames, and the
// correction, receipt and marker fields of a message.

// ProtoFields are the Record fields of the protocol events, flattened
// into Record.
type ProtoFields struct {
	Replaces     string           `json:"replaces,omitempty"`      // message: the id it corrects (XEP-0308), accepted
	Receipt      bool             `json:"receipt,omitempty"`       // message: asks for a receipt; receipt: a XEP-0184 receipt
	Markable     bool             `json:"markable,omitempty"`      // message: accepts XEP-0333 markers
	Marker       string           `json:"marker,omitempty"`        // receipt: received, displayed or acknowledged
	Node         string           `json:"node,omitempty"`          // caps
	Ver          string           `json:"ver,omitempty"`           // caps
	Identities   []event.Identity `json:"identities,omitempty"`    // caps
	Features     []string         `json:"features,omitempty"`      // caps
	Blocked      []string         `json:"blocked,omitempty"`       // blocklist
	Unblocked    []string         `json:"unblocked,omitempty"`     // blocklist
	UnblockedAll bool             `json:"unblocked_all,omitempty"` // blocklist
}

// protoRecord fills r's fields for a protocol event.
func protoRecord(r *Record, ev event.Event) {
	switch e := ev.(type) {
	case event.Message:
		r.Replaces, r.Receipt, r.Markable = e.Replaces, e.Receipt, e.Markable
	case event.Caps:
		r.From, r.Node, r.Ver, r.Identities, r.Features = e.From, e.Node, e.Ver, e.Identities, e.Features
	case event.ChatState:
		r.From, r.Peer, r.State = e.From, e.Peer, e.State
	case event.Receipt:
		r.From, r.Peer, r.ID, r.Marker, r.Receipt = e.From, e.Peer, e.ID, e.Marker, e.Receipt
	case event.Blocklist:
		r.Blocked, r.Unblocked, r.UnblockedAll = e.Blocked, e.Unblocked, e.UnblockedAll
	case event.Nick:
		r.From, r.Nick = e.From, e.Nick
	}
}

// protoDetails is the text form of a protocol event; ok is false for
// another kind.
func protoDetails(ev event.Event) (string, bool) {
	l := sanitize.Line
	switch e := ev.(type) {
	case event.Caps:
		return fmt.Sprintf("%s node %s ver %s: %d identities, %d features", l(e.From), l(e.Node), l(e.Ver),
			len(e.Identities), len(e.Features)), true
	case event.ChatState:
		return fmt.Sprintf("%s %s", l(e.From), l(e.State)), true
	case event.Receipt:
		return fmt.Sprintf("%s %s %s", l(e.From), l(e.Marker), l(e.ID)), true
	case event.Blocklist:
		return blocklistText(e), true
	case event.Nick:
		if e.Nick == "" {
			return l(e.From) + " retracted their nickname", true
		}
		return fmt.Sprintf("%s is %s", l(e.From), l(e.Nick)), true
	}
	return "", false
}

func blocklistText(e event.Blocklist) string {
	var parts []string
	if e.UnblockedAll {
		parts = append(parts, "unblocked everyone")
	}
	list := func(what string, jids []string) {
		if len(jids) == 0 {
			return
		}
		clean := make([]string, len(jids))
		for i, j := range jids {
			clean[i] = sanitize.Line(j)
		}
		parts = append(parts, what+" "+strings.Join(clean, ", "))
	}
	list("blocked", e.Blocked)
	list("unblocked", e.Unblocked)
	return strings.Join(parts, "; ")
}

// correctionNote is what the text form adds to a message that corrects
// another.
func correctionNote(e event.Message) string {
	if e.Replaces == "" {
		return ""
	}
	return " (correction of " + sanitize.Line(e.Replaces) + ")"
}
