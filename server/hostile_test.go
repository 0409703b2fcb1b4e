package server

import (
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"chat/client"
	"chat/event"

	"mellium.im/sasl"
)

func TestSpoofedFromIsOverwritten(t *testing.T) {
	ts := startServer(t)
	bob := ts.peer(t, "bob", "b")
	bob.online()
	bob.roster()
	mallory := ts.raw(t, "alice", "raw")
	mallory.write("<message from='carol@localhost/x' to='bob@localhost/b' type='chat'><body>spoof</body></message>")
	m := bob.expect("spoofed message", func(ev event.Event) bool {
		m, ok := ev.(event.Message)
		return ok && m.Body == "spoof"
	}).(event.Message)
	if m.From != "alice@localhost/raw" {
		t.Errorf("from = %q, want the sender's bound JID alice@localhost/raw", m.From)
	}
	// A forged roster push to bob is stamped too, so bob's engine refuses it.
	mallory.write("<iq type='set' id='evil' to='bob@localhost/b'><query xmlns='jabber:iq:roster'><item jid='eve@localhost' subscription='both'/></query></iq>")
	bob.expect("forged push refused", func(ev event.Event) bool {
		e, ok := ev.(event.Error)
		return ok && e.Context == "ignored roster push" && e.From == "alice@localhost/raw"
	})
}

func TestStanzaBeforeAuthIsNotAuthorized(t *testing.T) {
	ts := startServer(t)
	plain := dialRaw(t, ts)
	plain.open()
	plain.write("<message to='bob@localhost'><body>early</body></message>")
	if cond := plain.streamError(); cond != "not-authorized" {
		t.Errorf("before TLS: stream error %q, want not-authorized", cond)
	}
	secure := dialRaw(t, ts)
	secure.open()
	secure.startTLS()
	secure.write("<iq type='get' id='r'><query xmlns='jabber:iq:roster'/></iq>")
	if cond := secure.streamError(); cond != "not-authorized" {
		t.Errorf("after TLS: stream error %q, want not-authorized", cond)
	}
	early := dialRaw(t, ts)
	early.open()
	early.write("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAHNlY3JldA==</auth>")
	if cond := early.streamError(); cond != "policy-violation" {
		t.Errorf("SASL before STARTTLS: stream error %q, want policy-violation", cond)
	}
}

func TestOversizedStanzaDropsOnlyItsSender(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.MaxStanza = 8 << 10 })
	alice, bob := ts.peer(t, "alice", "a"), ts.peer(t, "bob", "b")
	alice.online()
	bob.online()
	big := ts.raw(t, "carol", "big")
	big.write("<message to='bob@localhost'><body>" + strings.Repeat("A", 20<<10) + "</body></message>")
	if cond := big.streamError(); cond != "policy-violation" {
		t.Errorf("stream error %q, want policy-violation", cond)
	}
	if !big.closed() {
		t.Error("connection still open after the oversized stanza")
	}
	if _, err := alice.e.SendMessage(client.OutMessage{To: bob.jid, Body: "still here"}); err != nil {
		t.Fatal(err)
	}
	bob.expect("message after the attack", func(ev event.Event) bool {
		if m, ok := ev.(event.Message); ok && strings.HasPrefix(m.Body, "AAAA") {
			t.Error("the oversized stanza was delivered")
		}
		return isMessage(alice.jid, "still here")(ev)
	})
}

func TestMalformedXMLIsNotWellFormed(t *testing.T) {
	ts := startServer(t)
	for i, tc := range []struct{ name, garbage string }{
		{"mismatched tags", "<message><body>x</message>"},
		{"bad entity", "<message><body>&bogus;</body></message>"},
		{"comment", "<!-- hi --><message/>"},
		{"text at top", "hello<message/>"},
		{"doctype", "<!DOCTYPE x [<!ENTITY a 'b'>]>"},
		{"bad utf-8", "<message><body>\xff\xfe</body></message>"},
	} {
		c := ts.raw(t, "alice", fmt.Sprint("m", i))
		c.write(tc.garbage)
		cond := c.streamError()
		if cond != "not-well-formed" && cond != "restricted-xml" {
			t.Errorf("%s: stream error %q, want not-well-formed or restricted-xml", tc.name, cond)
		}
		if !c.closed() {
			t.Errorf("%s: connection still open", tc.name)
		}
	}
}

