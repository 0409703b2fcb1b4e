package server

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fillOffline has alice send n messages "offline i" to carol, who is not
// logged in, and returns once the server has stored them all (a ping
// after them is answered only once they are handled).
func fillOffline(t *testing.T, ts *testServer, n int) {
	t.Helper()
	alice := ts.raw(t, "alice", "fill")
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "<message to='carol@localhost' type='chat' id='o%d'><body>offline %d</body></message>", i, i)
		if b.Len() > 32<<10 {
			alice.write(b.String())
			b.Reset()
		}
	}
	alice.write(b.String())
	alice.write("<iq type='get' id='filled' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>")
	for { // storing thousands takes a while on a loaded machine: wait long
		_ = alice.conn.SetReadDeadline(time.Now().Add(5 * time.Minute))
		n, err := alice.r.next()
		if err != nil {
			t.Fatalf("waiting for the messages to be stored: %v", err)
		}
		if n.name.Local == "iq" && n.get("id") == "filled" {
			break
		}
	}
	if got := ts.offline(t, "carol"); got != n {
		t.Fatalf("%d offline messages stored, want %d", got, n)
	}
}

func (ts *testServer) offline(t *testing.T, user string) int {
	t.Helper()
	n, err := ts.srv.store.CountOffline(context.Background(), user+"@localhost")
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// bodyNumber returns i of a message whose body is "<prefix> i", or -1.
func bodyNumber(n *node, prefix string) int {
	b := n.child(nsClient, "body")
	if n.name.Local != "message" || b == nil || !strings.HasPrefix(b.text(), prefix+" ") {
		return -1
	}
	i, err := strconv.Atoi(strings.TrimPrefix(b.text(), prefix+" "))
	if err != nil {
		return -1
	}
	return i
}

// smClient is a raw client with stream management enabled: it counts the
// stanzas it gets and answers the server's <r/>.
type smClient struct {
	*rawClient
	h  uint32 // stanzas received since <enabled/>
	id string // resumption id
}

func (ts *testServer) smRaw(t *testing.T, user, resource string, resume bool) *smClient {
	t.Helper()
	c := &smClient{rawClient: ts.raw(t, user, resource)}
	if resume {
		c.write("<enable xmlns='urn:xmpp:sm:3' resume='true'/>")
	} else {
		c.write("<enable xmlns='urn:xmpp:sm:3'/>")
	}
	e := c.expect("enabled", func(n *node) bool { return n.name.Space == nsSM })
	if e.name.Local != "enabled" || (resume && e.get("id") == "") {
		t.Fatalf("enable answered %s", e.bytes())
	}
	c.id = e.get("id")
	return c
}

// next reads the next stanza, counting it and answering <r/> (ack false
// leaves the server's requests unanswered).
func (c *smClient) nextStanza(ack bool) *node {
	c.t.Helper()
	for {
		n, err := c.next()
		if err != nil {
			c.t.Fatalf("read: %v", err)
		}
		switch {
		case n.name.Space == nsSM && n.name.Local == "r":
			if ack {
				c.ack()
			}
		case n.name.Space == nsSM:
		default:
			c.h++
			return n
		}
	}
}

func (c *smClient) ack() { c.write(fmt.Sprintf("<a xmlns='urn:xmpp:sm:3' h='%d'/>", c.h)) }

// reset closes the connection with a TCP reset, as a crash or a broken
// network does.
func (c *rawClient) reset() {
	if tc, ok := c.conn.(interface{ NetConn() net.Conn }); ok {
		if tcp, ok := tc.NetConn().(*net.TCPConn); ok {
			_ = tcp.SetLinger(0)
		}
	}
	c.conn.Close()
}

// readOffline reads messages "offline i" until want distinct ones were
// seen in got (filled in), and fails on any seen twice in this session.
func readOffline(t *testing.T, next func() *node, got map[int]bool, want int) {
	t.Helper()
	here := map[int]bool{}
	for len(got) < want {
		i := bodyNumber(next(), "offline")
		if i < 0 {
			continue
		}
		if here[i] {
			t.Fatalf("offline %d delivered twice in one session", i)
		}
		here[i] = true
		got[i] = true
	}
}

// TestOfflineThousandsAllDelivered: 600 and 5,000 messages waiting (more
// than the 512-stanza queue) all reach the client that logs in, none is
// lost, and they are deleted once written. Before, the login pushed them
// all into the queue at once, the client was dropped as "not reading"
// and the messages, already deleted, were gone.
func TestOfflineThousandsAllDelivered(t *testing.T) {
	for _, n := range []int{600, 5000} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			ts := startServer(t)
			ts.srv.store.MaxOffline = 10000
			fillOffline(t, ts, n)
			carol := ts.raw(t, "carol", "c")
			carol.presence(0)
			got := map[int]bool{}
			readOffline(t, func() *node { return carol.must("") }, got, n)
			carol.iq("get", "localhost", "<ping xmlns='urn:xmpp:ping'/>")
			if left := ts.offline(t, "carol"); left != 0 {
				t.Errorf("%d offline messages still stored after all %d were delivered", left, n)
			}
			if ts.log.contains("dropping") {
				t.Errorf("a client was dropped:\n%s", ts.log)
			}
		})
	}
}

// TestOfflineKeptUntilAcknowledged: with stream management, offline
// messages stay stored until the client acknowledges them.
func TestOfflineKeptUntilAcknowledged(t *testing.T) {
	ts := startServer(t)
	fillOffline(t, ts, 600)
	carol := ts.smRaw(t, "carol", "c", false)
	carol.presence(0)
	got := map[int]bool{}
	readOffline(t, func() *node { return carol.nextStanza(false) }, got, 600)
	carol.iq("get", "localhost", "<ping xmlns='urn:xmpp:ping'/>")
	carol.h++ // the ping's answer
	if left := ts.offline(t, "carol"); left != 600 {
		t.Errorf("%d offline messages stored before any acknowledgement, want 600", left)
	}
	carol.ack()
	carol.iq("get", "localhost", "<ping xmlns='urn:xmpp:ping'/>")
	if left := ts.offline(t, "carol"); left != 0 {
		t.Errorf("%d offline messages stored after the acknowledgement, want 0", left)
	}
}

// TestOfflineResetDuringDeliveryLosesNothing: a connection reset in the
// middle of the delivery of 300 offline messages loses none: the next
// login gets every one the client had not acknowledged. Before, the
// reset lost all those not yet read (287 of 300 in the report).
func TestOfflineResetDuringDeliveryLosesNothing(t *testing.T) {
	ts := startServer(t)
	fillOffline(t, ts, 300)
	first := ts.smRaw(t, "carol", "c", false)
	first.presence(0)
	got := map[int]bool{}
	readOffline(t, func() *node { return first.nextStanza(true) }, got, 100)
	first.ack()
	first.iq("get", "localhost", "<ping xmlns='urn:xmpp:ping'/>") // the ack is handled
	first.reset()
	second := ts.raw(t, "carol", "c")
	second.presence(0)
	readOffline(t, func() *node { return second.must("") }, got, 300)
	second.iq("get", "localhost", "<ping xmlns='urn:xmpp:ping'/>")
	if left := ts.offline(t, "carol"); left != 0 {
		t.Errorf("%d offline messages still stored, want 0", left)
	}
}
