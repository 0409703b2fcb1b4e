// Package state is the client's in-memory model of its accounts: the
// connection state of each, its roster, and the presence of every contact
// resource. The event loop feeds it every event (Apply) and front ends read
// it to draw rosters and answer /roster and /info.
//
// It is plain data changed only by Apply, on the loop goroutine; it does no
// I/O and must not import the engine, storage or any UI.
package state

import (
	"sort"
	"strings"

	"chat/event"
)

// State holds every account the loop knows of.
type State struct {
	accounts map[string]*Account
	order    []string // account JIDs in the order they were added
}

// Account is one account's view of the world.
type Account struct {
	JID           string
	Conn          event.ConnState // the last connection event
	RosterVersion string
	Contacts      map[string]*Contact // by bare JID
	Self          map[string]event.Presence
	Requests      map[string]string // subscription requests awaiting an answer: bare JID → their text
}

// Contact is a roster entry and the presence of each of its resources.
type Contact struct {
	Item      event.RosterItem
	Resources map[string]event.Presence // by full JID; only available ones
}

// New returns an empty State.
func New() *State { return &State{accounts: map[string]*Account{}} }

// Account returns the account with bare JID j, adding it if new.
func (s *State) Account(j string) *Account {
	if a, ok := s.accounts[j]; ok {
		return a
	}
	a := &Account{JID: j, Contacts: map[string]*Contact{}, Self: map[string]event.Presence{},
		Requests: map[string]string{}, Conn: event.ConnState{State: event.Offline}}
	s.accounts[j] = a
	s.order = append(s.order, j)
	return a
}

// Lookup returns the account with bare JID j if it is known.
func (s *State) Lookup(j string) (*Account, bool) {
	a, ok := s.accounts[j]
	return a, ok
}

// Accounts returns the accounts in the order they were added.
func (s *State) Accounts() []*Account {
	out := make([]*Account, 0, len(s.order))
	for _, j := range s.order {
		out = append(out, s.accounts[j])
	}
	return out
}

// Apply updates the state with one event.
func (s *State) Apply(ev event.Event) {
	acct := ev.Head().Account
	if acct == "" {
		return
	}
	a := s.Account(acct)
	switch e := ev.(type) {
	case event.ConnState:
		a.Conn = e
		if e.State != event.Online {
			a.clearPresence()
		}
	case event.Roster:
		a.applyRoster(e)
	case event.RosterPush:
		a.applyPush(e.Version, e.Item)
	case event.Presence:
		a.applyPresence(e)
	case event.Subscription:
		if e.Type == "subscribe" {
			a.Requests[e.From] = e.Status
		}
	}
}

// SetRoster replaces the roster with items loaded from the cache.
func (a *Account) SetRoster(version string, items []event.RosterItem) {
	old := a.Contacts
	a.Contacts = make(map[string]*Contact, len(items))
	for _, it := range items {
		c := &Contact{Item: it, Resources: map[string]event.Presence{}}
		if prev, ok := old[it.JID]; ok {
			c.Resources = prev.Resources
		}
		a.Contacts[it.JID] = c
	}
	a.RosterVersion = version
}

func (a *Account) applyRoster(r event.Roster) {
	if r.Unchanged {
		a.RosterVersion = r.Version
		return
	}
	a.SetRoster(r.Version, r.Items)
}

func (a *Account) applyPush(version string, it event.RosterItem) {
	if version != "" {
		a.RosterVersion = version
	}
	if it.Subscription == "remove" {
		delete(a.Contacts, it.JID)
		return
	}
	if it.Subscription == "from" || it.Subscription == "both" {
		delete(a.Requests, it.JID) // answered, here or by another client
	}
	if c, ok := a.Contacts[it.JID]; ok {
		c.Item = it
		return
	}
	a.Contacts[it.JID] = &Contact{Item: it, Resources: map[string]event.Presence{}}
}

func (a *Account) applyPresence(p event.Presence) {
	bare := bareJID(p.From)
	if bare == a.JID {
		setPresence(a.Self, p)
		return
	}
	c, ok := a.Contacts[bare]
	if !ok {
		return // presence from outside the roster (directed); not shown in the roster
	}
	setPresence(c.Resources, p)
}

func setPresence(m map[string]event.Presence, p event.Presence) {
	if p.Available {
		m[p.From] = p
		return
	}
	if p.From == bareJID(p.From) {
		clear(m) // unavailable from the bare JID: every resource is gone
		return
	}
	delete(m, p.From)
}

func (a *Account) clearPresence() {
	for _, c := range a.Contacts {
		clear(c.Resources)
	}
	clear(a.Self)
}

// Best returns the presence of the contact's highest-priority available
// resource (ties go to the "most available" show), and whether any
// resource is available.
func (c *Contact) Best() (event.Presence, bool) {
	var best event.Presence
	found := false
	for _, p := range c.Resources {
		if !found || better(p, best) {
			best, found = p, true
		}
	}
	return best, found
}

// better reports whether p outranks q: higher priority, then more available
// show, then the smaller JID so that the answer does not depend on map order.
func better(p, q event.Presence) bool {
	if p.Priority != q.Priority {
		return p.Priority > q.Priority
	}
	if rp, rq := ShowRank(p.Show), ShowRank(q.Show); rp != rq {
		return rp < rq
	}
	return p.From < q.From
}

// ShowRank orders shows from most to least available: chat, "", away, xa, dnd.
func ShowRank(show string) int {
	switch show {
	case "chat":
		return 0
	case "":
		return 1
	case "away":
		return 2
	case "xa":
		return 3
	case "dnd":
		return 4
	}
	return 5
}

// Sorted returns the contacts sorted by availability, then name ignoring
// case, then JID (so the order does not depend on map order).
func (a *Account) Sorted() []*Contact {
	out := make([]*Contact, 0, len(a.Contacts))
	for _, c := range a.Contacts {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		ri, rj := rank(out[i]), rank(out[j])
		if ri != rj {
			return ri < rj
		}
		if li, lj := strings.ToLower(out[i].Label()), strings.ToLower(out[j].Label()); li != lj {
			return li < lj
		}
		return out[i].Item.JID < out[j].Item.JID
	})
	return out
}

func rank(c *Contact) int {
	p, ok := c.Best()
	if !ok {
		return 10
	}
	return ShowRank(p.Show)
}

// Label is the contact's name, or its JID when it has none.
func (c *Contact) Label() string {
	if c.Item.Name != "" {
		return c.Item.Name
	}
	return c.Item.JID
}

func bareJID(full string) string {
	if i := strings.IndexByte(full, '/'); i >= 0 {
		return full[:i]
	}
	return full
}
