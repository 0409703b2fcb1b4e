package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
)

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
	got, err := s.TakeOffline(ctx, "alice@localhost")
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("TakeOffline = %q, %v; want %q", got, err, want)
	}
	if got, err := s.TakeOffline(ctx, "alice@localhost"); err != nil || len(got) != 0 {
		t.Errorf("second TakeOffline = %q, %v; want none", got, err)
	}
	if got, _ := s.TakeOffline(ctx, "bob@localhost"); len(got) != 1 {
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
	if got, _ := s.TakeOffline(ctx, "alice@localhost"); len(got) != 3 {
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
	if got, _ := s.TakeOffline(ctx, "alice@localhost"); len(got) != 1 || len(got[0]) != MaxStanza {
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
