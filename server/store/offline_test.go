package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
)

// takeOffline reads all of user's offline messages and deletes them, as
// the server does once it has delivered them.
func takeOffline(t *testing.T, s *Store, user string) [][]byte {
	t.Helper()
	ctx := context.Background()
	msgs, err := s.Offline(ctx, user, 0, 1000)
	if err != nil {
		t.Fatalf("read offline messages of %s: %v", user, err)
	}
	var out [][]byte
	var ids []int64
	for _, m := range msgs {
		out = append(out, m.Stanza)
		ids = append(ids, m.ID)
	}
	if err := s.DeleteOffline(ctx, user, ids); err != nil {
		t.Fatalf("delete offline messages of %s: %v", user, err)
	}
	return out
}

func TestOfflineOrderAndTake(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	addUser(t, s, "alice@localhost", "pw")
	addUser(t, s, "bob@localhost", "pw")
	var want [][]byte
	for i := range 5 {
		m := fmt.Appendf(nil, "<message id='%d'/>", i)
		want = append(want, m)
		if err := s.StoreOffline(ctx, "Alice@localhost", m); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.StoreOffline(ctx, "bob@localhost", []byte("<message id='bob'/>")); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = reopen(t, path)
	if got := takeOffline(t, s, "alice@localhost"); !reflect.DeepEqual(got, want) {
		t.Fatalf("offline messages = %q; want %q", got, want)
	}
	if got := takeOffline(t, s, "alice@localhost"); len(got) != 0 {
		t.Errorf("after delivery = %q; want none", got)
	}
	if got := takeOffline(t, s, "bob@localhost"); len(got) != 1 {
		t.Errorf("bob's messages = %q, want his one", got)
	}
}

func TestOfflineBound(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	s.MaxOffline = 3
	addUser(t, s, "alice@localhost", "pw")
	for range 3 {
		if err := s.StoreOffline(ctx, "alice@localhost", []byte("<message/>")); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.StoreOffline(ctx, "alice@localhost", []byte("<message/>")); !errors.Is(err, ErrOfflineFull) {
		t.Fatalf("fourth message = %v, want ErrOfflineFull", err)
	}
	if got := takeOffline(t, s, "alice@localhost"); len(got) != 3 {
		t.Fatalf("took %d messages, want 3", len(got))
	}
	if err := s.StoreOffline(ctx, "alice@localhost", []byte("<message/>")); err != nil {
		t.Errorf("store after take: %v", err)
	}
}

func TestOfflineSize(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	addUser(t, s, "alice@localhost", "pw")
	if err := s.StoreOffline(ctx, "alice@localhost", make([]byte, MaxStanza)); err != nil {
		t.Errorf("stanza of exactly MaxStanza refused: %v", err)
	}
	if err := s.StoreOffline(ctx, "alice@localhost", make([]byte, MaxStanza+1)); !errors.Is(err, ErrStanzaTooLarge) {
		t.Errorf("oversized stanza = %v, want ErrStanzaTooLarge", err)
	}
	if err := s.StoreOffline(ctx, "alice@localhost", nil); err == nil {
		t.Error("empty stanza accepted")
	}
	if got := takeOffline(t, s, "alice@localhost"); len(got) != 1 || len(got[0]) != MaxStanza {
		t.Errorf("kept %d messages, want the one of MaxStanza bytes", len(got))
	}
}

func TestDeleteUserCascades(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	addUser(t, s, "alice@localhost", "pw")
	if err := s.StoreOffline(ctx, "alice@localhost", []byte("<message/>")); err != nil {
		t.Fatal(err)
	}
	if err := s.AddPendingIn(ctx, "alice@localhost", "bob@localhost", []byte("<presence/>")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutRosterItem(ctx, "alice@localhost", Item{JID: "bob@localhost"}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser(ctx, "alice@localhost"); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"credentials", "roster_items", "pending_in", "offline"} {
		var n int
		if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s keeps %d rows of a deleted user (%v)", table, n, err)
		}
	}
}