func TestAuthFailuresCloseTheConnection(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.MaxAuthFailures = 2 })
	c := dialRaw(t, ts)
	c.open()
	c.startTLS()
	n := c.auth("alice", "wrong")
	if n.name.Local != "failure" || n.child(nsSASL, "not-authorized") == nil {
		t.Fatalf("first failure = %s, want <failure><not-authorized/>", n.bytes())
	}
	n = c.auth("alice", "wrong again")
	if n.name.Local != "failure" {
		t.Fatalf("second failure = %s", n.bytes())
	}
	if cond := c.streamError(); cond != "policy-violation" {
		t.Errorf("after too many failures: %q, want policy-violation", cond)
	}
	if n := dialAndAuth(t, ts, "nobody", "secret"); n.name.Local != "failure" {
		t.Errorf("unknown user: %s, want failure", n.bytes())
	}
}

func dialAndAuth(t *testing.T, ts *testServer, user, pass string) *node {
	c := dialRaw(t, ts)
	c.open()
	c.startTLS()
	return c.auth(user, pass)
}

func TestHandshakeTimeoutClosesSilentConnections(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.HandshakeTimeout = 200 * time.Millisecond })
	c := dialRaw(t, ts)
	if !c.closed() {
		t.Error("a connection that never spoke is still open")
	}
	c = dialRaw(t, ts)
	c.open() // speaks, then stalls before STARTTLS
	if !c.closed() {
		t.Error("a connection stalled in negotiation is still open")
	}
}

func TestIdleConnectionsDoNotStallChat(t *testing.T) {
	ts := startServer(t)
	alice, bob := ts.peer(t, "alice", "a"), ts.peer(t, "bob", "b")
	alice.online()
	bob.online()
	var wg sync.WaitGroup
	const idle = 500
	for i := 0; i < idle; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := dialRaw(t, ts)
			if i%2 == 0 {
				c.write("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>")
			}
		}()
		if i%50 == 0 { // chat while the connections pile up
			body := fmt.Sprintf("ping %d", i)
			if _, err := alice.e.SendMessage(client.OutMessage{To: bob.jid, Body: body}); err != nil {
				t.Fatal(err)
			}
			bob.expect(body, isMessage(alice.jid, body))
		}
	}
	wg.Wait()
	carol := ts.raw(t, "carol", "c") // admitted after every idle one
	for i := 0; i < 20; i++ {
		body := fmt.Sprintf("pong %d", i)
		if _, err := bob.e.SendMessage(client.OutMessage{To: alice.jid, Body: body}); err != nil {
			t.Fatal(err)
		}
		alice.expect(body, isMessage(bob.jid, body))
	}
	// The idle ones not logged in were closed to make room: at most
	// MaxPreAuthPerIP are left beside the three sessions.
	if n, most := ts.srv.Conns(), 3+ts.srv.cfg.MaxPreAuthPerIP; n > most {
		t.Errorf("open connections = %d, want at most %d", n, most)
	}
	carol.iq("get", "localhost", "<ping xmlns='urn:xmpp:ping'/>")
}

// scram runs a SCRAM-SHA-256 exchange by hand and returns the server's
// last answer and whether it sent a challenge first.
func scram(t *testing.T, ts *testServer, user, pass string) (last *node, challenged bool) {
	t.Helper()
	c := dialRaw(t, ts)
	c.open()
	c.startTLS()
	n := sasl.NewClient(sasl.ScramSha256, sasl.Credentials(func() ([]byte, []byte, []byte) {
		return []byte(user), []byte(pass), nil
	}))
	_, first, err := n.Step(nil)
	if err != nil {
		t.Fatal(err)
	}
	c.write("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'>" + base64.StdEncoding.EncodeToString(first) + "</auth>")
	ans := c.must("")
	if ans.name.Local != "challenge" {
		return ans, false
	}
	data, _ := base64.StdEncoding.DecodeString(ans.text())
	_, final, err := n.Step(data)
	if err != nil {
		t.Fatal(err)
	}
	c.write("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>" + base64.StdEncoding.EncodeToString(final) + "</response>")
	return c.must(""), true
}

func TestUnknownUserLooksLikeWrongPassword(t *testing.T) {
	ts := startServer(t)
	last, challenged := scram(t, ts, "alice", "secret")
	if last.name.Local != "success" || !challenged {
		t.Fatalf("right password: %s, want success", last.bytes())
	}
	for _, user := range []string{"alice", "nobody"} {
		last, challenged := scram(t, ts, user, "wrong")
		if !challenged || last.name.Local != "failure" || last.child(nsSASL, "not-authorized") == nil {
			t.Errorf("%s with a wrong password: challenged=%v, last %s; want a challenge then not-authorized", user, challenged, last.bytes())
		}
	}
}
