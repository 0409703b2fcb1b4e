package history

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// failWrites makes every insert fail until the returned function is called:
// a stand-in for a disk that stalls.
func failWrites(t *testing.T, s *Store) (recover func()) {
	t.Helper()
	_, err := s.db.Exec(`CREATE TABLE fail (x);
		CREATE TRIGGER failing BEFORE INSERT ON messages
		WHEN EXISTS (SELECT 1 FROM fail) BEGIN SELECT RAISE(ABORT, 'simulated disk full'); END;
		INSERT INTO fail VALUES (1)`)
	if err != nil {
		t.Fatal(err)
	}
	return func() {
		if _, err := s.db.Exec(`DELETE FROM fail`); err != nil {
			t.Fatal(err)
		}
	}
}

// While the disk stalls, TryAppend refuses once the bound is reached and
// AppendContext waits (until its context ends, or until there is room);
// nothing is lost and the order is kept.
func TestWriterQueueFullWhileDiskStalls(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	recover := failWrites(t, s)
	m := msg("bob@example.org", 0, strings.Repeat("x", 1000))
	limit := 10 * size(m)
	w := NewWriterSize(s, nil, limit)
	defer w.Close()
	queued := 0
	for ; queued < 100; queued++ {
		m.Body = fmt.Sprintf("%04d%s", queued, strings.Repeat("x", 996))
		if err := w.TryAppend(m); err != nil {
			if !errors.Is(err, ErrQueueFull) {
				t.Fatalf("TryAppend: %v, want ErrQueueFull", err)
			}
			break
		}
	}
	if queued != 10 {
		t.Fatalf("TryAppend took %d messages of a 10-message bound", queued)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := w.AppendContext(cancelled, m); !errors.Is(err, context.Canceled) {
		t.Fatalf("AppendContext on a full queue with a cancelled context: %v", err)
	}
	waited := make(chan error, 1)
	m.Body = "after the wait"
	go func() { waited <- w.AppendContext(ctx, m) }()
	recover()
	if err := <-waited; err != nil {
		t.Fatalf("AppendContext after the disk recovered: %v", err)
	}
	if err := w.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	ms, err := s.Last(ctx, "alice@example.org", "bob@example.org", 100)
	if err != nil || len(ms) != 11 {
		t.Fatalf("%d stored (%v), want 11", len(ms), err)
	}
	for i, m := range ms[:10] {
		if !strings.HasPrefix(m.Body, fmt.Sprintf("%04d", i)) {
			t.Fatalf("message %d is %.4s: order lost", i, m.Body)
		}
	}
	if ms[10].Body != "after the wait" {
		t.Errorf("last stored %q", ms[10].Body)
	}
	if p := w.peakQueued(); p > limit {
		t.Errorf("queue held %d bytes, bound %d", p, limit)
	}
}

// A burst far larger than the bound, pushed as fast as AppendContext
// allows, never holds more than the bound, and all of it is stored.
func TestWriterBurstStaysBounded(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	const n = 20000
	m := msg("bob@example.org", 0, "a message of ordinary length, a line or so of chat text")
	limit := 64 * size(m)
	w := NewWriterSize(s, nil, limit)
	for i := range n {
		m.Stamp = base.Add(1e6 * time.Duration(i))
		if err := w.AppendContext(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if p := w.peakQueued(); p > limit {
		t.Errorf("queue held %d bytes, bound %d", p, limit)
	}
	if n, _, err := s.CountMatches(ctx, "", "ordinary", n+1); err != nil || n != 20000 {
		t.Errorf("%d stored (%v), want %d", n, err, 20000)
	}
}

// One message larger than the bound is still taken when the queue is empty.
func TestWriterTakesOneHugeMessage(t *testing.T) {
	s := openTemp(t)
	w := NewWriterSize(s, nil, 10)
	defer w.Close()
	if err := w.TryAppend(msg("bob@example.org", 0, strings.Repeat("y", 1000))); err != nil {
		t.Fatalf("TryAppend of a message over the bound into an empty queue: %v", err)
	}
	if err := w.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if err := w.TryAppend(msg("bob@example.org", 1, "late")); !errors.Is(err, ErrWriterClosed) {
		t.Errorf("TryAppend after Close: %v", err)
	}
	if err := w.AppendContext(context.Background(), msg("bob@example.org", 1, "late")); !errors.Is(err, ErrWriterClosed) {
		t.Errorf("AppendContext after Close: %v", err)
	}
}
