package server

import (
	"fmt"
	"strings"
	"testing"
)

// TestBurstBetweenTwoClientsDropsNothing: 20,000 messages sent as fast
// as one client can write them to another that reads them all arrive,
// and nobody is dropped: the sender is slowed to the reader's pace.
// Before, the reader was dropped as "512 stanzas waiting, the client does
// not read" and got a fraction of them.
func TestBurstBetweenTwoClientsDropsNothing(t *testing.T) {
	const n = 20000
	ts := startServer(t)
	bob := ts.raw(t, "bob", "b")
	alice := ts.raw(t, "alice", "a")
	done := make(chan error, 1)
	go func() {
		var b strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "<message to='bob@localhost/b' type='chat' id='b%d'><body>burst %d</body></message>", i, i)
			if b.Len() > 16<<10 || i == n-1 {
				if _, err := alice.conn.Write([]byte(b.String())); err != nil {
					done <- err
					return
				}
				b.Reset()
			}
		}
		done <- nil
	}()
	for want := 0; want < n; {
		m, err := bob.next()
		if err != nil {
			t.Fatalf("after %d of %d messages: %v", want, n, err)
		}
		i := bodyNumber(m, "burst")
		if i < 0 {
			continue
		}
		if i != want {
			t.Fatalf("got burst %d, want %d", i, want)
		}
		want++
	}
	if err := <-done; err != nil {
		t.Fatalf("sending: %v", err)
	}
	if ts.log.contains("dropping") {
		t.Errorf("a client was dropped:\n%s", ts.log)
	}
}
