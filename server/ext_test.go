package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"chat/server/store"
)

// isMsg matches a message whose body is body.
func isMsg(body string) func(*node) bool {
	return func(n *node) bool {
		b := n.child(nsClient, "body")
		return n.name.Local == "message" && b != nil && b.text() == body
	}
}

// expectNoBody reads until match accepts a stanza, failing on any message
// with a body before it (one that blocking should have dropped).
func expectNoBody(c *rawClient, what string, match func(*node) bool) *node {
	c.t.Helper()
	return c.expect(what, func(n *node) bool {
		if n.name.Local == "message" && n.get("type") != "error" && n.child(nsClient, "body") != nil && !match(n) {
			c.t.Fatalf("a message got through while blocked: %s", n.bytes())
		}
		return match(n)
	})
}

func hasID(id string) func(*node) bool { return func(n *node) bool { return n.get("id") == id } }

// TestBlockingEnforcedAndPushed: XEP-0191. A blocked contact's messages
// never arrive, its IQs are answered service-unavailable, the account
// cannot write to it, the other resource gets the pushes, and unblocking
// restores delivery.
func TestBlockingEnforcedAndPushed(t *testing.T) {
	ts := startServer(t)
	alice := ts.raw(t, "alice", "a")
	other := ts.raw(t, "alice", "other")
	bob := ts.raw(t, "bob", "b")
	if n := alice.iq("set", "", "<block xmlns='urn:xmpp:blocking'><item jid='BOB@localhost'/></block>"); n.get("type") != "result" {
		t.Fatalf("block: %s", n.bytes())
	}
	other.expect("block push", func(n *node) bool {
		b := n.child(nsBlocking, "block")
		return n.get("type") == "set" && b != nil && hasText(n, "BOB@localhost")
	})
	list := alice.iq("get", "", "<blocklist xmlns='urn:xmpp:blocking'/>")
	if items := list.child(nsBlocking, "blocklist").children(nsBlocking, "item"); len(items) != 1 || items[0].get("jid") != "bob@localhost" {
		t.Fatalf("blocklist %s", list.bytes())
	}
	bob.write("<message to='alice@localhost/a' type='chat'><body>hidden</body></message>")
	if n := bob.iq("get", "alice@localhost", "<query xmlns='jabber:iq:last'/>"); errorCondition(n) != "service-unavailable" {
		t.Fatalf("IQ from a blocked contact: %s", n.bytes())
	}
	alice.write("<message to='bob@localhost/b' id='m1' type='chat'><body>to blocked</body></message>")
	e := expectNoBody(alice, "blocked error", hasID("m1"))
	if errorCondition(e) != "not-acceptable" || e.child(nsClient, "error").child(nsBlockingErrors, "blocked") == nil {
		t.Fatalf("message to a blocked contact: %s", e.bytes())
	}
	alice.write("<iq type='set' id='ub'><unblock xmlns='urn:xmpp:blocking'><item jid='bob@localhost'/></unblock></iq>")
	if n := expectNoBody(alice, "unblock result", hasID("ub")); n.get("type") != "result" {
		t.Fatalf("unblock: %s", n.bytes())
	}
	bob.write("<message to='alice@localhost/a' type='chat'><body>visible</body></message>")
	got := alice.expect("a message", func(n *node) bool { return n.name.Local == "message" && n.child(nsClient, "body") != nil })
	if !isMsg("visible")(got) {
		t.Fatalf("first message after unblocking: %s (the blocked one leaked)", got.bytes())
	}
}

// TestBlockingSurvivesRestart: the blocklist is kept in the store.
func TestBlockingSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, func(c *Config) { c.DataDir = dir })
	alice := ts.raw(t, "alice", "a")
	alice.iq("set", "", "<block xmlns='urn:xmpp:blocking'><item jid='eve@evil.example'/></block>")
	ts.srv.Close()
	ts2 := startServer(t, func(c *Config) { c.DataDir = dir })
	list := ts2.raw(t, "alice", "a").iq("get", "", "<blocklist xmlns='urn:xmpp:blocking'/>")
	if !hasText(list, "eve@evil.example") {
		t.Fatalf("blocklist after restart: %s", list.bytes())
	}
}

