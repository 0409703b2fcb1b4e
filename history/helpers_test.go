package history

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// openTemp opens a fresh store in a temporary directory, closed at cleanup.
func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// base is a fixed time so stamps are deterministic.
var base = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// msg builds a message of alice's conversation with peer, sent i seconds after base.
func msg(peer string, i int, body string) Message {
	return Message{
		Account: "alice@example.org",
		Peer:    peer,
		Stamp:   base.Add(time.Duration(i) * time.Second),
		From:    peer + "/phone",
		Type:    "chat",
		Body:    body,
	}
}

func mustAppend(t testing.TB, s *Store, m Message) {
	t.Helper()
	if _, err := s.Append(context.Background(), m); err != nil {
		t.Fatal(err)
	}
}

// bodies lists the bodies of ms, for compact comparisons.
func bodies(ms []Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Body
	}
	return out
}

func equal(a, b []string) bool { return slices.Equal(a, b) }
