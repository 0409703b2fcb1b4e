package server

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"chat/client"
	"chat/event"
)

func TestServerAnswersDiscoPingVersion(t *testing.T) {
	ts := startServer(t)
	c := ts.raw(t, "alice", "r")
	info := c.iq("get", "localhost", "<query xmlns='http://jabber.org/protocol/disco#info'/>")
	if info.get("type") != "result" || !hasText(info, "category='server'") || !hasText(info, "var='urn:xmpp:ping'") {
		t.Errorf("disco#info on the domain = %s", info.bytes())
	}
	if ping := c.iq("get", "localhost", "<ping xmlns='urn:xmpp:ping'/>"); ping.get("type") != "result" {
		t.Errorf("ping = %s, want result", ping.bytes())
	}
	v := c.iq("get", "localhost", "<query xmlns='jabber:iq:version'/>")
	if q := v.child(nsVersion, "query"); q == nil || q.child(nsVersion, "name").text() != serverName {
		t.Errorf("version = %s", v.bytes())
	}
	acct := c.iq("get", "bob@localhost", "<query xmlns='http://jabber.org/protocol/disco#info'/>")
	if !hasText(acct, "category='account'") || acct.get("from") != "bob@localhost" {
		t.Errorf("disco#info on an account = %s", acct.bytes())
	}
	items := c.iq("get", "localhost", "<query xmlns='http://jabber.org/protocol/disco#items'/>")
	if items.get("type") != "result" {
		t.Errorf("disco#items = %s", items.bytes())
	}
	for _, tc := range []struct{ to, payload, cond string }{
		{"localhost", "<query xmlns='urn:example:unknown'/>", "service-unavailable"},
		{"bob@localhost/nowhere", "<ping xmlns='urn:xmpp:ping'/>", "service-unavailable"},
		{"nobody@localhost", "<query xmlns='http://jabber.org/protocol/disco#info'/>", "service-unavailable"},
		{"example.org", "<ping xmlns='urn:xmpp:ping'/>", "remote-server-not-found"},
		{"bob@localhost", "<query xmlns='jabber:iq:roster'/>", "forbidden"},
		{"not@a@jid", "<ping xmlns='urn:xmpp:ping'/>", "jid-malformed"},
	} {
		got := c.iq("get", tc.to, tc.payload)
		if got.get("type") != "error" || errorCondition(got) != tc.cond {
			t.Errorf("iq to %s: %s, want error %s", tc.to, got.bytes(), tc.cond)
		}
	}
}

func TestIQToFullJIDIsRoutedWithStampedFrom(t *testing.T) {
	ts := startServer(t)
	a := ts.raw(t, "alice", "r")
	b := ts.raw(t, "bob", "r")
	a.write("<iq type='get' id='q1' to='bob@localhost/r' from='eve@localhost/x'><ping xmlns='urn:xmpp:ping'/></iq>")
	got := b.expect("routed iq", func(n *node) bool { return n.get("id") == "q1" })
	if got.get("from") != "alice@localhost/r" {
		t.Errorf("routed iq from = %q, want alice@localhost/r", got.get("from"))
	}
	b.write("<iq type='result' id='q1' to='alice@localhost/r'/>")
	res := a.expect("result", func(n *node) bool { return n.get("id") == "q1" })
	if res.get("type") != "result" || res.get("from") != "bob@localhost/r" {
		t.Errorf("result = %s", res.bytes())
	}
}

func TestBareJIDMessagesFollowPriority(t *testing.T) {
	ts := startServer(t)
	high, low := ts.raw(t, "bob", "high"), ts.raw(t, "bob", "low")
	high.presence(5)
	low.presence(1)
	alice := ts.raw(t, "alice", "a")
	// Each sync makes sure the presence has been handled.
	high.iq("get", "localhost", "<ping xmlns='urn:xmpp:ping'/>")
	low.iq("get", "localhost", "<ping xmlns='urn:xmpp:ping'/>")
	alice.write("<message to='bob@localhost' type='chat'><body>to the best</body></message>")
	alice.write("<message to='bob@localhost/low' type='chat'><body>to low</body></message>")
	m := high.expect("message", func(n *node) bool { return n.name.Local == "message" })
	if !hasText(m, "to the best") {
		t.Errorf("high got %s, want the bare-JID message", m.bytes())
	}
	m = low.expect("message", func(n *node) bool { return n.name.Local == "message" })
	if !hasText(m, "to low") {
		t.Errorf("low got %s first, want only the message to its full JID", m.bytes())
	}
	// With only negative priorities, the message is stored instead.
	high.presence(-1)
	low.presence(-1)
	high.iq("get", "localhost", "<ping xmlns='urn:xmpp:ping'/>")
	low.iq("get", "localhost", "<ping xmlns='urn:xmpp:ping'/>")
	alice.write("<message to='bob@localhost' type='chat'><body>for later</body></message>")
	alice.iq("get", "localhost", "<ping xmlns='urn:xmpp:ping'/>")
	later := ts.raw(t, "bob", "later")
	later.presence(0)
	d := later.expect("offline message", func(n *node) bool { return n.name.Local == "message" })
	if !hasText(d, "for later") || d.child(nsDelay, "delay") == nil {
		t.Errorf("offline delivery = %s, want the message with a delay", d.bytes())
	}
}

