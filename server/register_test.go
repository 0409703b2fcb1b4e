package server

import (
	"testing"
	"time"
)

// dialPreAuth is a raw client over TLS, not logged in; it returns the
// stream features.
func dialPreAuth(t *testing.T, ts *testServer) (*rawClient, *node) {
	t.Helper()
	c := dialRaw(t, ts)
	c.open()
	c.write("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
	c.must("proceed")
	c.startTLSNoOpen()
	c.write("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>")
	if _, err := c.r.readHeader(); err != nil {
		t.Fatalf("read server header: %v", err)
	}
	return c, c.must("features")
}

func registerIQ(user, pass string) string {
	return "<query xmlns='jabber:iq:register'><username>" + user + "</username><password>" + pass + "</password></query>"
}

// TestInBandRegistration: XEP-0077 only with AllowRegister; a new account
// can log in; a taken name is a conflict and keeps its password; past the
// burst an address waits; a logged-in account changes its password.
func TestInBandRegistration(t *testing.T) {
	off := startServer(t)
	c, feats := dialPreAuth(t, off)
	if feats.child(nsRegisterFeature, "register") != nil {
		t.Fatalf("registration offered when not allowed: %s", feats.bytes())
	}
	c.write("<iq type='get' id='r0'>" + "<query xmlns='jabber:iq:register'/></iq>")
	if got := c.streamError(); got != "not-authorized" {
		t.Fatalf("registration when not allowed: stream error %q", got)
	}

	ts := startServer(t, func(c *Config) { c.AllowRegister = true; c.RegisterBurst = 2; c.RegisterWindow = time.Hour })
	c, feats = dialPreAuth(t, ts)
	if feats.child(nsRegisterFeature, "register") == nil {
		t.Fatalf("registration not offered: %s", feats.bytes())
	}
	if n := c.iq("get", "", "<query xmlns='jabber:iq:register'/>"); n.child(nsRegister, "query").child(nsRegister, "password") == nil {
		t.Fatalf("registration form: %s", n.bytes())
	}
	if n := c.iq("set", "", registerIQ("alice", "stolen")); errorCondition(n) != "conflict" {
		t.Fatalf("registering a taken name: %s", n.bytes())
	}
	if n := c.iq("set", "", registerIQ("erin", "pw1")); n.get("type") != "result" {
		t.Fatalf("register erin: %s", n.bytes())
	}
	if n := c.iq("set", "", registerIQ("frank", "pw2")); errorCondition(n) != "resource-constraint" {
		t.Fatalf("third registration from one address: %s", n.bytes())
	}
	if n := c.auth("alice", testUsers["alice"]); n.name.Local != "success" {
		t.Fatalf("alice's password after a conflicting registration: %s", n.bytes())
	}
	e := dialRaw(t, ts)
	e.open()
	e.startTLS()
	if n := e.auth("erin", "pw1"); n.name.Local != "success" {
		t.Fatalf("log in as the new account: %s", n.bytes())
	}
	e.r.restart()
	e.open()
	e.bind("r")
	if n := e.iq("set", "localhost", "<query xmlns='jabber:iq:register'><username>erin</username><password>pw3</password></query>"); n.get("type") != "result" {
		t.Fatalf("password change: %s", n.bytes())
	}
	f := dialRaw(t, ts)
	f.open()
	f.startTLS()
	if n := f.auth("erin", "pw3"); n.name.Local != "success" {
		t.Fatalf("log in with the changed password: %s", n.bytes())
	}
}
