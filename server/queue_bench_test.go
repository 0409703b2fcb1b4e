package server

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// BenchmarkNonReaders is the attack of issue 8: eight sessions that never
// read, fed 250 KB stanzas by a ninth until the server has dropped them
// all. It reports the largest live heap seen after a collection, every 16
// stanzas (the test's own clients included), and how much was sent. The
// stanza count alone let this reach 1.8 GB.
func BenchmarkNonReaders(b *testing.B) {
	for i := 0; i < b.N; i++ {
		drops := make(chan string, 8)
		ts := startServer(b, watchLog("dropping", drops))
		const sinks = 8
		for j := 0; j < sinks; j++ {
			ts.raw(b, "alice", fmt.Sprint("sink", j)) // never reads
		}
		sender := ts.raw(b, "bob", "sender")
		body := strings.Repeat("x", 250_000)
		var peak uint64
		sent, gone := 0, map[int]bool{}
		for k := 0; len(gone) < sinks && sent < 4<<30; k++ {
			if gone[k%sinks] {
				continue // messages to it would go to offline storage
			}
			msg := fmt.Sprintf("<message to='alice@localhost/sink%d' type='chat'><body>%s</body></message>", k%sinks, body)
			sender.write(msg)
			sent += len(msg)
			for len(drops) > 0 {
				var j int
				if _, err := fmt.Sscanf(<-drops, "dropping alice@localhost/sink%d", &j); err == nil {
					gone[j] = true
				}
			}
			if k%16 == 0 {
				var m runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapInuse)
			}
		}
		if len(gone) < sinks {
			b.Fatalf("%d of %d non-readers dropped after %d bytes", len(gone), sinks, sent)
		}
		b.ReportMetric(float64(peak)/(1<<20), "peak-live-heap-MiB")
		b.ReportMetric(float64(sent)/(1<<20), "sent-MiB")
		ts.srv.Close()
	}
}
