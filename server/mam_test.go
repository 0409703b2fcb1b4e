package server

import (
	"fmt"
	"strings"
	"testing"
)

// mamQuery sends an archive query and returns the results' bodies, the
// fin element and the result ids.
func mamQuery(t *testing.T, c *rawClient, form, rsm string) (bodies, ids []string, fin *node) {
	t.Helper()
	c.write(fmt.Sprintf("<iq type='set' id='mam1'><query xmlns='urn:xmpp:mam:2' queryid='q1'>%s%s</query></iq>", form, rsm))
	for {
		n := c.must("")
		if n.name.Local == "iq" && n.get("id") == "mam1" {
			if n.get("type") != "result" {
				t.Fatalf("archive query answered %s", n.bytes())
			}
			return bodies, ids, n.child(nsMAM, "fin")
		}
		r := n.child(nsMAM, "result")
		if n.name.Local != "message" || r == nil {
			continue
		}
		if own, _, _ := strings.Cut(c.jid, "/"); r.get("queryid") != "q1" || n.get("from") != own {
			t.Errorf("result %s", n.bytes())
		}
		m := r.child(nsForward, "forwarded").child(nsClient, "message")
		bodies = append(bodies, m.child(nsClient, "body").text())
		ids = append(ids, r.get("id"))
	}
}

func withForm(with string) string {
	return "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>urn:xmpp:mam:2</value></field>" +
		"<field var='with'><value>" + with + "</value></field></x>"
}

// TestArchiveQueries: 1:1 messages in both directions are archived for
// both parties, stamped with a stanza-id by the recipient (a forged one is
// removed), and paged with RSM and filtered by JID; a user queries only
// their own archive.
func TestArchiveQueries(t *testing.T) {
	ts := startServer(t)
	alice, bob := ts.raw(t, "alice", "a"), ts.raw(t, "bob", "b")
	alice.presence(0)
	bob.presence(0)
	for i := 0; i < 5; i++ {
		alice.write(fmt.Sprintf("<message to='bob@localhost' type='chat'><body>a%d</body><stanza-id xmlns='urn:xmpp:sid:0' by='bob@localhost' id='forged'/></message>", i))
		m := bob.expect("message", func(n *node) bool { return n.name.Local == "message" })
		sids := m.children(nsSID, "stanza-id")
		if len(sids) != 1 || sids[0].get("by") != "bob@localhost" || sids[0].get("id") == "forged" {
			t.Fatalf("bob got %s, want one stanza-id of the server's", m.bytes())
		}
		bob.write(fmt.Sprintf("<message to='alice@localhost' type='chat'><body>b%d</body></message>", i))
		alice.expect("message", func(n *node) bool { return n.name.Local == "message" })
	}
	carol := ts.raw(t, "carol", "c")
	carol.write("<message to='alice@localhost' type='chat'><body>c0</body></message>")
	alice.expect("message", func(n *node) bool { return n.name.Local == "message" && hasText(n, "c0") })

	all, _, fin := mamQuery(t, alice, "", "")
	if fmt.Sprint(all) != "[a0 b0 a1 b1 a2 b2 a3 b3 a4 b4 c0]" || fin.get("complete") != "true" {
		t.Errorf("alice's archive = %v (fin %s)", all, fin.bytes())
	}
	page, ids, fin := mamQuery(t, alice, withForm("bob@localhost"), "<set xmlns='http://jabber.org/protocol/rsm'><max>4</max></set>")
	if fmt.Sprint(page) != "[a0 b0 a1 b1]" || fin.get("complete") == "true" {
		t.Errorf("first page with bob = %v (fin %s)", page, fin.bytes())
	}
	page, _, fin = mamQuery(t, alice, withForm("bob@localhost"), "<set xmlns='http://jabber.org/protocol/rsm'><max>4</max><after>"+ids[3]+"</after></set>")
	if fmt.Sprint(page) != "[a2 b2 a3 b3]" {
		t.Errorf("second page = %v (fin %s)", page, fin.bytes())
	}
	page, _, _ = mamQuery(t, alice, "", "<set xmlns='http://jabber.org/protocol/rsm'><max>2</max><before/></set>")
	if fmt.Sprint(page) != "[b4 c0]" {
		t.Errorf("last page = %v", page)
	}
	bobs, _, _ := mamQuery(t, bob, "", "")
	if len(bobs) != 10 {
		t.Errorf("bob's archive holds %d messages, want 10", len(bobs))
	}
	r := carol.iq("set", "alice@localhost", "<query xmlns='urn:xmpp:mam:2'/>")
	if r.get("type") != "error" {
		t.Errorf("carol querying alice's archive got %s", r.bytes())
	}
}
