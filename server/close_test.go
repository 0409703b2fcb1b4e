package server

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// TestReplacedSessionReadsConflictAndCleanClose: the session replaced by
// a new one with the same full JID gets its conflict error, the stream's
// end tag and a TLS close_notify, and the server keeps reading (so that
// what the old client still sends does not make the kernel reset the
// connection and destroy the error) until the client closes.
func TestReplacedSessionReadsConflictAndCleanClose(t *testing.T) {
	ts := startServer(t)
	old := ts.raw(t, "alice", "same")
	ts.raw(t, "alice", "same")
	if cond := old.streamError(); cond != "conflict" {
		t.Fatalf("old session: stream error %q, want conflict", cond)
	}
	if _, err := old.next(); !errors.Is(err, errStreamClosed) {
		t.Errorf("after the error: %v, want the stream's end tag", err)
	}
	old.write("<presence type='unavailable'/>" + strings.Repeat(" ", 64<<10) + "</stream:stream>")
	buf := make([]byte, 512)
	_ = old.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if n, err := old.conn.Read(buf); err != io.EOF {
		t.Errorf("after the end tag: %d bytes, %v; want io.EOF (a TLS close_notify)", n, err)
	}
}

// TestStreamErrorBeforeLoginSurvivesUnreadInput: a client that sends more
// after a stanza the server refuses still reads the stream error: the
// server does not close the socket with that input unread.
func TestStreamErrorBeforeLoginSurvivesUnreadInput(t *testing.T) {
	ts := startServer(t)
	for i := 0; i < 20; i++ {
		c := dialRaw(t, ts)
		c.open()
		c.startTLS()
		c.write("<message to='bob@localhost'><body>early</body></message>" + strings.Repeat(" ", 256<<10))
		n, err := c.next()
		if err != nil {
			t.Fatalf("attempt %d: waiting for the stream error: %v", i, err)
		}
		if n.name.Space != nsStream || n.name.Local != "error" || n.child(nsStreams, "not-authorized") == nil {
			t.Fatalf("attempt %d: got %s, want a not-authorized stream error", i, n.bytes())
		}
		c.conn.Close()
	}
}
