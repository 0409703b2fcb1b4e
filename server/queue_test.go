package server

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// watchLog makes the server's log also signal on a channel each line
// that starts with prefix (the channel never blocks the server).
func watchLog(prefix string, lines chan<- string) func(*Config) {
	return func(c *Config) {
		prev := c.Logf
		c.Logf = func(format string, args ...any) {
			prev(format, args...)
			if line := fmt.Sprintf(format, args...); strings.HasPrefix(line, prefix) {
				select {
				case lines <- line:
				default:
				}
			}
		}
	}
}

// readUntil drains a raw client in the background until a message with
// the body want arrives (then the channel gets true) or the connection
// ends or stays silent for a minute (false).
func (c *rawClient) readUntil(want string) <-chan bool {
	found := make(chan bool, 1)
	go func() {
		for {
			_ = c.conn.SetReadDeadline(time.Now().Add(time.Minute))
			n, err := c.r.next()
			if err != nil {
				found <- false
				return
			}
			if b := n.child(nsClient, "body"); n.name.Local == "message" && b != nil && b.text() == want {
				found <- true
				return
			}
		}
	}()
	return found
}

// flood sends big messages from sender to to until drops reports a line
// or limit bytes are sent, and also one small "tick" message to reader
// every 64 big ones. It returns the drop line, or "" and the bytes sent.
func flood(t *testing.T, sender *rawClient, to, reader string, size, limit int, drops <-chan string) (string, int) {
	t.Helper()
	big := fmt.Sprintf("<message to='%s' type='chat'><body>%s</body></message>", to, strings.Repeat("x", size))
	sent := 0
	for i := 0; sent < limit; i++ {
		select {
		case line := <-drops:
			return line, sent
		default:
		}
		sender.write(big)
		sent += len(big)
		if i%64 == 0 && reader != "" {
			sender.write(fmt.Sprintf("<message to='%s' type='chat'><body>tick %d</body></message>", reader, i))
		}
	}
	select {
	case line := <-drops:
		return line, sent
	default:
		return "", sent
	}
}

// TestNonReaderIsDroppedByBytes: a session that never reads, fed large
// stanzas, is dropped once its queue holds QueueBytes, long before it has
// QueueSize stanzas waiting, while a reading client keeps getting its
// messages.
func TestNonReaderIsDroppedByBytes(t *testing.T) {
	drops := make(chan string, 1)
	ts := startServer(t, watchLog("dropping", drops), func(c *Config) {
		c.QueueSize = 1 << 20 // only the byte bound can act
		c.QueueBytes = 512 << 10
	})
	ts.raw(t, "alice", "sink") // never reads
	bob := ts.raw(t, "bob", "b")
	got := bob.readUntil("after the drop")
	sender := ts.raw(t, "carol", "c")
	line, sent := flood(t, sender, "alice@localhost/sink", "bob@localhost/b", 32<<10, 256<<20, drops)
	if line == "" {
		t.Fatalf("the non-reading session was not dropped after %d bytes were sent to it", sent)
	}
	if !strings.Contains(line, "alice@localhost/sink") || !strings.Contains(line, "bytes waiting") {
		t.Errorf("drop = %q, want alice@localhost/sink dropped for the bytes waiting", line)
	}
	sender.write("<message to='bob@localhost/b' type='chat'><body>after the drop</body></message>")
	if !<-got {
		t.Error("the reading client did not get its message after the drop")
	}
	if ts.srv.reg.session("bob@localhost", "b") == nil {
		t.Error("the reading client was dropped")
	}
}

// TestServerTotalQueueIsBounded: several non-readers, each under its own
// byte bound, together pass MaxQueuedBytes; the server drops the one with
// the most waiting, and its count of queued bytes returns under the bound.
func TestServerTotalQueueIsBounded(t *testing.T) {
	drops := make(chan string, 1)
	ts := startServer(t, watchLog("dropping", drops), func(c *Config) {
		c.QueueSize = 1 << 20
		c.QueueBytes = 64 << 20
		c.MaxQueuedBytes = 1 << 20
	})
	sink := ts.raw(t, "alice", "sink")
	sender := ts.raw(t, "carol", "c")
	line, sent := flood(t, sender, "alice@localhost/sink", "", 32<<10, 256<<20, drops)
	if line == "" {
		t.Fatalf("nobody was dropped after %d bytes were sent to a non-reader", sent)
	}
	if !strings.Contains(line, "alice@localhost/sink") || !strings.Contains(line, "server holds more") {
		t.Errorf("drop = %q, want alice@localhost/sink dropped for the server's total", line)
	}
	if q := ts.srv.queued.Load(); q > 1<<20 {
		t.Errorf("%d bytes still counted as queued after the drop", q)
	}
	if !sink.closed() {
		t.Error("the dropped session's connection is still open")
	}
}
