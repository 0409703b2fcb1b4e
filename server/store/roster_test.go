package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"testing"
)

// version parses a roster version, failing the test if it is not a
// decimal integer.
func version(t *testing.T, v string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		t.Fatalf("roster version %q is not an integer", v)
	}
	return n
}

func TestRosterPutGetRemove(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	addUser(t, s, "alice@localhost", "pw")
	v0, err := s.RosterVersion(ctx, "alice@localhost")
	if err != nil || v0 != "0" {
		t.Fatalf("fresh roster version = %q, %v; want 0", v0, err)
	}
	carol := Item{JID: "Carol@LocalHost", Name: "Carol", Groups: []string{"Friends", "Work"}}
	bob := Item{JID: "bob@localhost", Subscription: "to", Ask: true, Approved: true}
	v1, err := s.PutRosterItem(ctx, "alice@localhost", carol)
	if err != nil {
		t.Fatal(err)
	}
	v2, err := s.PutRosterItem(ctx, "alice@localhost", bob)
	if err != nil {
		t.Fatal(err)
	}
	if !(version(t, v0) < version(t, v1) && version(t, v1) < version(t, v2)) {
		t.Fatalf("versions %s, %s, %s do not grow", v0, v1, v2)
	}
	carol.JID, carol.Subscription = "carol@localhost", "none"
	want := []Item{bob, carol}
	ver, items, err := s.Roster(ctx, "alice@localhost")
	if err != nil || ver != v2 || !reflect.DeepEqual(items, want) {
		t.Fatalf("Roster = %q, %+v, %v; want %q, %+v", ver, items, err, v2, want)
	}
	got, ok, err := s.RosterItem(ctx, "alice@localhost", "CAROL@localhost")
	if err != nil || !ok || !reflect.DeepEqual(got, carol) {
		t.Fatalf("RosterItem = %+v, %v, %v; want %+v", got, ok, err, carol)
	}
	if _, ok, err := s.RosterItem(ctx, "alice@localhost", "dave@localhost"); ok || err != nil {
		t.Errorf("RosterItem of a stranger = %v, %v", ok, err)
	}

	// Replace: the whole item is overwritten.
	bob = Item{JID: "bob@localhost", Name: "Bob", Subscription: "both"}
	v3, err := s.PutRosterItem(ctx, "alice@localhost", bob)
	if err != nil || version(t, v3) <= version(t, v2) {
		t.Fatalf("replace gave version %q after %q, %v", v3, v2, err)
	}
	if got, _, _ := s.RosterItem(ctx, "alice@localhost", "bob@localhost"); !reflect.DeepEqual(got, bob) {
		t.Errorf("replaced item = %+v, want %+v", got, bob)
	}

	v4, err := s.RemoveRosterItem(ctx, "alice@localhost", "carol@localhost")
	if err != nil || version(t, v4) <= version(t, v3) {
		t.Fatalf("remove gave version %q after %q, %v", v4, v3, err)
	}
	again, err := s.RemoveRosterItem(ctx, "alice@localhost", "carol@localhost")
	if err != nil || again != v4 {
		t.Errorf("removing a missing item = %q, %v; want unchanged %q", again, err, v4)
	}

	s.Close()
	s = reopen(t, path)
	ver, items, err = s.Roster(ctx, "alice@localhost")
	if err != nil || ver != v4 || !reflect.DeepEqual(items, []Item{bob}) {
		t.Fatalf("after reopen Roster = %q, %+v, %v; want %q, [%+v]", ver, items, err, v4, bob)
	}
	v5, err := s.PutRosterItem(ctx, "alice@localhost", carol)
	if err != nil || version(t, v5) <= version(t, v4) {
		t.Errorf("version after reopen %q, not above %q (%v)", v5, v4, err)
	}
}

func TestRosterRejectsBadSubscription(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	addUser(t, s, "alice@localhost", "pw")
	for _, sub := range []string{"remove", "pending", "Both"} {
		if _, err := s.PutRosterItem(ctx, "alice@localhost", Item{JID: "bob@localhost", Subscription: sub}); err == nil {
			t.Errorf("subscription %q accepted", sub)
		}
	}
	if v, _ := s.RosterVersion(ctx, "alice@localhost"); v != "0" {
		t.Errorf("refused items bumped the version to %q", v)
	}
}

