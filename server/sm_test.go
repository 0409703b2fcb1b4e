package server

import (
	"fmt"
	"testing"
	"time"
)

// authed makes a raw client logged in as user but not bound, ready to
// bind or resume.
func (ts *testServer) authed(t *testing.T, user string) *rawClient {
	t.Helper()
	c := dialRaw(t, ts)
	c.open()
	c.startTLS()
	if n := c.auth(user, testUsers[user]); n.name.Local != "success" {
		t.Fatalf("auth as %s: %s", user, n.bytes())
	}
	c.r.restart()
	c.open()
	return c
}

// resume asks to resume the session id having received h stanzas and
// returns the server's answer.
func (c *rawClient) resume(id string, h uint32) *node {
	c.t.Helper()
	c.write(fmt.Sprintf("<resume xmlns='urn:xmpp:sm:3' previd='%s' h='%d'/>", id, h))
	return c.expect("resumed or failed", func(n *node) bool { return n.name.Space == nsSM })
}

func sendNumbered(c *rawClient, to, prefix string, from, to2 int) {
	for i := from; i < to2; i++ {
		c.write(fmt.Sprintf("<message to='%s' type='chat'><body>%s %d</body></message>", to, prefix, i))
	}
}

// readNumbered reads messages "<prefix> i" for i in [from, to) in order.
func (c *smClient) readNumbered(t *testing.T, prefix string, from, to int) {
	t.Helper()
	for want := from; want < to; {
		i := bodyNumber(c.nextStanza(false), prefix)
		if i < 0 {
			continue
		}
		if i != want {
			t.Fatalf("got %s %d, want %d", prefix, i, want)
		}
		want++
	}
}

// TestResumeResendsUnacknowledged: a session whose connection breaks is
// resumed by a new connection of the same account, which gets every
// stanza the client had not acknowledged, in order, and then the
// messages sent to it since; another account cannot resume it.
func TestResumeResendsUnacknowledged(t *testing.T) {
	ts := startServer(t)
	bob := ts.smRaw(t, "bob", "b", true)
	bob.presence(0)
	alice := ts.raw(t, "alice", "a")
	sendNumbered(alice, "bob@localhost/b", "m", 0, 10)
	bob.readNumbered(t, "m", 0, 5)
	h := bob.h
	bob.reset()

	thief := ts.authed(t, "alice")
	if a := thief.resume(bob.id, 0); a.name.Local != "failed" {
		t.Errorf("alice resuming bob's session got %s, want failed", a.bytes())
	}

	again := &smClient{rawClient: ts.authed(t, "bob"), h: h, id: bob.id}
	a := again.resume(bob.id, h)
	if a.name.Local != "resumed" {
		t.Fatalf("resume answered %s", a.bytes())
	}
	again.readNumbered(t, "m", 5, 10)
	sendNumbered(alice, "bob@localhost/b", "m", 10, 11)
	again.readNumbered(t, "m", 10, 11)
	if ts.authed(t, "bob").resume(newResumeID(), 0).name.Local != "failed" {
		t.Error("a made-up resumption id was accepted")
	}
}

// TestExpiredResumeKeepsMessagesOffline: messages a broken session had
// not acknowledged go to offline storage when it is not resumed in time,
// and the next login gets them.
func TestExpiredResumeKeepsMessagesOffline(t *testing.T) {
	expired := make(chan string, 1)
	ts := startServer(t, watchLog("bob@localhost/b was not resumed", expired), func(c *Config) {
		c.ResumeTimeout = time.Millisecond
	})
	bob := ts.smRaw(t, "bob", "b", true)
	bob.presence(0)
	alice := ts.raw(t, "alice", "a")
	sendNumbered(alice, "bob@localhost/b", "m", 0, 10)
	bob.readNumbered(t, "m", 0, 10)
	bob.reset()
	select {
	case <-expired:
	case <-time.After(time.Minute):
		t.Fatal("the broken session never expired")
	}
	alice.iq("get", "localhost", "<ping xmlns='urn:xmpp:ping'/>")
	if n := ts.offline(t, "bob"); n != 10 {
		t.Errorf("%d messages kept offline, want the 10 unacknowledged", n)
	}
	later := &smClient{rawClient: ts.raw(t, "bob", "later")}
	later.presence(0)
	later.readNumbered(t, "m", 0, 10)
}

// TestAckCountsWrap: the counters are mod 2^32.
func TestAckCountsWrap(t *testing.T) {
	m := smState{enabled: true, out: 1<<32 - 2}
	for i := 0; i < 4; i++ {
		m.sent(item{b: []byte("x")})
	}
	if acked, ok := m.ack(1); !ok || len(acked) != 3 || len(m.unacked) != 1 {
		t.Errorf("ack(1) after the wrap: %d acked, ok %v, %d left", len(acked), ok, len(m.unacked))
	}
	if _, ok := m.ack(5); ok {
		t.Error("an ack of more than was sent was accepted")
	}
}

// TestShutdownKeepsUnacknowledged: messages a stream-management client
// had not acknowledged when the server stops, attached or detached, are
// in offline storage when it starts again on the same data.
func TestShutdownKeepsUnacknowledged(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, func(c *Config) { c.DataDir = dir })
	bob := ts.smRaw(t, "bob", "b", true)
	bob.presence(0)
	carol := ts.smRaw(t, "carol", "c", true)
	carol.presence(0)
	alice := ts.raw(t, "alice", "a")
	sendNumbered(alice, "bob@localhost/b", "m", 0, 5)
	sendNumbered(alice, "carol@localhost/c", "m", 0, 5)
	bob.readNumbered(t, "m", 0, 5)
	carol.readNumbered(t, "m", 0, 5)
	carol.reset() // detached when the server stops
	ts.srv.Close()
	again := startServer(t, func(c *Config) { c.DataDir = dir })
	for _, user := range []string{"bob", "carol"} {
		if n := again.offline(t, user); n != 5 {
			t.Errorf("%s: %d messages offline after the restart, want the 5 unacknowledged", user, n)
		}
	}
}
