package server

import (
	"context"
	"testing"

	"chat/server/store"
)

const (
	nsBookmarks2 = "urn:xmpp:bookmarks:1"
	nsNick       = "http://jabber.org/protocol/nick"
)

func publish(node, id, item, options string) string {
	return "<pubsub xmlns='" + nsPubSub + "'><publish node='" + node + "'><item id='" + id + "'>" + item +
		"</item></publish>" + options + "</pubsub>"
}

const privateOptions = "<publish-options><x xmlns='jabber:x:data' type='submit'>" +
	"<field var='FORM_TYPE' type='hidden'><value>http://jabber.org/protocol/pubsub#publish-options</value></field>" +
	"<field var='pubsub#persist_items'><value>true</value></field>" +
	"<field var='pubsub#max_items'><value>max</value></field>" +
	"<field var='pubsub#access_model'><value>whitelist</value></field></x></publish-options>"

func isEvent(n *node) bool {
	return n.name.Local == "message" && n.child(nsPubSubEvent, "event") != nil
}

func eventNode(n *node) string {
	if it := n.child(nsPubSubEvent, "event").child(nsPubSubEvent, "items"); it != nil {
		return it.get("node")
	}
	return ""
}

func pepItems(t *testing.T, c *rawClient, to, node string) (*node, []*node) {
	t.Helper()
	n := c.iq("get", to, "<pubsub xmlns='"+nsPubSub+"'><items node='"+node+"'/></pubsub>")
	ps := n.child(nsPubSub, "pubsub")
	if ps == nil || ps.child(nsPubSub, "items") == nil {
		return n, nil
	}
	return n, ps.child(nsPubSub, "items").children(nsPubSub, "item")
}

// TestPEPBookmarksNickAvatar: XEP-0163 as bookmarks (XEP-0402, private),
// nicknames (XEP-0172) and avatar metadata (XEP-0084) use it: publish,
// notify the account and its subscribers (never for a private node),
// retrieve, max_items, retract.
func TestPEPBookmarksNickAvatar(t *testing.T) {
	ts := startServer(t)
	if _, err := ts.srv.store.PutRosterItem(context.Background(), "alice@localhost", store.Item{JID: "bob@localhost", Subscription: "from"}); err != nil {
		t.Fatal(err)
	}
	alice := ts.raw(t, "alice", "a")
	alice.presence(0)
	bob := ts.raw(t, "bob", "b")
	bob.presence(0)
	bob.iq("get", "localhost", "<ping xmlns='urn:xmpp:ping'/>")
	conf := "<conference xmlns='" + nsBookmarks2 + "' autojoin='true' name='Lobby'><nick>al</nick></conference>"
	for _, id := range []string{"lobby@conference.localhost", "dev@conference.localhost"} {
		if n := alice.iq("set", "", publish(nsBookmarks2, id, conf, privateOptions)); n.get("type") != "result" {
			t.Fatalf("publish a bookmark: %s", n.bytes())
		}
	}
	if ev := alice.expect("own bookmark event", isEvent); eventNode(ev) != nsBookmarks2 {
		t.Fatalf("own event %s", ev.bytes())
	}
	for _, nick := range []string{"Alice One", "Alice"} {
		if n := alice.iq("set", "", publish(nsNick, "current", "<nick xmlns='"+nsNick+"'>"+nick+"</nick>", "")); n.get("type") != "result" {
			t.Fatalf("publish a nick: %s", n.bytes())
		}
	}
	meta := "<metadata xmlns='urn:xmpp:avatar:metadata'><info bytes='10' id='abc' type='image/png'/></metadata>"
	if n := alice.iq("set", "", publish("urn:xmpp:avatar:metadata", "abc", meta, "")); n.get("type") != "result" {
		t.Fatalf("publish avatar metadata: %s", n.bytes())
	}
	if ev := bob.expect("a PEP event", isEvent); eventNode(ev) != nsNick || ev.get("from") != "alice@localhost" {
		t.Fatalf("bob's first event %s, want the nick (a private node leaked?)", ev.bytes())
	}
	if n, _ := pepItems(t, bob, "alice@localhost", nsBookmarks2); errorCondition(n) != "forbidden" {
		t.Fatalf("bob reads alice's bookmarks: %s", n.bytes())
	}
	if _, items := pepItems(t, alice, "", nsBookmarks2); len(items) != 2 || !hasText(items[0], "<nick>al</nick>") {
		t.Fatalf("alice's bookmarks: %d items", len(items))
	}
	_, items := pepItems(t, bob, "alice@localhost", nsNick)
	if len(items) != 1 || !hasText(items[0], ">Alice<") {
		t.Fatalf("alice's nick as bob reads it: %d items", len(items))
	}
	if n, items := pepItems(t, ts.raw(t, "carol", "c"), "alice@localhost", nsNick); len(items) != 0 || errorCondition(n) != "forbidden" {
		t.Fatalf("a stranger reads the nick: %s", n.bytes())
	}
	retract := "<pubsub xmlns='" + nsPubSub + "'><retract node='" + nsBookmarks2 + "' notify='true'><item id='dev@conference.localhost'/></retract></pubsub>"
	if n := alice.iq("set", "", retract); n.get("type") != "result" {
		t.Fatalf("retract: %s", n.bytes())
	}
	if _, items := pepItems(t, alice, "", nsBookmarks2); len(items) != 1 {
		t.Fatalf("after retract: %d bookmarks", len(items))
	}
	if n := bob.iq("set", "alice@localhost", publish(nsNick, "current", "<nick xmlns='"+nsNick+"'>evil</nick>", "")); errorCondition(n) != "forbidden" {
		t.Fatalf("bob publishes to alice's PEP: %s", n.bytes())
	}
	if n, _ := pepItems(t, alice, "", "urn:xmpp:nothing"); errorCondition(n) != "item-not-found" {
		t.Fatalf("a node never published: %s", n.bytes())
	}
}

// TestPEPLastItemsAtLogin: a contact coming online gets the last item of
// each node it may see (nickname), never the private ones (bookmarks).
func TestPEPLastItemsAtLogin(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	if _, err := ts.srv.store.PutRosterItem(ctx, "alice@localhost", store.Item{JID: "bob@localhost", Subscription: "from"}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.srv.store.PutRosterItem(ctx, "bob@localhost", store.Item{JID: "alice@localhost", Subscription: "to"}); err != nil {
		t.Fatal(err)
	}
	alice := ts.raw(t, "alice", "a")
	alice.iq("set", "", publish(nsBookmarks2, "lobby@conference.localhost", "<conference xmlns='"+nsBookmarks2+"'/>", privateOptions))
	alice.iq("set", "", publish(nsNick, "current", "<nick xmlns='"+nsNick+"'>Alice</nick>", ""))
	bob := ts.raw(t, "bob", "b")
	bob.presence(0)
	var events []string
	bob.write("<iq type='get' id='after' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>")
	bob.expect("the ping answer", func(n *node) bool {
		if isEvent(n) {
			events = append(events, eventNode(n))
		}
		return n.name.Local == "iq" && n.get("id") == "after"
	})
	if len(events) != 1 || events[0] != nsNick {
		t.Fatalf("events at login %q, want only the nick", events)
	}
}
