package history

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// errs collects what a Writer reports.
type errs struct {
	mu   sync.Mutex
	list []error
}

func (e *errs) add(err error) { e.mu.Lock(); e.list = append(e.list, err); e.mu.Unlock() }

func (e *errs) get() []error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]error(nil), e.list...)
}

func TestWriterKeepsOrder(t *testing.T) {
	s := openTemp(t)
	var reported errs
	w := NewWriter(s, reported.add)
	defer w.Close()
	const n = 10000
	for i := 0; i < n; i++ {
		// One stamp for all, so only storage order tells them apart.
		w.Append(msg("bob@example.org", 0, fmt.Sprint(i)))
	}
	if err := w.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	ms, err := s.Last(context.Background(), "alice@example.org", "bob@example.org", n+1)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != n {
		t.Fatalf("%d messages stored, want %d", len(ms), n)
	}
	for i, m := range ms {
		if m.Body != fmt.Sprint(i) {
			t.Fatalf("message %d has body %q: order lost", i, m.Body)
		}
	}
	if e := reported.get(); len(e) != 0 {
		t.Errorf("errors reported: %v", e)
	}
}

func TestWriterCloseFlushes(t *testing.T) {
	s := openTemp(t)
	w := NewWriter(s, nil)
	for i := 0; i < 100; i++ {
		w.Append(withIDs(msg("bob@example.org", i, fmt.Sprint(i%50)), "", fmt.Sprint("s", i%50)))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	ms, err := s.Last(context.Background(), "alice@example.org", "bob@example.org", 200)
	if err != nil {
		t.Fatal(err)
	}
	// The second 50 are copies of the first 50 (same stanza-id and body).
	if len(ms) != 50 || ms[49].Body != "49" {
		t.Fatalf("after Close: %d messages stored, want 50 (0..49)", len(ms))
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestWriterClosedStoreReports(t *testing.T) {
	s := openTemp(t)
	var reported errs
	w := NewWriter(s, reported.add)
	s.Close()
	w.Append(msg("bob@example.org", 1, "lost?"))
	err := w.Flush(context.Background())
	if err == nil {
		t.Fatal("Flush on a closed store succeeded")
	}
	got := reported.get()
	if len(got) == 0 || !strings.Contains(got[0].Error(), "alice@example.org/bob@example.org") {
		t.Fatalf("onErr got %v, want an error naming the message", got)
	}
	err = w.Close()
	if err == nil || !strings.Contains(err.Error(), "1 messages not written") {
		t.Errorf("Close = %v, want it to count the unwritten message", err)
	}
	w.Append(msg("bob@example.org", 2, "after close"))
	got = reported.get()
	if !errors.Is(got[len(got)-1], ErrWriterClosed) {
		t.Errorf("Append after Close reported %v, want ErrWriterClosed", got[len(got)-1])
	}
}

func TestWriterRetriesAfterFailure(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	// A trigger fails every insert while table fail has a row: a stand-in
	// for a full disk.
	_, err := s.db.Exec(`CREATE TABLE fail (x);
		CREATE TRIGGER failing BEFORE INSERT ON messages
		WHEN EXISTS (SELECT 1 FROM fail) BEGIN SELECT RAISE(ABORT, 'simulated disk full'); END;
		INSERT INTO fail VALUES (1)`)
	if err != nil {
		t.Fatal(err)
	}
	var reported errs
	w := NewWriter(s, reported.add)
	defer w.Close()
	w.Append(msg("bob@example.org", 1, "first"))
	if err := w.Flush(ctx); err == nil || !strings.Contains(err.Error(), "simulated") {
		t.Fatalf("Flush while failing = %v", err)
	}
	if len(reported.get()) == 0 {
		t.Fatal("failure not reported to onErr")
	}
	// Still failing: the retry on Flush fails again and says so.
	if err := w.Flush(ctx); err == nil {
		t.Fatal("second Flush while failing succeeded")
	}
	if _, err := s.db.Exec(`DELETE FROM fail`); err != nil {
		t.Fatal(err)
	}
	w.Append(msg("bob@example.org", 2, "second"))
	if err := w.Flush(ctx); err != nil {
		t.Fatalf("Flush after recovery: %v", err)
	}
	ms, _ := s.Last(ctx, "alice@example.org", "bob@example.org", 10)
	if !equal(bodies(ms), []string{"first", "second"}) {
		t.Errorf("stored %q, want the failed message kept and written first", bodies(ms))
	}
}

func TestWriterFlushHonoursContext(t *testing.T) {
	s := openTemp(t)
	w := NewWriter(s, nil)
	defer w.Close()
	w.Append(msg("bob@example.org", 1, "x"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// Either the write already finished or the context stops the wait;
	// it must not hang and must not report any other error.
	if err := w.Flush(ctx); err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	if err := w.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
}
