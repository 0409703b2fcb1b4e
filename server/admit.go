package server

import "net"

// Connections are admitted under three limits: MaxConns in all,
// MaxConnsPerIP from one address, and, for those not logged in yet,
// MaxPreAuth and MaxPreAuthPerIP. A new connection that finds a limit
// reached evicts the connection not logged in that is least worth
// keeping (one that failed a login, then one that has not started TLS,
// then the oldest), so that idle or guessing connections cannot lock
// honest logins out: they are closed to make room instead. Only when
// every connection that counts is logged in is the new one refused.

// Stages of a connection not logged in, least worth keeping first.
const (
	stageFailed = iota // has failed a login
	stageTCP           // before TLS
	stageTLS           // TLS up, not logged in
)

// preAuth counts the connections not logged in; guarded by Server.mu.
type preAuth struct {
	n     int
	perIP map[string]int
	seq   uint64 // admission counter: lower is older
}

// connLimits are a conn's bookkeeping, guarded by Server.mu.
type connLimits struct {
	seq     uint64
	stage   int
	preAuth bool // counted in Server.pre
	gone    bool // uncounted already (released or evicted)
}

// admit starts serving a connection, making room by eviction or closing
// it at once if a limit is reached.
func (srv *Server) admit(raw net.Conn) {
	ip := remoteIP(raw)
	srv.mu.Lock()
	if srv.closed {
		srv.mu.Unlock()
		raw.Close()
		return
	}
	if why := srv.makeRoom(ip); why != "" {
		srv.mu.Unlock()
		srv.logf("refused connection from %s: %s", ip, why)
		raw.Close()
		return
	}
	c := newConn(srv, raw, ip)
	srv.pre.seq++
	c.lim = connLimits{seq: srv.pre.seq, stage: stageTCP, preAuth: true}
	srv.conns[c] = false
	srv.perIP[ip]++
	srv.pre.n++
	srv.pre.perIP[ip]++
	srv.wg.Add(1)
	srv.mu.Unlock()
	go func() {
		defer srv.wg.Done()
		defer srv.release(c)
		c.serve()
	}()
}

// makeRoom evicts a connection not logged in if a new one from ip would
// pass a limit; it returns why the new one is refused, or "". The caller
// holds mu.
func (srv *Server) makeRoom(ip string) string {
	cfg := &srv.cfg
	for _, l := range []struct {
		full func() bool
		ip   string // "" for any address
		why  string
	}{
		{func() bool { return srv.pre.perIP[ip] >= cfg.MaxPreAuthPerIP }, ip, "connections not logged in from that address"},
		{func() bool { return srv.pre.n >= cfg.MaxPreAuth }, "", "connections not logged in"},
		{func() bool { return srv.perIP[ip] >= cfg.MaxConnsPerIP }, ip, "connections from that address"},
		{func() bool { return len(srv.conns) >= cfg.MaxConns }, "", "connections"},
	} {
		if !l.full() {
			continue
		}
		victim := srv.leastWorth(l.ip)
		if victim == nil {
			return "too many " + l.why
		}
		srv.logf("closing a connection not logged in from %s to make room: too many %s", victim.ip, l.why)
		srv.forget(victim)
		victim.raw.Close()
	}
	return ""
}

// leastWorth returns the connection not logged in (from ip, if not "")
// to evict first, or nil. The caller holds mu.
func (srv *Server) leastWorth(ip string) *conn {
	var worst *conn
	for c := range srv.conns {
		if !c.lim.preAuth || (ip != "" && c.ip != ip) {
			continue
		}
		if worst == nil || c.lim.stage < worst.lim.stage ||
			c.lim.stage == worst.lim.stage && c.lim.seq < worst.lim.seq {
			worst = c
		}
	}
	return worst
}

// forget uncounts c, once. The caller holds mu.
func (srv *Server) forget(c *conn) {
	if c.lim.gone {
		return
	}
	c.lim.gone = true
	srv.notPreAuth(c)
	delete(srv.conns, c)
	if srv.perIP[c.ip]--; srv.perIP[c.ip] <= 0 {
		delete(srv.perIP, c.ip)
	}
}

// notPreAuth takes c out of the count of connections not logged in. The
// caller holds mu.
func (srv *Server) notPreAuth(c *conn) {
	if !c.lim.preAuth {
		return
	}
	c.lim.preAuth = false
	srv.pre.n--
	if srv.pre.perIP[c.ip]--; srv.pre.perIP[c.ip] <= 0 {
		delete(srv.pre.perIP, c.ip)
	}
}

func (srv *Server) release(c *conn) {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	srv.forget(c)
}

// setStage records how far c has got in logging in.
func (srv *Server) setStage(c *conn, stage int) {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if c.lim.preAuth && (stage == stageFailed || c.lim.stage != stageFailed) {
		c.lim.stage = stage
	}
}

// markAuthed notes that c has logged in: it can no longer be evicted. It
// reports false if c was evicted already.
func (srv *Server) markAuthed(c *conn) bool {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if c.lim.gone {
		return false
	}
	srv.notPreAuth(c)
	return true
}

// markBound notes that c is a session now; it reports false if the server
// is closing or c was evicted.
func (srv *Server) markBound(c *conn) bool {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.closed || c.lim.gone {
		return false
	}
	srv.conns[c] = true
	return true
}
