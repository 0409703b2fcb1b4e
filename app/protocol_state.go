package app

import (
	"strings"

	"chat/event"
)

// This file is what the loop remembers of the everyday protocol: peers'
// caps (for /caps), the blocklist, the recent messages of each
// conversation with their senders (to judge XEP-0308 corrections), our
// last message in each (for /correct), the chat states seen and sent, and
// the switches of /set chatstates and /set markers.
//
// The view's contract: an event.Message that reaches View.Show with
// Replaces set is an accepted correction of the message with that id in
// the same conversation, from the same full JID that sent it. A refused
// one reaches the view with Replaces cleared, followed by an event.Info
// saying why. Messages and chat states from blocked JIDs never reach the
// view, nor history.

// Bounds on what a flood of peers can make the loop hold.
const (
	maxRecent    = 64   // messages remembered per conversation for corrections
	maxConvs     = 1024 // conversations remembered
	maxCapsPeers = 4096 // resources whose caps are kept for /caps
)

type convKey struct{ account, peer string }

// recentMsg is a message a correction may refer to.
type recentMsg struct {
	id, from string
	outgoing bool
}

type protoState struct {
	caps       map[string]map[string]event.Caps // account → full JID → caps
	capsN      int
	blocked    map[string]map[string]bool // account → JID (bare, full or domain)
	recent     map[convKey][]recentMsg
	sent       map[convKey]string // our last message's id
	theirState map[convKey]string // the contact's chat state
	ourState   map[convKey]string // the chat state we last sent
	noStates   bool               // /set chatstates off
	noMarkers  bool               // /set markers off
	noReceipts bool               // /set receipts off: for engines made from now on
}

// protocol returns the loop's protocol state, made on first use.
func (a *App) protocol() *protoState {
	if a.proto == nil {
		a.proto = &protoState{
			caps: map[string]map[string]event.Caps{}, blocked: map[string]map[string]bool{},
			recent: map[convKey][]recentMsg{}, sent: map[convKey]string{},
			theirState: map[convKey]string{}, ourState: map[convKey]string{},
		}
	}
	return a.proto
}

func (p *protoState) lastSent(account, peer string) string {
	return p.sent[convKey{account, peer}]
}

// capsOf returns the caps seen from j: that resource, or for a bare JID
// every resource of it.
func (p *protoState) capsOf(account, j string) []event.Caps {
	var out []event.Caps
	for full, c := range p.caps[account] {
		if strings.EqualFold(full, j) || strings.EqualFold(bare(full), j) {
			out = append(out, c)
		}
	}
	return out
}

func (p *protoState) addCaps(c event.Caps) {
	m := p.caps[c.Account]
	if m == nil {
		m = map[string]event.Caps{}
		p.caps[c.Account] = m
	}
	if _, ok := m[c.From]; !ok {
		if p.capsN >= maxCapsPeers {
			return
		}
		p.capsN++
	}
	m[c.From] = c
}

func (p *protoState) dropCaps(account, full string) {
	if m := p.caps[account]; m != nil {
		if _, ok := m[full]; ok {
			delete(m, full)
			p.capsN--
		}
	}
}

// isBlocked reports whether a message from full is blocked on account: by
// its full JID, its bare JID or its domain (XEP-0191 §3.2 matching).
func (p *protoState) isBlocked(account, full string) bool {
	set := p.blocked[account]
	if len(set) == 0 {
		return false
	}
	b := strings.ToLower(bare(full))
	domain := b
	if i := strings.IndexByte(b, '@'); i >= 0 {
		domain = b[i+1:]
	}
	return set[strings.ToLower(full)] || set[b] || set[domain]
}

// setBlocked replaces account's blocklist (fetched at login).
func (p *protoState) setBlocked(account string, jids []string) {
	set := map[string]bool{}
	for _, j := range jids {
		set[strings.ToLower(j)] = true
	}
	p.blocked[account] = set
}

// applyBlocklist applies a push.
func (p *protoState) applyBlocklist(b event.Blocklist) {
	set := p.blocked[b.Account]
	if set == nil || b.UnblockedAll {
		set = map[string]bool{}
		p.blocked[b.Account] = set
	}
	for _, j := range b.Blocked {
		set[strings.ToLower(j)] = true
	}
	for _, j := range b.Unblocked {
		delete(set, strings.ToLower(j))
	}
}

// remember records a message a later correction may refer to.
func (p *protoState) remember(m event.Message) {
	if m.ID == "" || m.Peer == "" {
		return
	}
	k := convKey{m.Account, m.Peer}
	list, ok := p.recent[k]
	if !ok && len(p.recent) >= maxConvs {
		for old := range p.recent { // forget one conversation, any
			delete(p.recent, old)
			delete(p.sent, old)
			break
		}
	}
	if len(list) >= maxRecent {
		list = append(list[:0], list[1:]...)
	}
	p.recent[k] = append(list, recentMsg{id: m.ID, from: m.From, outgoing: m.Outgoing})
	if m.Outgoing && m.Replaces == "" {
		p.sent[k] = m.ID
	}
}

// judge decides whether correction c may replace its original: only one
// we remember in the same conversation, sent by the same full JID (our
// own corrections of our own messages are ours whatever the resource).
// It returns "" when accepted, else why not.
func (p *protoState) judge(c event.Message) string {
	for _, r := range p.recent[convKey{c.Account, c.Peer}] {
		if r.id != c.Replaces {
			continue
		}
		switch {
		case c.Outgoing && r.outgoing:
			return ""
		case !c.Outgoing && !r.outgoing && r.from == c.From:
			return ""
		}
		return "the original came from another address"
	}
	return "the original is not known"
}
