package history

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

var words = strings.Fields(`the quick brown fox jumps over lazy dog lunch meeting
	tomorrow coffee train station weather holiday project deadline review
	music dinner party weekend call later sorry thanks great idea`)

// fill stores n messages spread over a few conversations, in one batch.
func fill(b *testing.B, s *Store, n int) {
	b.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	w := NewWriter(s, nil)
	for i := 0; i < n; i++ {
		var body []string
		for j := 0; j < 8; j++ {
			body = append(body, words[r.IntN(len(words))])
		}
		peer := fmt.Sprintf("peer%d@example.org", i%10)
		w.Append(msg(peer, i, strings.Join(body, " ")))
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkAppend measures messages per second through the Writer,
// including the final Flush.
func BenchmarkAppend(b *testing.B) {
	s := openTemp(b)
	w := NewWriter(s, func(err error) { b.Error(err) })
	defer w.Close()
	m := msg("bob@example.org", 0, "a message of ordinary length, a line or so of chat text")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.Append(m)
	}
	if err := w.Flush(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkStoreAppend measures one transaction per message, for comparison.
func BenchmarkStoreAppend(b *testing.B) {
	s := openTemp(b)
	ctx := context.Background()
	m := msg("bob@example.org", 0, "a message of ordinary length, a line or so of chat text")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Append(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

func BenchmarkSearch(b *testing.B) {
	s := openTemp(b)
	fill(b, s, 20000)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ms, err := s.Search(ctx, "", "coffee deadline", 50)
		if err != nil || len(ms) == 0 {
			b.Fatal(len(ms), err)
		}
	}
}

func BenchmarkLast(b *testing.B) {
	s := openTemp(b)
	fill(b, s, 20000)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ms, err := s.Last(ctx, "alice@example.org", "peer3@example.org", 50)
		if err != nil || len(ms) != 50 {
			b.Fatal(len(ms), err)
		}
	}
}
