package server

import "testing"

// idle opens n connections that start a stream and then say nothing,
// one after another: each has been admitted when the next is dialled.
func idle(t *testing.T, ts *testServer, n int) []*rawClient {
	t.Helper()
	var cs []*rawClient
	for i := 0; i < n; i++ {
		c := dialRaw(t, ts)
		c.open()
		cs = append(cs, c)
	}
	return cs
}

// TestIdleConnectionsCannotLockOutLogins: connections that never log in
// are kept to MaxPreAuthPerIP by closing the oldest, so that they cannot
// fill MaxConnsPerIP and an honest login gets through.
func TestIdleConnectionsCannotLockOutLogins(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.MaxConnsPerIP = 8; c.MaxPreAuthPerIP = 4 })
	cs := idle(t, ts, 8)
	for i := 0; i < 4; i++ {
		if !cs[i].closed() {
			t.Errorf("idle connection %d (of the four oldest) is still open", i)
		}
	}
	if n := ts.srv.Conns(); n != 4 {
		t.Errorf("open connections = %d, want 4", n)
	}
	alice := ts.peer(t, "alice", "honest")
	alice.online() // fatal if refused
	if !cs[4].closed() {
		t.Error("the oldest idle connection was not closed to make room for the login")
	}
	if n := ts.srv.Conns(); n != 4 {
		t.Errorf("open connections = %d, want the session and three idle ones", n)
	}
}

// TestEvictionSparesLoginsUnderWay: the connection closed to make room is
// one that failed a login if any, then one that has not started TLS, and
// only then the oldest.
func TestEvictionSparesLoginsUnderWay(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.MaxPreAuthPerIP = 3 })
	secure := dialRaw(t, ts) // the oldest, but it has TLS up
	secure.open()
	secure.startTLS()
	guesser := dialRaw(t, ts)
	guesser.open()
	guesser.startTLS()
	if n := guesser.auth("alice", "guess"); n.name.Local != "failure" {
		t.Fatalf("wrong password: %s", n.bytes())
	}
	plain := idle(t, ts, 1)[0]
	idle(t, ts, 1) // evicts the guesser
	if !guesser.closed() {
		t.Error("the connection that failed a login is still open")
	}
	idle(t, ts, 1) // evicts the plain one, not the older secure one
	if !plain.closed() {
		t.Error("the connection that had not started TLS is still open")
	}
	if n := secure.auth("alice", "secret"); n.name.Local != "success" {
		t.Errorf("the login under way was closed: %s", n.bytes())
	}
}

// TestConnectionLimitPerAddress: when every connection from an address is
// logged in, a new one is refused.
func TestConnectionLimitPerAddress(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.MaxConnsPerIP = 3 })
	ts.raw(t, "alice", "r1")
	ts.raw(t, "alice", "r2")
	waiting := idle(t, ts, 1)[0]
	ts.raw(t, "alice", "r3") // makes room by closing the one not logged in
	if !waiting.closed() {
		t.Error("the connection not logged in was not closed to make room")
	}
	extra := dialRaw(t, ts)
	if !extra.closed() {
		t.Error("a fourth connection from one address was accepted with three logged in")
	}
	if n := ts.srv.Conns(); n != 3 {
		t.Errorf("open connections = %d, want 3", n)
	}
}

// TestPreAuthCountsReturnToZero: evictions, refusals and ordinary ends
// leave no connection counted.
func TestPreAuthCountsReturnToZero(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.MaxPreAuthPerIP = 2; c.MaxConnsPerIP = 3 })
	cs := []*rawClient{ts.raw(t, "bob", "b0")}
	cs = append(cs, idle(t, ts, 3)...) // the first is evicted
	cs = append(cs, ts.raw(t, "bob", "b1"), ts.raw(t, "bob", "b2"))
	if extra := dialRaw(t, ts); !extra.closed() {
		t.Error("a connection was accepted with three sessions from the address")
	}
	for _, c := range cs {
		c.conn.Close()
	}
	ts.srv.Close()
	ts.srv.mu.Lock()
	defer ts.srv.mu.Unlock()
	if ts.srv.pre.n != 0 || len(ts.srv.pre.perIP) != 0 || len(ts.srv.conns) != 0 || len(ts.srv.perIP) != 0 {
		t.Errorf("after Close: %d not logged in (%v), %d open (%v)", ts.srv.pre.n, ts.srv.pre.perIP, len(ts.srv.conns), ts.srv.perIP)
	}
}
