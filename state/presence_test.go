package state

import (
	"slices"
	"testing"

	"chat/event"
)

func TestPresenceResourcesAndBest(t *testing.T) {
	s, a := withRoster(t, "bob@example.org")
	bob := contact(t, a, "bob@example.org")
	if _, ok := bob.Best(); ok {
		t.Fatal("Best found a resource with no presence")
	}
	s.Apply(avail("bob@example.org/phone", "away", 5))
	s.Apply(avail("bob@example.org/laptop", "dnd", 10))
	s.Apply(avail("bob@example.org/tablet", "chat", -1))
	if n := len(bob.Resources); n != 3 {
		t.Fatalf("resources = %v, want 3", keys(bob.Resources))
	}
	if p, _ := bob.Best(); p.From != "bob@example.org/laptop" {
		t.Errorf("Best = %s, want the highest priority (laptop)", p.From)
	}
	// Same priority: the most available show wins.
	s.Apply(avail("bob@example.org/phone", "xa", 10))
	s.Apply(avail("bob@example.org/tablet", "", 10))
	if p, _ := bob.Best(); p.From != "bob@example.org/tablet" {
		t.Errorf("Best = %s (%q), want tablet (\"\" beats xa and dnd at equal priority)", p.From, p.Show)
	}
	// An update replaces the resource's presence.
	s.Apply(avail("bob@example.org/laptop", "chat", 10))
	if p, _ := bob.Best(); p.From != "bob@example.org/laptop" || p.Show != "chat" {
		t.Errorf("Best = %s %q, want laptop chat", p.From, p.Show)
	}
	if n := len(bob.Resources); n != 3 {
		t.Errorf("update added a resource: %v", keys(bob.Resources))
	}

	s.Apply(gone("bob@example.org/laptop"))
	if got := keys(bob.Resources); !slices.Equal(got, []string{"bob@example.org/phone", "bob@example.org/tablet"}) {
		t.Errorf("after laptop went: %v", got)
	}
	if p, ok := bob.Best(); !ok || p.From != "bob@example.org/tablet" {
		t.Errorf("Best = %s %v, want tablet", p.From, ok)
	}

	s.Apply(gone("bob@example.org"))
	if n := len(bob.Resources); n != 0 {
		t.Errorf("unavailable from the bare JID left %v", keys(bob.Resources))
	}
	if _, ok := bob.Best(); ok {
		t.Error("Best found a resource after all went away")
	}
}

func TestBestIsDeterministic(t *testing.T) {
	c := &Contact{Item: item("bob@example.org", "", "both"), Resources: map[string]event.Presence{}}
	for _, r := range []string{"d", "b", "a", "c", "e", "f", "g", "h"} {
		c.Resources["bob@example.org/"+r] = avail("bob@example.org/"+r, "away", 3)
	}
	for range 50 {
		if p, _ := c.Best(); p.From != "bob@example.org/a" {
			t.Fatalf("Best = %s among equals, want the first by JID (a) every time", p.From)
		}
	}
}

func TestShowRank(t *testing.T) {
	order := []string{"chat", "", "away", "xa", "dnd", "bogus"}
	for i := 1; i < len(order); i++ {
		if ShowRank(order[i-1]) >= ShowRank(order[i]) {
			t.Errorf("ShowRank(%q) = %d not below ShowRank(%q) = %d",
				order[i-1], ShowRank(order[i-1]), order[i], ShowRank(order[i]))
		}
	}
}

func TestPresenceFromOutsideRosterIgnored(t *testing.T) {
	s, a := withRoster(t, "bob@example.org")
	s.Apply(avail("mallory@evil.example/x", "chat", 99))
	s.Apply(gone("mallory@evil.example"))
	if _, ok := a.Contacts["mallory@evil.example"]; ok {
		t.Error("presence added a contact to the roster")
	}
	if len(a.Contacts) != 1 || len(contact(t, a, "bob@example.org").Resources) != 0 || len(a.Self) != 0 {
		t.Error("presence from outside the roster changed state")
	}
}

func TestOwnResourcesInSelf(t *testing.T) {
	s, a := withRoster(t, "bob@example.org")
	s.Apply(avail(me+"/desktop", "", 0))
	s.Apply(avail(me+"/phone", "away", 0))
	if got := keys(a.Self); !slices.Equal(got, []string{me + "/desktop", me + "/phone"}) {
		t.Errorf("Self = %v", got)
	}
	if _, ok := a.Contacts[me]; ok {
		t.Error("own account added as a contact")
	}
	s.Apply(gone(me + "/phone"))
	if got := keys(a.Self); !slices.Equal(got, []string{me + "/desktop"}) {
		t.Errorf("Self after phone went = %v", got)
	}
	s.Apply(gone(me))
	if len(a.Self) != 0 {
		t.Errorf("Self after bare unavailable = %v", keys(a.Self))
	}
}

func TestOwnResourcesWhenInRoster(t *testing.T) {
	// Some people put themselves in their roster: presence still goes to Self.
	s, a := withRoster(t, me)
	s.Apply(avail(me+"/desktop", "", 0))
	if len(a.Self) != 1 || len(contact(t, a, me).Resources) != 0 {
		t.Errorf("Self = %v, contact resources = %v", keys(a.Self), keys(contact(t, a, me).Resources))
	}
}

func TestSortedOrder(t *testing.T) {
	s, a := withRoster(t)
	for _, it := range []event.RosterItem{
		item("zed@example.org", "", "both"),           // offline, label is the JID
		item("amy@example.org", "amy", "both"),        // offline
		item("b1@example.org", "Bob", "both"),         // offline, same label as b2
		item("b2@example.org", "bob", "both"),         // offline
		item("carl@example.org", "Carl", "both"),      // available
		item("anna@example.org", "anna", "both"),      // available
		item("xavier@example.org", "Xavier", "both"),  // away
		item("mona@example.org", "Mona", "both"),      // chat
		item("walter@example.org", "walter", "both"),  // available via a second resource
		item("yves@example.org", "Yves Gone", "both"), // came and went
	} {
		s.Apply(event.RosterPush{Header: head(), Item: it})
	}
	s.Apply(avail("carl@example.org/a", "", 0))
	s.Apply(avail("anna@example.org/a", "", 0))
	s.Apply(avail("xavier@example.org/a", "away", 0))
	s.Apply(avail("mona@example.org/a", "chat", 0))
	s.Apply(avail("walter@example.org/a", "dnd", 0))
	s.Apply(avail("walter@example.org/b", "", 1))
	s.Apply(avail("yves@example.org/a", "", 0))
	s.Apply(gone("yves@example.org/a"))

	want := []string{
		"mona@example.org",                                           // chat
		"anna@example.org", "carl@example.org", "walter@example.org", // available, by label ignoring case
		"xavier@example.org",                                                                         // away
		"amy@example.org", "b1@example.org", "b2@example.org", "yves@example.org", "zed@example.org", // offline
	}
	for range 20 { // map order differs between runs; the result must not
		var got []string
		for _, c := range a.Sorted() {
			got = append(got, c.Item.JID)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("Sorted =\n%v\nwant\n%v", got, want)
		}
	}
}

func TestLabel(t *testing.T) {
	named := &Contact{Item: item("bob@example.org", "Bob", "")}
	unnamed := &Contact{Item: item("bob@example.org", "", "")}
	if named.Label() != "Bob" || unnamed.Label() != "bob@example.org" {
		t.Errorf("labels = %q, %q", named.Label(), unnamed.Label())
	}
}