func TestRosterKeepsDomainAndFullJIDs(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	addUser(t, s, "alice@localhost", "pw")
	for _, c := range []string{"Gateway.LocalHost", "bob@localhost/Phone"} {
		if _, err := s.PutRosterItem(ctx, "alice@localhost", Item{JID: c}); err != nil {
			t.Fatal(err)
		}
	}
	_, items, _ := s.Roster(ctx, "alice@localhost")
	if len(items) != 2 || items[0].JID != "bob@localhost/Phone" || items[1].JID != "gateway.localhost" {
		t.Errorf("items = %+v", items)
	}
}

func TestRosterVersionsNeverReusedAfterRecreate(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	addUser(t, s, "alice@localhost", "pw")
	old, err := s.PutRosterItem(ctx, "alice@localhost", Item{JID: "bob@localhost"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser(ctx, "alice@localhost"); err != nil {
		t.Fatal(err)
	}
	addUser(t, s, "alice@localhost", "pw")
	ver, items, err := s.Roster(ctx, "alice@localhost")
	if err != nil || len(items) != 0 || ver == old {
		t.Fatalf("re-created account: %q, %+v, %v (old version %q)", ver, items, err, old)
	}
	next, _ := s.PutRosterItem(ctx, "alice@localhost", Item{JID: "carol@localhost"})
	if version(t, next) <= version(t, old) {
		t.Errorf("re-created account reached version %s, not above the old %s", next, old)
	}
}

func TestRosterConcurrentPutsGetDistinctVersions(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	addUser(t, s, "alice@localhost", "pw")
	const n = 20
	vers := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			vers[i], errs[i] = s.PutRosterItem(ctx, "alice@localhost", Item{JID: fmt.Sprintf("c%d@localhost", i)})
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	var top int64
	for i := range n {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if seen[vers[i]] {
			t.Fatalf("version %s handed out twice", vers[i])
		}
		seen[vers[i]] = true
		top = max(top, version(t, vers[i]))
	}
	ver, items, _ := s.Roster(ctx, "alice@localhost")
	if len(items) != n || version(t, ver) != top {
		t.Errorf("roster has %d items at version %s; want %d at %d", len(items), ver, n, top)
	}
}

func TestPendingIn(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	addUser(t, s, "alice@localhost", "pw")
	add := func(from, stanza string) {
		t.Helper()
		if err := s.AddPendingIn(ctx, "alice@localhost", from, []byte(stanza)); err != nil {
			t.Fatal(err)
		}
	}
	add("bob@localhost/phone", "<presence from='bob' n='1'/>")
	add("carol@localhost", "<presence from='carol'/>")
	add("Bob@localhost", "<presence from='bob' n='2'/>") // same contact: replaced in place
	s.Close()
	s = reopen(t, path)
	got, err := s.PendingIn(ctx, "alice@localhost")
	want := [][]byte{[]byte("<presence from='bob' n='2'/>"), []byte("<presence from='carol'/>")}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("PendingIn = %q, %v; want %q", got, err, want)
	}
	if err := s.RemovePendingIn(ctx, "alice@localhost", "bob@localhost/laptop"); err != nil {
		t.Fatal(err)
	}
	if err := s.RemovePendingIn(ctx, "alice@localhost", "bob@localhost"); err != nil {
		t.Errorf("removing a missing request: %v", err)
	}
	got, _ = s.PendingIn(ctx, "alice@localhost")
	if !reflect.DeepEqual(got, want[1:]) {
		t.Errorf("after remove PendingIn = %q, want %q", got, want[1:])
	}
	if _, items, _ := s.Roster(ctx, "alice@localhost"); len(items) != 0 {
		t.Errorf("pending requests showed up as roster items: %+v", items)
	}
}

func TestPendingInBounds(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	s.MaxPendingIn = 2
	addUser(t, s, "alice@localhost", "pw")
	for _, from := range []string{"a@x", "b@x"} {
		if err := s.AddPendingIn(ctx, "alice@localhost", from, []byte("<presence/>")); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddPendingIn(ctx, "alice@localhost", "c@x", []byte("<presence/>")); !errors.Is(err, ErrPendingFull) {
		t.Errorf("third request = %v, want ErrPendingFull", err)
	}
	if err := s.AddPendingIn(ctx, "alice@localhost", "a@x", []byte("<presence n='2'/>")); err != nil {
		t.Errorf("repeated request refused when full: %v", err)
	}
	big := make([]byte, MaxStanza+1)
	if err := s.AddPendingIn(ctx, "alice@localhost", "a@x", big); !errors.Is(err, ErrStanzaTooLarge) {
		t.Errorf("oversized request = %v, want ErrStanzaTooLarge", err)
	}
}