// TestPrivateStorage: XEP-0049 as Profanity keeps bookmarks.
func TestPrivateStorage(t *testing.T) {
	ts := startServer(t)
	alice := ts.raw(t, "alice", "a")
	empty := alice.iq("get", "", "<query xmlns='jabber:iq:private'><storage xmlns='storage:bookmarks'/></query>")
	if empty.get("type") != "result" || empty.child(nsPrivate, "query").child("storage:bookmarks", "storage") == nil {
		t.Fatalf("get before any set: %s", empty.bytes())
	}
	set := "<query xmlns='jabber:iq:private'><storage xmlns='storage:bookmarks'><conference jid='lobby@conference.localhost' autojoin='true' name='&lt;b&gt;'><nick>al</nick></conference></storage></query>"
	if n := alice.iq("set", "", set); n.get("type") != "result" {
		t.Fatalf("set: %s", n.bytes())
	}
	got := ts.raw(t, "alice", "b").iq("get", "", "<query xmlns='jabber:iq:private'><storage xmlns='storage:bookmarks'/></query>")
	conf := got.child(nsPrivate, "query").child("storage:bookmarks", "storage").child("storage:bookmarks", "conference")
	if conf == nil || conf.get("name") != "<b>" || conf.child("storage:bookmarks", "nick").text() != "al" {
		t.Fatalf("get: %s", got.bytes())
	}
	bob := ts.raw(t, "bob", "b")
	if n := bob.iq("get", "alice@localhost", "<query xmlns='jabber:iq:private'><storage xmlns='storage:bookmarks'/></query>"); errorCondition(n) != "forbidden" {
		t.Fatalf("another account's private data: %s", n.bytes())
	}
	if n := alice.iq("set", "", "<query xmlns='jabber:iq:private'><x xmlns='jabber:iq:private'/></query>"); errorCondition(n) != "not-acceptable" {
		t.Fatalf("reserved namespace: %s", n.bytes())
	}
}

// TestVCardTemp: set one's own, anyone reads it, a huge one is refused.
func TestVCardTemp(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.MaxStanza = 1 << 20 })
	alice := ts.raw(t, "alice", "a")
	bob := ts.raw(t, "bob", "b")
	if n := bob.iq("get", "alice@localhost", "<vCard xmlns='vcard-temp'/>"); n.get("type") != "result" || n.child(nsVCard, "vCard") == nil {
		t.Fatalf("empty vCard: %s", n.bytes())
	}
	if n := alice.iq("set", "", "<vCard xmlns='vcard-temp'><FN>Alice &amp; co</FN><NICKNAME>al</NICKNAME></vCard>"); n.get("type") != "result" {
		t.Fatalf("set: %s", n.bytes())
	}
	n := bob.iq("get", "alice@localhost", "<vCard xmlns='vcard-temp'/>")
	if fn := n.child(nsVCard, "vCard").child(nsVCard, "FN"); fn == nil || fn.text() != "Alice & co" {
		t.Fatalf("get: %s", n.bytes())
	}
	if n := bob.iq("set", "alice@localhost", "<vCard xmlns='vcard-temp'><FN>x</FN></vCard>"); errorCondition(n) != "forbidden" {
		t.Fatalf("set another's vCard: %s", n.bytes())
	}
	big := "<vCard xmlns='vcard-temp'><PHOTO><BINVAL>" + strings.Repeat("A", maxVCard) + "</BINVAL></PHOTO></vCard>"
	if n := alice.iq("set", "", big); errorCondition(n) != "not-acceptable" {
		t.Fatalf("oversized vCard: %s", n.bytes())
	}
}

// TestLastActivityAndTime: XEP-0012 for an offline contact with a
// subscription (and forbidden without), the server's uptime, and XEP-0202.
func TestLastActivityAndTime(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	if _, err := ts.srv.store.PutRosterItem(ctx, "bob@localhost", store.Item{JID: "alice@localhost", Subscription: "from"}); err != nil {
		t.Fatal(err)
	}
	bob := ts.raw(t, "bob", "b")
	bob.presence(0)
	bob.write("<presence type='unavailable'><status>gone fishing</status></presence>")
	bob.iq("get", "localhost", "<ping xmlns='urn:xmpp:ping'/>") // the server has handled the presence
	alice := ts.raw(t, "alice", "a")
	n := alice.iq("get", "bob@localhost", "<query xmlns='jabber:iq:last'/>")
	q := n.child(nsLast, "query")
	if n.get("type") != "result" || q == nil || q.get("seconds") == "" || q.text() != "gone fishing" {
		t.Fatalf("last activity of bob: %s", n.bytes())
	}
	if n := ts.raw(t, "carol", "c").iq("get", "bob@localhost", "<query xmlns='jabber:iq:last'/>"); errorCondition(n) != "forbidden" {
		t.Fatalf("last activity without a subscription: %s", n.bytes())
	}
	if n := alice.iq("get", "localhost", "<query xmlns='jabber:iq:last'/>"); n.child(nsLast, "query") == nil {
		t.Fatalf("server uptime: %s", n.bytes())
	}
	tm := alice.iq("get", "localhost", "<time xmlns='urn:xmpp:time'/>")
	utc := tm.child(nsTime, "time")
	if utc == nil || utc.child(nsTime, "utc") == nil {
		t.Fatalf("entity time: %s", tm.bytes())
	}
	if _, err := time.Parse(time.RFC3339, utc.child(nsTime, "utc").text()); err != nil {
		t.Fatalf("entity time %s: %v", tm.bytes(), err)
	}
}

