package server

import (
	"context"
	"testing"

	"chat/server/store"
)

// TestProbeOfOfflineContactIsAnsweredUnavailable: RFC 6121 §4.3.2, a
// probe (the one initial presence makes, or an explicit one) for a contact
// with no available resource gets an unavailable presence from the
// contact's bare JID; once the contact is online, its presence instead.
func TestProbeOfOfflineContactIsAnsweredUnavailable(t *testing.T) {
	ts := startServer(t)
	ctx := context.Background()
	for _, pair := range [][2]string{{"alice@localhost", "bob@localhost"}, {"bob@localhost", "alice@localhost"}} {
		if _, err := ts.srv.store.PutRosterItem(ctx, pair[0], store.Item{JID: pair[1], Subscription: "both"}); err != nil {
			t.Fatal(err)
		}
	}
	from := func(jid, typ string) func(*node) bool {
		return func(n *node) bool {
			return n.name.Local == "presence" && n.get("from") == jid && n.get("type") == typ
		}
	}
	alice := ts.raw(t, "alice", "a")
	alice.presence(0)
	alice.expect("unavailable from bob after initial presence", from("bob@localhost", "unavailable"))
	alice.write("<presence type='probe' to='bob@localhost'/>")
	alice.expect("unavailable from bob after a probe", from("bob@localhost", "unavailable"))

	bob := ts.raw(t, "bob", "b")
	bob.presence(0)
	alice.expect("bob's presence", from("bob@localhost/b", ""))
	alice.write("<presence type='probe' to='bob@localhost'/><iq type='get' id='after' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>")
	n := alice.expect("answer to the probe", func(n *node) bool {
		return n.name.Local == "presence" && n.get("from") != "alice@localhost/a" || n.get("id") == "after"
	})
	if n.get("from") != "bob@localhost/b" || n.get("type") != "" {
		t.Errorf("probe of online bob answered with %s, want bob's available presence", n.bytes())
	}
}
