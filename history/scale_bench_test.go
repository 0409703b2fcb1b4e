package history

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"chat/internal/sqlitedb"
)

// BenchmarkWriterBurst pushes a burst of 1,000,000 messages (the
// fixture's) through AppendContext into a new store as fast as the Writer
// takes them, and reports the rate and the most Go heap in use meanwhile,
// sampled every 10,000 messages: the bounded queue keeps it flat.
func BenchmarkWriterBurst(b *testing.B) {
	if testing.Short() {
		b.Skip("a million messages")
	}
	for b.Loop() {
		s := openTemp(b)
		w := NewWriter(s, nil)
		ctx := context.Background()
		var peak uint64
		start := time.Now()
		for i := range fixtureSize {
			if err := w.AppendContext(ctx, fixtureMessage(i)); err != nil {
				b.Fatal(err)
			}
			if i%10000 == 0 {
				peak = max(peak, heapInUse(false))
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(fixtureSize/time.Since(start).Seconds(), "msgs/s")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		b.ReportMetric(float64(w.peakQueued())/(1<<20), "peak-queue-MiB")
	}
}

// heapInUse returns the bytes of Go heap in use, after a collection if gc.
func heapInUse(gc bool) uint64 {
	if gc {
		runtime.GC()
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// BenchmarkMemoryByHistorySize opens a store of 20,000 and one of
// 1,000,000 messages, opens a conversation, pages back and searches, and
// reports the Go heap in use afterwards: it must not grow with history.
func BenchmarkMemoryByHistorySize(b *testing.B) {
	ctx := context.Background()
	use := func(b *testing.B, s *Store) {
		for b.Loop() {
			ms, err := s.Last(ctx, "alice@example.org", "peer3@example.org", 50)
			if err != nil || len(ms) != 50 {
				b.Fatal(len(ms), err)
			}
			if _, err := s.Before(ctx, "alice@example.org", "peer3@example.org", ms[0].ID, 50); err != nil {
				b.Fatal(err)
			}
			if _, err := s.Search(ctx, "", "coffee", 50); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(heapInUse(true))/(1<<10), "heap-KiB")
	}
	b.Run("20000", func(b *testing.B) {
		s := openTemp(b)
		fill(b, s, 20000)
		use(b, s)
	})
	b.Run("1000000", func(b *testing.B) { use(b, millionStore(b)) })
}

// BenchmarkUpgradeMillion times Open on a copy of the million-message
// fixture written at schema 3 (ids in storage order, an insert trigger):
// the migration that renumbers every row and rebuilds the full-text index.
func BenchmarkUpgradeMillion(b *testing.B) {
	old := schema3Fixture(b)
	for b.Loop() {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "history.db")
		if err := copyFile(old, path); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		s, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		os.Remove(path)
		b.StartTimer()
	}
}

// schema3Fixture returns the million-message fixture copied into a schema-3
// database, built once and cached beside it.
func schema3Fixture(b *testing.B) string {
	src := millionStore(b).Path()
	path := fmt.Sprintf("%s.schema3.db", src)
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	os.Remove(tmp)
	ctx := context.Background()
	db, _, err := sqlitedb.Open(ctx, tmp, migrations[:3])
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // ATTACH is per connection
	const cols = `account, peer, direction, stamp, received, from_jid, type, thread, stanza_id, origin_id, body, xhtml`
	for _, q := range []string{
		`ATTACH DATABASE '` + src + `' AS f`,
		`INSERT INTO messages (` + cols + `) SELECT ` + cols + ` FROM f.messages ORDER BY id`,
		`DETACH DATABASE f`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
