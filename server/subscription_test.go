package server

import "testing"

func TestPendingRequestWaitsForTheContact(t *testing.T) {
	ts := startServer(t)
	alice := ts.raw(t, "alice", "a")
	alice.write("<presence to='bob@localhost/anything' type='subscribe' from='eve@localhost'/>")
	alice.iq("get", "localhost", "<ping xmlns='urn:xmpp:ping'/>") // the request has been handled
	// Delivered at every login until answered.
	for i := 0; i < 2; i++ {
		bob := ts.raw(t, "bob", "b")
		r := bob.iq("get", "", "<query xmlns='jabber:iq:roster'/>")
		if hasText(r, "alice@localhost") {
			t.Errorf("a pending request made a roster item: %s", r.bytes())
		}
		bob.presence(0)
		p := bob.expect("request", func(n *node) bool { return n.name.Local == "presence" && n.get("type") == "subscribe" })
		if p.get("from") != "alice@localhost" || p.get("to") != "bob@localhost" {
			t.Errorf("request = %s, want from alice@localhost to bob@localhost (bare JIDs)", p.bytes())
		}
		bob.conn.Close()
	}
}

func TestPreApprovalIsShownInTheRoster(t *testing.T) {
	ts := startServer(t)
	bob := ts.raw(t, "bob", "b")
	bob.write("<presence to='alice@localhost' type='subscribed'/>")
	r := bob.iq("get", "", "<query xmlns='jabber:iq:roster'/>")
	q := r.child(nsRoster, "query")
	if q == nil || len(q.children(nsRoster, "item")) != 1 {
		t.Fatalf("roster = %s, want one item", r.bytes())
	}
	it := q.children(nsRoster, "item")[0]
	if it.get("jid") != "alice@localhost" || it.get("approved") != "true" || it.get("subscription") != "none" {
		t.Errorf("item = %s, want alice approved with subscription none", it.bytes())
	}
	if q.get("ver") == "" {
		t.Errorf("roster result without a version: %s", r.bytes())
	}
	same := bob.iq("get", "", "<query xmlns='jabber:iq:roster' ver='"+q.get("ver")+"'/>")
	if same.get("type") != "result" || same.first() != nil {
		t.Errorf("roster get at the current version = %s, want an empty result", same.bytes())
	}
}
