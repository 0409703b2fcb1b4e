package server

import (
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// rawClient speaks XMPP by hand, for the tests a well-behaved client
// cannot do: spoofing, garbage, oversized stanzas, idling.
type rawClient struct {
	t    testing.TB
	ts   *testServer
	conn net.Conn // raw, then TLS
	r    stanzaReader
	jid  string
}

func dialRaw(t testing.TB, ts *testServer) *rawClient {
	t.Helper()
	conn, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	c := &rawClient{t: t, ts: ts, conn: conn}
	c.r = stanzaReader{in: newBudgetReader(conn, 4<<20), maxDepth: 100}
	c.r.restart()
	return c
}

func (c *rawClient) write(s string) {
	c.t.Helper()
	_ = c.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c.conn, s); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// next reads the next top-level element.
func (c *rawClient) next() (*node, error) {
	_ = c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	return c.r.next()
}

func (c *rawClient) must(local string) *node {
	c.t.Helper()
	n, err := c.next()
	if err != nil {
		c.t.Fatalf("waiting for <%s/>: %v", local, err)
	}
	if local != "" && n.name.Local != local {
		c.t.Fatalf("got %s, want <%s/>", n.bytes(), local)
	}
	return n
}

// expect reads elements until match accepts one.
func (c *rawClient) expect(what string, match func(*node) bool) *node {
	c.t.Helper()
	for {
		n, err := c.next()
		if err != nil {
			c.t.Fatalf("waiting for %s: %v", what, err)
		}
		if match(n) {
			return n
		}
	}
}

// streamError reads until the stream error and returns its condition.
func (c *rawClient) streamError() string {
	c.t.Helper()
	for {
		n, err := c.next()
		if err != nil {
			c.t.Fatalf("waiting for a stream error: %v", err)
		}
		if n.name.Space == nsStream && n.name.Local == "error" {
			if f := n.first(); f != nil {
				return f.name.Local
			}
			return ""
		}
	}
}

func (c *rawClient) open() {
	c.t.Helper()
	c.write("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>")
	_ = c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.r.readHeader(); err != nil {
		c.t.Fatalf("read server header: %v", err)
	}
	c.must("features")
}

func (c *rawClient) startTLS() {
	c.t.Helper()
	c.write("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
	c.must("proceed")
	tc := tls.Client(c.conn, &tls.Config{RootCAs: c.ts.pool, ServerName: "localhost", MinVersion: tls.VersionTLS12})
	if err := tc.Handshake(); err != nil {
		c.t.Fatalf("TLS handshake: %v", err)
	}
	c.conn = tc
	c.r.in = newBudgetReader(tc, 4<<20)
	c.r.restart()
	c.open()
}

// startTLSNoOpen completes a TLS handshake the server has said proceed
// to, without opening the new stream.
func (c *rawClient) startTLSNoOpen() {
	c.t.Helper()
	tc := tls.Client(c.conn, &tls.Config{RootCAs: c.ts.pool, ServerName: "localhost", MinVersion: tls.VersionTLS12})
	if err := tc.Handshake(); err != nil {
		c.t.Fatalf("TLS handshake: %v", err)
	}
	c.conn = tc
	c.r.in = newBudgetReader(tc, 4<<20)
	c.r.restart()
}

// auth tries SASL PLAIN and returns the element the server answered.
func (c *rawClient) auth(user, pass string) *node {
	c.t.Helper()
	cred := base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + pass))
	c.write("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + cred + "</auth>")
	n, err := c.next()
	if err != nil {
		c.t.Fatalf("auth: %v", err)
	}
	return n
}

func (c *rawClient) bind(resource string) {
	c.t.Helper()
	c.write("<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>" + resource + "</resource></bind></iq>")
	n := c.must("iq")
	b := n.child(nsBind, "bind")
	if n.get("type") != "result" || b == nil || b.child(nsBind, "jid") == nil {
		c.t.Fatalf("bind answer %s", n.bytes())
	}
	c.jid = b.child(nsBind, "jid").text()
}

// login makes a raw client bound as user/resource.
func (ts *testServer) raw(t testing.TB, user, resource string) *rawClient {
	t.Helper()
	c := dialRaw(t, ts)
	c.open()
	c.startTLS()
	if n := c.auth(user, testUsers[user]); n.name.Local != "success" {
		t.Fatalf("auth as %s: %s", user, n.bytes())
	}
	c.r.restart()
	c.open()
	c.bind(resource)
	return c
}

// iq sends an IQ request and returns the answer with the same id.
func (c *rawClient) iq(typ, to, payload string) *node {
	c.t.Helper()
	id := randomID()
	toAttr := ""
	if to != "" {
		toAttr = " to='" + to + "'"
	}
	c.write(fmt.Sprintf("<iq type='%s' id='%s'%s>%s</iq>", typ, id, toAttr, payload))
	return c.expect("answer to "+id, func(n *node) bool { return n.name.Local == "iq" && n.get("id") == id })
}

// presence sends available presence with a priority.
func (c *rawClient) presence(prio int) {
	c.write(fmt.Sprintf("<presence><priority>%d</priority></presence>", prio))
}

// closed reports whether the server has closed the connection (reading
// gives EOF or a reset) within the read deadline.
func (c *rawClient) closed() bool {
	buf := make([]byte, 4096)
	_ = c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, err := c.conn.Read(buf)
		if err == nil {
			continue
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return false
		}
		return true
	}
}

func errorCondition(n *node) string {
	e := n.child(nsClient, "error")
	if e == nil {
		return ""
	}
	for _, k := range e.kids {
		if c, ok := k.(*node); ok && c.name.Space == nsStanzas && c.name.Local != "text" {
			return c.name.Local
		}
	}
	return ""
}

func hasText(n *node, s string) bool { return strings.Contains(string(n.bytes()), s) }
