package history

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The million-message benchmarks share one fixture: 1,000,000 messages of
// eight words over ten conversations of alice's (100,000 each, stamped a
// second apart), every 10,000th with the rare word "zeppelin". It is built
// through the Writer the first time a benchmark needs it and kept in the
// temporary folder under a name that carries fixtureVersion (change it
// when the generator or the schema changes), so later runs reuse it. Plain
// `go test` never builds it: only benchmarks ask for it, and -short skips
// them.
const (
	fixtureVersion = 2
	fixtureSize    = 1000000
	fixturePeers   = 10
	rareWord       = "zeppelin"
)

var fixture struct {
	once sync.Once
	path string
	err  error
}

// millionStore opens the cached million-message fixture, building it first
// if missing. Benchmarks must only read from it.
func millionStore(b *testing.B) *Store {
	b.Helper()
	if testing.Short() {
		b.Skip("the million-message fixture is not built under -short")
	}
	fixture.once.Do(func() {
		fixture.path = filepath.Join(os.TempDir(),
			fmt.Sprintf("chat-history-bench-v%d-s%d-%d.db", fixtureVersion, len(migrations), fixtureSize))
		if _, err := os.Stat(fixture.path); err == nil {
			return
		}
		fixture.err = buildFixture(b, fixture.path)
	})
	if fixture.err != nil {
		b.Fatal(fixture.err)
	}
	s, err := Open(fixture.path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// buildFixture fills a new database through the Writer and renames it to
// path once complete, so an interrupted build leaves no half fixture.
func buildFixture(b *testing.B, path string) error {
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	os.Remove(tmp)
	s, err := Open(tmp)
	if err != nil {
		return err
	}
	start := time.Now()
	w := NewWriter(s, nil)
	ctx := context.Background()
	for i := range fixtureSize {
		if err := w.AppendContext(ctx, fixtureMessage(i)); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	took := time.Since(start)
	b.Logf("built the %d-message fixture through the Writer in %v (%.0f messages/s)",
		fixtureSize, took.Round(time.Millisecond), fixtureSize/took.Seconds())
	if err := s.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// fixtureMessage is message i of the fixture: the same for a given i on
// every run (its own seeded generator).
func fixtureMessage(i int) Message {
	r := rand.New(rand.NewPCG(uint64(i), 2))
	body := make([]string, 8)
	for j := range body {
		body[j] = words[r.IntN(len(words))]
	}
	if i%10000 == 7 {
		body[3] = rareWord
	}
	return msg(fmt.Sprintf("peer%d@example.org", i%fixturePeers), i, strings.Join(body, " "))
}

// BenchmarkSearchMillion: the newest 50 matches among 1,000,000 messages.
func BenchmarkSearchMillion(b *testing.B) {
	s := millionStore(b)
	ctx := context.Background()
	for _, c := range []struct{ name, text string }{
		{"common", "coffee"}, {"rare", rareWord}, {"two-words", "coffee deadline"}, {"absent", "absentword"},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Search(ctx, "", c.text, 50); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSearchMillionOneAccount is the common word restricted to the
// account, as /search runs it.
func BenchmarkSearchMillionOneAccount(b *testing.B) {
	s := millionStore(b)
	ctx := context.Background()
	for b.Loop() {
		if ms, err := s.Search(ctx, "alice@example.org", "coffee", 50); err != nil || len(ms) != 50 {
			b.Fatal(len(ms), err)
		}
	}
}

// BenchmarkSearchMillionDeepPage is a page of the common word 100,000
// messages back.
func BenchmarkSearchMillionDeepPage(b *testing.B) {
	s := millionStore(b)
	ctx := context.Background()
	before := bucket(msg("", fixtureSize-100000, "").Stamp)
	for b.Loop() {
		if ms, more, err := s.SearchBefore(ctx, "", "coffee", before, 50); err != nil || len(ms) != 50 || !more {
			b.Fatal(len(ms), more, err)
		}
	}
}

// BenchmarkSearchMillionSorted runs the query Search used before ids were
// in time order (every match sorted by stamp), on the same fixture.
func BenchmarkSearchMillionSorted(b *testing.B) {
	s := millionStore(b)
	ctx := context.Background()
	for _, text := range []string{"coffee", rareWord, "coffee deadline"} {
		b.Run(strings.ReplaceAll(text, " ", "-"), func(b *testing.B) {
			for b.Loop() {
				_, err := s.query(ctx, `SELECT `+prefixed("m.", columns)+`
					FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
					WHERE messages_fts MATCH ?1 ORDER BY m.stamp DESC, m.id DESC LIMIT 50`, matchQuery(text))
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCountMillion counts the matches of a common word, up to 1,000.
func BenchmarkCountMillion(b *testing.B) {
	s := millionStore(b)
	ctx := context.Background()
	for b.Loop() {
		if n, atLeast, err := s.CountMatches(ctx, "", "coffee", 1000); err != nil || n != 1000 || !atLeast {
			b.Fatal(n, atLeast, err)
		}
	}
}

// BenchmarkLastMillion opens a conversation of 100,000 messages: its last 50.
func BenchmarkLastMillion(b *testing.B) {
	s := millionStore(b)
	ctx := context.Background()
	for b.Loop() {
		if ms, err := s.Last(ctx, "alice@example.org", "peer3@example.org", 50); err != nil || len(ms) != 50 {
			b.Fatal(len(ms), err)
		}
	}
}

// BenchmarkBeforeMillion pages back 50 messages at several depths of a
// conversation of 100,000.
func BenchmarkBeforeMillion(b *testing.B) {
	s := millionStore(b)
	ctx := context.Background()
	const peer = "peer3@example.org"
	for _, depth := range []int{50, 50000, 99900} {
		var before int64
		err := s.db.QueryRow(`SELECT id FROM messages WHERE account = 'alice@example.org' AND peer = ?
			ORDER BY id DESC LIMIT 1 OFFSET ?`, peer, depth).Scan(&before)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprint("depth-", depth), func(b *testing.B) {
			for b.Loop() {
				if ms, err := s.Before(ctx, "alice@example.org", peer, before, 50); err != nil || len(ms) != 50 {
					b.Fatal(len(ms), err)
				}
			}
		})
	}
}
