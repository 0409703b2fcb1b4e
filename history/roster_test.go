package history

import (
	"context"
	"reflect"
	"testing"

	"chat/event"
)

func TestRosterRoundTrip(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	const alice = "alice@example.org"

	v, items, err := s.LoadRoster(ctx, alice)
	if err != nil || v != "" || items != nil {
		t.Fatalf("empty cache: %q, %v, %v", v, items, err)
	}

	bob := event.RosterItem{JID: "bob@example.org", Name: "Bob", Subscription: "both", Groups: []string{"Friends", "Work"}}
	carol := event.RosterItem{JID: "carol@example.org", Subscription: "none", Ask: "subscribe"}
	dave := event.RosterItem{JID: "dave@example.org", Subscription: "to"}
	if err := s.SaveRoster(ctx, alice, "v1", []event.RosterItem{carol, bob, dave}); err != nil {
		t.Fatal(err)
	}
	// Another account's roster must stay apart.
	if err := s.SaveRoster(ctx, "zed@example.org", "z1", []event.RosterItem{dave}); err != nil {
		t.Fatal(err)
	}
	check(t, s, alice, "v1", bob, carol, dave)

	// A full save replaces everything.
	if err := s.SaveRoster(ctx, alice, "v2", []event.RosterItem{carol, dave}); err != nil {
		t.Fatal(err)
	}
	check(t, s, alice, "v2", carol, dave)

	// Push: add, update, remove.
	erin := event.RosterItem{JID: "erin@example.org", Subscription: "from", Groups: []string{"Café"}}
	if err := s.ApplyRosterPush(ctx, alice, "v3", erin); err != nil {
		t.Fatal(err)
	}
	check(t, s, alice, "v3", carol, dave, erin)

	carol.Subscription, carol.Ask, carol.Name = "to", "", "Carol"
	if err := s.ApplyRosterPush(ctx, alice, "v4", carol); err != nil {
		t.Fatal(err)
	}
	check(t, s, alice, "v4", carol, dave, erin)

	if err := s.ApplyRosterPush(ctx, alice, "v5", event.RosterItem{JID: dave.JID, Subscription: "remove"}); err != nil {
		t.Fatal(err)
	}
	check(t, s, alice, "v5", carol, erin)

	// Removing an unknown contact still moves the version.
	if err := s.ApplyRosterPush(ctx, alice, "v6", event.RosterItem{JID: "nobody@example.org", Subscription: "remove"}); err != nil {
		t.Fatal(err)
	}
	check(t, s, alice, "v6", carol, erin)

	check(t, s, "zed@example.org", "z1", dave)
}

func check(t *testing.T, s *Store, account, wantVersion string, want ...event.RosterItem) {
	t.Helper()
	v, items, err := s.LoadRoster(context.Background(), account)
	if err != nil {
		t.Fatal(err)
	}
	if v != wantVersion {
		t.Errorf("%s: version %q, want %q", account, v, wantVersion)
	}
	if !reflect.DeepEqual(items, want) {
		t.Errorf("%s: items\n got %+v\nwant %+v", account, items, want)
	}
}

func TestRosterSaveEmpty(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	if err := s.SaveRoster(ctx, "a@x", "v1", []event.RosterItem{{JID: "b@x"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveRoster(ctx, "a@x", "v2", nil); err != nil {
		t.Fatal(err)
	}
	check(t, s, "a@x", "v2")
}
