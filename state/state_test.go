package state

import (
	"slices"
	"testing"
	"time"

	"chat/event"
)

const me = "me@example.org"

var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

func head() event.Header { return event.Header{Time: t0, Account: me} }

func item(j, name, sub string) event.RosterItem {
	return event.RosterItem{JID: j, Name: name, Subscription: sub}
}

func avail(from, show string, prio int) event.Presence {
	return event.Presence{Header: head(), From: from, Available: true, Show: show, Priority: prio}
}

func gone(from string) event.Presence {
	return event.Presence{Header: head(), From: from}
}

// withRoster returns a State whose account me has the given contacts.
func withRoster(t *testing.T, jids ...string) (*State, *Account) {
	t.Helper()
	s := New()
	items := make([]event.RosterItem, 0, len(jids))
	for _, j := range jids {
		items = append(items, item(j, "", "both"))
	}
	s.Apply(event.Roster{Header: head(), Version: "v1", Items: items})
	a, ok := s.Lookup(me)
	if !ok {
		t.Fatalf("account %s not added by a roster event", me)
	}
	return s, a
}

func contact(t *testing.T, a *Account, j string) *Contact {
	t.Helper()
	c, ok := a.Contacts[j]
	if !ok {
		t.Fatalf("contact %s missing; have %v", j, keys(a.Contacts))
	}
	return c
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestNewAccountStartsOffline(t *testing.T) {
	s := New()
	if _, ok := s.Lookup(me); ok {
		t.Fatal("Lookup found an account in a new State")
	}
	a := s.Account(me)
	if a.JID != me || a.Conn.State != event.Offline {
		t.Errorf("new account = %q %q, want %q offline", a.JID, a.Conn.State, me)
	}
	if a.Contacts == nil || a.Self == nil || a.Requests == nil {
		t.Error("new account has nil maps")
	}
	if again := s.Account(me); again != a {
		t.Error("Account returned a different account for the same JID")
	}
}

func TestApplyWithoutAccountIgnored(t *testing.T) {
	s := New()
	s.Apply(event.Info{Header: event.Header{Time: t0}, Text: "hello"})
	if n := len(s.Accounts()); n != 0 {
		t.Errorf("client-wide event added %d accounts", n)
	}
}

func TestConnStateLeavingOnlineClearsPresence(t *testing.T) {
	for _, st := range []event.State{event.Offline, event.Connecting, event.Reconnecting} {
		t.Run(string(st), func(t *testing.T) {
			s, a := withRoster(t, "bob@example.org")
			s.Apply(event.ConnState{Header: head(), State: event.Online, JID: me + "/laptop"})
			s.Apply(avail("bob@example.org/phone", "", 0))
			s.Apply(avail(me+"/desktop", "", 0))
			if len(contact(t, a, "bob@example.org").Resources) != 1 || len(a.Self) != 1 {
				t.Fatal("presence not recorded while online")
			}
			s.Apply(event.ConnState{Header: head(), State: st, Err: "lost"})
			if a.Conn.State != st || a.Conn.Err != "lost" {
				t.Errorf("Conn = %+v, want state %s with the error", a.Conn, st)
			}
			if n := len(contact(t, a, "bob@example.org").Resources); n != 0 {
				t.Errorf("%d contact resources left after %s", n, st)
			}
			if len(a.Self) != 0 {
				t.Errorf("own resources left after %s: %v", st, keys(a.Self))
			}
			if _, ok := a.Contacts["bob@example.org"]; !ok {
				t.Error("the roster itself must survive a disconnect")
			}
		})
	}
}

func TestConnStateOnlineKeepsPresence(t *testing.T) {
	s, a := withRoster(t, "bob@example.org")
	s.Apply(event.ConnState{Header: head(), State: event.Online})
	s.Apply(avail("bob@example.org/phone", "", 0))
	s.Apply(event.ConnState{Header: head(), State: event.Online, JID: me + "/x"})
	if len(contact(t, a, "bob@example.org").Resources) != 1 {
		t.Error("a second online event cleared presence")
	}
	if a.Conn.JID != me+"/x" {
		t.Errorf("Conn.JID = %q, want the latest event's", a.Conn.JID)
	}
}

func TestRosterFullReplaces(t *testing.T) {
	s, a := withRoster(t, "bob@example.org", "carol@example.org")
	s.Apply(event.Roster{Header: head(), Version: "v2", Items: []event.RosterItem{
		item("carol@example.org", "Carol", "to"), item("dave@example.org", "", "none"),
	}})
	if got := keys(a.Contacts); !slices.Equal(got, []string{"carol@example.org", "dave@example.org"}) {
		t.Errorf("contacts = %v", got)
	}
	if a.RosterVersion != "v2" {
		t.Errorf("version = %q, want v2", a.RosterVersion)
	}
	if c := contact(t, a, "carol@example.org"); c.Item.Name != "Carol" || c.Item.Subscription != "to" {
		t.Errorf("carol = %+v, want the new item", c.Item)
	}
}

func TestRosterUnchangedKeepsContacts(t *testing.T) {
	s, a := withRoster(t, "bob@example.org", "carol@example.org")
	s.Apply(avail("bob@example.org/phone", "", 0))
	s.Apply(event.Roster{Header: head(), Version: "v9", Unchanged: true})
	if got := keys(a.Contacts); !slices.Equal(got, []string{"bob@example.org", "carol@example.org"}) {
		t.Errorf("contacts after unchanged roster = %v", got)
	}
	if a.RosterVersion != "v9" {
		t.Errorf("version = %q, want v9", a.RosterVersion)
	}
	if len(contact(t, a, "bob@example.org").Resources) != 1 {
		t.Error("unchanged roster dropped presence")
	}
}

func TestSetRosterKeepsKnownResources(t *testing.T) {
	s, a := withRoster(t, "bob@example.org", "carol@example.org")
	s.Apply(avail("bob@example.org/phone", "away", 1))
	s.Apply(avail("carol@example.org/pc", "", 0))
	a.SetRoster("cache-3", []event.RosterItem{item("bob@example.org", "Bobby", "both"), item("erin@example.org", "", "none")})
	if a.RosterVersion != "cache-3" {
		t.Errorf("version = %q", a.RosterVersion)
	}
	bob := contact(t, a, "bob@example.org")
	if p, ok := bob.Resources["bob@example.org/phone"]; !ok || p.Show != "away" {
		t.Errorf("bob's resources = %v, want phone kept", bob.Resources)
	}
	if bob.Item.Name != "Bobby" {
		t.Errorf("bob's name = %q, want the new item", bob.Item.Name)
	}
	if _, ok := a.Contacts["carol@example.org"]; ok {
		t.Error("carol should be gone")
	}
	erin := contact(t, a, "erin@example.org")
	if erin.Resources == nil || len(erin.Resources) != 0 {
		t.Errorf("new contact resources = %v, want empty non-nil map", erin.Resources)
	}
	// A new contact's map must be its own: presence for erin must not show up elsewhere.
	s.Apply(avail("erin@example.org/a", "", 0))
	if len(bob.Resources) != 1 || len(erin.Resources) != 1 {
		t.Errorf("resources shared between contacts: bob %v erin %v", bob.Resources, erin.Resources)
	}
}

func TestRosterPush(t *testing.T) {
	s, a := withRoster(t, "bob@example.org")
	s.Apply(avail("bob@example.org/phone", "", 0))

	s.Apply(event.RosterPush{Header: head(), Version: "v2", Item: item("carol@example.org", "Carol", "none")})
	if c := contact(t, a, "carol@example.org"); c.Item.Name != "Carol" || c.Resources == nil {
		t.Errorf("added contact = %+v", c)
	}
	if a.RosterVersion != "v2" {
		t.Errorf("version after add = %q, want v2", a.RosterVersion)
	}

	s.Apply(event.RosterPush{Header: head(), Version: "v3", Item: item("bob@example.org", "Robert", "to")})
	bob := contact(t, a, "bob@example.org")
	if bob.Item.Name != "Robert" || bob.Item.Subscription != "to" {
		t.Errorf("updated bob = %+v", bob.Item)
	}
	if len(bob.Resources) != 1 {
		t.Error("update dropped bob's presence")
	}
	if a.RosterVersion != "v3" {
		t.Errorf("version after update = %q, want v3", a.RosterVersion)
	}

	s.Apply(event.RosterPush{Header: head(), Item: item("bob@example.org", "", "remove")})
	if _, ok := a.Contacts["bob@example.org"]; ok {
		t.Error("bob not removed")
	}
	if a.RosterVersion != "v3" {
		t.Errorf("push without version changed it to %q", a.RosterVersion)
	}
	s.Apply(event.RosterPush{Header: head(), Version: "v5", Item: item("nobody@example.org", "", "remove")})
	if got := keys(a.Contacts); !slices.Equal(got, []string{"carol@example.org"}) || a.RosterVersion != "v5" {
		t.Errorf("after removing an unknown contact: %v version %q", got, a.RosterVersion)
	}
}

func TestSubscriptionRequests(t *testing.T) {
	s, a := withRoster(t)
	s.Apply(event.Subscription{Header: head(), From: "bob@example.org", Type: "subscribe", Status: "it's Bob"})
	s.Apply(event.Subscription{Header: head(), From: "carol@example.org", Type: "subscribe"})
	s.Apply(event.Subscription{Header: head(), From: "dave@example.org", Type: "subscribed"})
	s.Apply(event.Subscription{Header: head(), From: "erin@example.org", Type: "unsubscribe"})
	if got := keys(a.Requests); !slices.Equal(got, []string{"bob@example.org", "carol@example.org"}) {
		t.Fatalf("Requests = %v, want bob and carol only", got)
	}
	if a.Requests["bob@example.org"] != "it's Bob" {
		t.Errorf("bob's request text = %q", a.Requests["bob@example.org"])
	}
	s.Apply(event.RosterPush{Header: head(), Item: item("bob@example.org", "", "to")})
	if _, ok := a.Requests["bob@example.org"]; !ok {
		t.Error("subscription to does not answer bob's request")
	}
	s.Apply(event.RosterPush{Header: head(), Item: item("bob@example.org", "", "from")})
	if _, ok := a.Requests["bob@example.org"]; ok {
		t.Error("subscription from did not clear bob's request")
	}
	s.Apply(event.RosterPush{Header: head(), Item: item("carol@example.org", "", "both")})
	if len(a.Requests) != 0 {
		t.Errorf("subscription both did not clear carol's request: %v", keys(a.Requests))
	}
}

func TestAccountsOrder(t *testing.T) {
	s := New()
	s.Account("c@example.org")
	s.Apply(event.Info{Header: event.Header{Time: t0, Account: "a@example.org"}, Text: "x"})
	s.Account("b@example.org")
	s.Account("c@example.org") // already known: must not move or repeat
	var got []string
	for _, a := range s.Accounts() {
		got = append(got, a.JID)
	}
	if want := []string{"c@example.org", "a@example.org", "b@example.org"}; !slices.Equal(got, want) {
		t.Errorf("Accounts = %v, want %v", got, want)
	}
}

func TestAccountsAreSeparate(t *testing.T) {
	s := New()
	other := "other@example.net"
	s.Apply(event.Roster{Header: head(), Items: []event.RosterItem{item("bob@example.org", "", "both")}})
	s.Apply(event.Roster{Header: event.Header{Time: t0, Account: other}, Items: []event.RosterItem{item("bob@example.org", "", "both")}})
	s.Apply(avail("bob@example.org/phone", "", 0))
	a, _ := s.Lookup(me)
	b, _ := s.Lookup(other)
	if len(a.Contacts["bob@example.org"].Resources) != 1 || len(b.Contacts["bob@example.org"].Resources) != 0 {
		t.Error("presence on one account leaked to another")
	}
}
