package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestOfflinePagesAndDelete(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	addUser(t, s, "alice@localhost", "pw")
	for i := range 5 {
		if err := s.StoreOffline(ctx, "alice@localhost", fmt.Appendf(nil, "<message id='%d'/>", i)); err != nil {
			t.Fatal(err)
		}
	}
	page, err := s.Offline(ctx, "alice@localhost", 0, 2)
	if err != nil || len(page) != 2 || string(page[0].Stanza) != "<message id='0'/>" {
		t.Fatalf("first page = %v, %v", page, err)
	}
	rest, err := s.Offline(ctx, "alice@localhost", page[1].ID, 10)
	if err != nil || len(rest) != 3 {
		t.Fatalf("rest = %v, %v", rest, err)
	}
	if n, _ := s.CountOffline(ctx, "alice@localhost"); n != 5 {
		t.Errorf("reading deleted messages: %d left, want 5", n)
	}
	if err := s.DeleteOffline(ctx, "alice@localhost", []int64{page[0].ID, page[1].ID, 999}); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountOffline(ctx, "alice@localhost"); n != 3 {
		t.Errorf("%d left after deleting 2, want 3", n)
	}
}

func TestArchivePagesAndFilters(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	addUser(t, s, "alice@localhost", "pw")
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 6 {
		with := "bob@localhost"
		if i%3 == 2 {
			with = "carol@localhost"
		}
		m := Archived{StanzaID: fmt.Sprint("s", i), With: with, At: t0.Add(time.Duration(i) * time.Hour), Stanza: fmt.Appendf(nil, "<message id='%d'/>", i)}
		// ghost@localhost is no account: skipped, not an error.
		if err := s.Archive(ctx, []string{"alice@localhost", "ghost@localhost"}, []Archived{m, m}); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(as []Archived) string {
		var out []string
		for _, a := range as {
			out = append(out, a.StanzaID)
		}
		return fmt.Sprint(out)
	}
	for _, c := range []struct {
		q        ArchiveQuery
		want     string
		complete bool
	}{
		{ArchiveQuery{Max: 10}, "[s0 s1 s2 s3 s4 s5]", true},
		{ArchiveQuery{Max: 2}, "[s0 s1]", false},
		{ArchiveQuery{Max: 2, After: "s1"}, "[s2 s3]", false},
		{ArchiveQuery{Max: 2, Last: true}, "[s4 s5]", false},
		{ArchiveQuery{Max: 2, Before: "s2"}, "[s0 s1]", true},
		{ArchiveQuery{Max: 10, With: "carol@localhost"}, "[s2 s5]", true},
		{ArchiveQuery{Max: 10, Start: t0.Add(2 * time.Hour), End: t0.Add(3 * time.Hour)}, "[s2 s3]", true},
	} {
		got, complete, err := s.QueryArchive(ctx, "alice@localhost", c.q)
		if err != nil || ids(got) != c.want || complete != c.complete {
			t.Errorf("%+v: %s complete %v, %v; want %s complete %v", c.q, ids(got), complete, err, c.want, c.complete)
		}
	}
	if _, _, err := s.QueryArchive(ctx, "alice@localhost", ArchiveQuery{Max: 1, After: "nope"}); !errors.Is(err, ErrNoSuchItem) {
		t.Errorf("after an unknown id: %v, want ErrNoSuchItem", err)
	}
}