// TestDiscoListsServices: what the server answers is what disco#info
// announces.
func TestDiscoListsServices(t *testing.T) {
	ts := startServer(t)
	alice := ts.raw(t, "alice", "a")
	info := alice.iq("get", "localhost", "<query xmlns='http://jabber.org/protocol/disco#info'/>")
	for _, f := range []string{nsBlocking, nsPrivate, nsVCard, nsLast, nsTime, nsPing, nsVersion} {
		if !hasText(info, "var='"+f+"'") {
			t.Errorf("server disco#info lacks %s: %s", f, info.bytes())
		}
	}
	acct := alice.iq("get", "alice@localhost", "<query xmlns='http://jabber.org/protocol/disco#info'/>")
	if !hasText(acct, "type='pep'") || !hasText(acct, nsPubSub+"#publish") {
		t.Errorf("account disco#info lacks PEP: %s", acct.bytes())
	}
}

// TestBlockingARoom: an occupant blocked by its room JID (a component's
// address) is not heard from either; unblocking brings its messages back.
func TestBlockingARoom(t *testing.T) {
	ts := startServer(t)
	alice := ts.raw(t, "alice", "a")
	bob := ts.raw(t, "bob", "b")
	bob.join(room+"/bob", "")
	bob.instantRoom(t, room+"/bob")
	alice.join(room+"/alice", "")
	if n := alice.iq("set", "", "<block xmlns='urn:xmpp:blocking'><item jid='"+room+"/bob'/></block>"); n.get("type") != "result" {
		t.Fatalf("block: %s", n.bytes())
	}
	bob.say(room, "one")
	bob.expect("own one", isGroupchat(room+"/bob", "one"))
	// The room handles alice's message after bob's (one goroutine, in
	// order), so bob's reaches alice first if it is let through.
	alice.say(room, "mine")
	expectNoBody(alice, "own message", isGroupchat(room+"/alice", "mine"))
	alice.write("<iq type='set' id='ub'><unblock xmlns='urn:xmpp:blocking'/></iq>")
	if n := alice.expect("unblock result", hasID("ub")); n.get("type") != "result" {
		t.Fatalf("unblock all: %s", n.bytes())
	}
	bob.say(room, "three")
	got := alice.expect("bob's message", func(n *node) bool { return n.get("from") == room+"/bob" && n.child(nsClient, "body") != nil })
	if b := got.child(nsClient, "body").text(); b != "three" {
		t.Fatalf("first message from bob after unblocking: %q", b)
	}
}

// TestBlockedContactSeesNoPresence: a subscribed contact that is blocked
// gets none of the account's presence broadcasts (XEP-0191 §3.3).
func TestBlockedContactSeesNoPresence(t *testing.T) {
	ts := startServer(t)
	if _, err := ts.srv.store.PutRosterItem(context.Background(), "alice@localhost", store.Item{JID: "bob@localhost", Subscription: "from"}); err != nil {
		t.Fatal(err)
	}
	bob := ts.raw(t, "bob", "b")
	bob.presence(0)
	bob.iq("get", "localhost", "<ping xmlns='urn:xmpp:ping'/>")
	alice := ts.raw(t, "alice", "a")
	alice.iq("set", "", "<block xmlns='urn:xmpp:blocking'><item jid='bob@localhost'/></block>")
	alice.write("<presence><status>one</status></presence>")
	alice.iq("set", "", "<unblock xmlns='urn:xmpp:blocking'/>")
	alice.write("<presence><status>two</status></presence>")
	p := bob.expect("alice's presence", func(n *node) bool {
		return n.name.Local == "presence" && n.get("from") == "alice@localhost/a" && n.get("type") == ""
	})
	if s := p.child(nsClient, "status"); s == nil || s.text() != "two" {
		t.Fatalf("bob's first presence from alice: %s (sent while he was blocked)", p.bytes())
	}
}
