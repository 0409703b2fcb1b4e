package server

import (
	"errors"
	"sync"
	"time"

	"chat/server/store"
)

// XEP-0077 in-band registration, only when Config.AllowRegister is set:
// before logging in, over TLS, a client may create an account, at most
// Config.RegisterBurst per address per Config.RegisterWindow; once logged
// in, an account may change its password. Removing an account in band is
// not offered.

const (
	nsRegister        = "jabber:iq:register"
	nsRegisterFeature = "http://jabber.org/features/iq-register"
	maxPassword       = 1024
	maxRegisterIPs    = 10000 // addresses remembered by the throttle
)

// regThrottle remembers recent registrations per address.
type regThrottle struct {
	mu   sync.Mutex
	seen map[string][]time.Time
}

// allow reports whether ip may register now, and counts it if so.
func (t *regThrottle) allow(ip string, now time.Time, burst int, window time.Duration) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.seen == nil {
		t.seen = map[string][]time.Time{}
	}
	recent := t.seen[ip][:0]
	for _, at := range t.seen[ip] {
		if now.Sub(at) < window {
			recent = append(recent, at)
		}
	}
	if len(recent) >= burst {
		t.seen[ip] = recent
		return false
	}
	if len(t.seen) >= maxRegisterIPs && t.seen[ip] == nil {
		for k, v := range t.seen { // forget the stale ones
			if len(v) == 0 || now.Sub(v[len(v)-1]) >= window {
				delete(t.seen, k)
			}
		}
		if len(t.seen) >= maxRegisterIPs {
			return false
		}
	}
	t.seen[ip] = append(recent, now)
	return true
}

func registerForm() *node {
	return elem(nsRegister, "query").add(
		elem(nsRegister, "instructions").add("Choose a user name and password."),
		elem(nsRegister, "username"), elem(nsRegister, "password"))
}

// preAuthRegister answers an IQ sent before logging in: registration if
// it is allowed, not-authorized for anything else.
func (c *conn) preAuthRegister(n *node) error {
	q := n.first()
	if !c.srv.cfg.AllowRegister || n.name.Local != "iq" || q == nil || !is(q, nsRegister, "query") {
		return errStream("not-authorized", "log in first")
	}
	reply := func(r *node) error { return c.write(r.bytes()) }
	switch n.get("type") {
	case "get":
		return reply(elem(nsClient, "iq", "type", "result", "id", n.get("id")).add(registerForm()))
	case "set":
	default:
		return reply(iqError(n, "", "modify", "bad-request", ""))
	}
	user, pass := q.child(nsRegister, "username"), q.child(nsRegister, "password")
	if user == nil || pass == nil || pass.text() == "" || len(pass.text()) > maxPassword {
		return reply(iqError(n, "", "modify", "not-acceptable", "a user name and a password are needed"))
	}
	u, err := userJID(c.srv.domain, user.text())
	if err != nil {
		return reply(iqError(n, "", "modify", "jid-malformed", "not a valid user name"))
	}
	if !c.srv.regThrottle.allow(c.ip, time.Now(), c.srv.cfg.RegisterBurst, c.srv.cfg.RegisterWindow) {
		return reply(iqError(n, "", "wait", "resource-constraint", "too many registrations from this address; try later"))
	}
	ctx, cancel := c.srv.storeCtx()
	defer cancel()
	switch err := c.srv.store.CreateUser(ctx, u.String(), pass.text()); {
	case errors.Is(err, store.ErrUserExists):
		return reply(iqError(n, "", "cancel", "conflict", "that user name is taken"))
	case err != nil:
		c.srv.logf("register %s: %v", u, err)
		return reply(iqError(n, "", "wait", "internal-server-error", ""))
	}
	c.srv.logf("registered %s from %s", u, c.ip)
	return reply(elem(nsClient, "iq", "type", "result", "id", n.get("id")))
}

// registerIQ answers jabber:iq:register from a logged-in session: the
// form (registered) and a password change.
func (srv *Server) registerIQ(s *session, st *stanza, q *node) {
	if st.typ == "get" {
		form := elem(nsRegister, "query").add(elem(nsRegister, "registered"),
			elem(nsRegister, "username").add(s.jid.Localpart()), elem(nsRegister, "password"))
		s.send(iqResult(st).add(form).bytes())
		return
	}
	if q.child(nsRegister, "remove") != nil {
		srv.bounce(st, "cancel", "not-allowed", "accounts are not removed in band here")
		return
	}
	pass := q.child(nsRegister, "password")
	if pass == nil || pass.text() == "" || len(pass.text()) > maxPassword {
		srv.bounce(st, "modify", "not-acceptable", "a password is needed")
		return
	}
	if u := q.child(nsRegister, "username"); u != nil && u.text() != s.jid.Localpart() {
		srv.bounce(st, "modify", "not-acceptable", "that is not your user name")
		return
	}
	ctx, cancel := srv.storeCtx()
	defer cancel()
	if err := srv.store.SetUser(ctx, s.bare, pass.text()); err != nil {
		srv.logf("change password of %s: %v", s.bare, err)
		srv.bounce(st, "wait", "internal-server-error", "")
		return
	}
	s.send(iqResult(st).bytes())
}