func TestRosterVersionUnchangedGivesEmptyResult(t *testing.T) {
	ts := startServer(t)
	first := ts.peer(t, "alice", "a")
	first.online()
	first.roster()
	if err := first.e.RosterSet(event.RosterItem{JID: "bob@localhost"}); err != nil {
		t.Fatal(err)
	}
	push := first.expect("push", isPush("bob@localhost", "none")).(event.RosterPush)
	<-first.e.Disconnect()
	again := ts.peer(t, "alice", "a", func(c *client.Config) { c.RosterVersion = func() string { return push.Version } })
	again.online()
	r := again.roster()
	if !r.Unchanged || r.Version != push.Version {
		t.Errorf("roster with current version = %+v, want unchanged at %q", r, push.Version)
	}
	stale := ts.peer(t, "alice", "b", func(c *client.Config) { c.RosterVersion = func() string { return "stale" } })
	stale.online()
	r = stale.roster()
	if r.Unchanged || len(r.Items) != 1 || r.Version != push.Version {
		t.Errorf("roster with a stale version = %+v, want the full roster", r)
	}
}

func TestDirectedPresenceAndUnavailableOnDisconnect(t *testing.T) {
	ts := startServer(t)
	bob := ts.raw(t, "bob", "b")
	bob.presence(0)
	// The answer to a ping after it says bob's presence has been handled:
	// otherwise alice's directed presence may find bob not yet available.
	bob.iq("get", "localhost", "<ping xmlns='urn:xmpp:ping'/>")
	alice := ts.raw(t, "alice", "a")
	alice.write("<presence to='bob@localhost'><status>hi</status></presence>")
	p := bob.expect("directed presence", func(n *node) bool { return n.name.Local == "presence" && n.get("from") == "alice@localhost/a" })
	if p.get("type") != "" {
		t.Errorf("directed presence = %s, want available", p.bytes())
	}
	alice.conn.Close()
	u := bob.expect("unavailable", func(n *node) bool { return n.name.Local == "presence" && n.get("from") == "alice@localhost/a" })
	if u.get("type") != "unavailable" {
		t.Errorf("after disconnect = %s, want unavailable", u.bytes())
	}
}

func TestSlowClientIsDroppedNotTheSender(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.QueueSize = 8; c.WriteTimeout = 500 * time.Millisecond })
	slow := ts.raw(t, "bob", "slow")
	slow.presence(0)
	slow.iq("get", "localhost", "<ping xmlns='urn:xmpp:ping'/>")
	// slow stops reading now.
	sender := ts.raw(t, "alice", "a")
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // drain whatever comes back (errors once slow is gone)
		defer wg.Done()
		for {
			if _, err := sender.r.next(); err != nil {
				return
			}
		}
	}()
	body := strings.Repeat("x", 8000)
	for i := 0; i < 2000 && ts.srv.reg.session("bob@localhost", "slow") != nil; i++ {
		sender.write(fmt.Sprintf("<message to='bob@localhost/slow' type='chat'><body>%d %s</body></message>", i, body))
	}
	if ts.srv.reg.session("bob@localhost", "slow") != nil {
		t.Fatal("a client that reads nothing was not dropped")
	}
	if !ts.log.contains("dropping bob@localhost/slow") {
		t.Errorf("no drop in the log:\n%s", ts.log)
	}
	sender.conn.SetReadDeadline(time.Now()) // stop the drain
	wg.Wait()
}

// testComponent records what it receives and can answer.
type testComponent struct {
	got chan Stanza
}

func (c *testComponent) HandleStanza(st Stanza) { c.got <- st }

func TestComponentRoutesBothWays(t *testing.T) {
	ts := startServer(t)
	comp := &testComponent{got: make(chan Stanza, 10)}
	send, err := ts.srv.Register("rooms.localhost", comp)
	if err != nil {
		t.Fatal(err)
	}
	alice := ts.raw(t, "alice", "a")
	alice.write("<message to='lobby@rooms.localhost' type='groupchat' from='x@y'><body>hi room</body></message>")
	select {
	case st := <-comp.got:
		if st.From.String() != "alice@localhost/a" || st.To.String() != "lobby@rooms.localhost" || !strings.Contains(string(st.Raw), "hi room") {
			t.Errorf("component got %+v", st)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("component got nothing")
	}
	if err := send([]byte("<message from='lobby@rooms.localhost/bob' to='alice@localhost/a' type='groupchat'><body>welcome</body></message>")); err != nil {
		t.Fatal(err)
	}
	m := alice.expect("message from the room", func(n *node) bool { return n.name.Local == "message" })
	if !hasText(m, "welcome") || m.get("from") != "lobby@rooms.localhost/bob" {
		t.Errorf("alice got %s", m.bytes())
	}
	if err := send([]byte("<message from='bob@localhost/x' to='alice@localhost/a'><body>forged</body></message>")); err == nil {
		t.Error("a component could send as a local user")
	}
	items := alice.iq("get", "localhost", "<query xmlns='http://jabber.org/protocol/disco#items'/>")
	if !hasText(items, "jid='rooms.localhost'") {
		t.Errorf("disco#items = %s, want the component", items.bytes())
	}
}
