package server

import (
	"fmt"
	"testing"
)

// TestCarbonsCopyToOtherResources: with carbons enabled, a user's other
// resource gets a <sent/> copy of what one resource sends and a
// <received/> copy of what another resource gets; a private message is
// not copied. Before, enabling carbons was service-unavailable.
func TestCarbonsCopyToOtherResources(t *testing.T) {
	ts := startServer(t)
	phone, laptop := ts.raw(t, "alice", "phone"), ts.raw(t, "alice", "laptop")
	for _, c := range []*rawClient{phone, laptop} {
		c.presence(0)
		if r := c.iq("set", "", "<enable xmlns='urn:xmpp:carbons:2'/>"); r.get("type") != "result" {
			t.Fatalf("enable carbons: %s", r.bytes())
		}
	}
	bob := ts.raw(t, "bob", "b")
	bob.presence(0)
	phone.write("<message to='bob@localhost/b' type='chat' id='s1'><body>from the phone</body></message>")
	c := laptop.expect("sent carbon", func(n *node) bool { return n.name.Local == "message" && n.child(nsCarbons, "sent") != nil })
	if c.get("from") != "alice@localhost" || !hasText(c, "from the phone") {
		t.Errorf("sent carbon = %s", c.bytes())
	}
	bob.write("<message to='alice@localhost/phone' type='chat' id='r1'><body>to the phone</body></message>")
	c = laptop.expect("received carbon", func(n *node) bool { return n.name.Local == "message" && n.child(nsCarbons, "received") != nil })
	fwd := c.child(nsCarbons, "received").child(nsForward, "forwarded")
	if fwd == nil || fwd.child(nsClient, "message") == nil || fwd.child(nsClient, "message").get("from") != "bob@localhost/b" {
		t.Errorf("received carbon = %s", c.bytes())
	}
	bob.write("<message to='alice@localhost/phone' type='chat'><body>secret</body><private xmlns='urn:xmpp:carbons:2'/></message>")
	bob.write("<message to='alice@localhost/phone' type='chat'><body>after</body></message>")
	c = laptop.expect("carbon", func(n *node) bool { return n.name.Local == "message" && n.child(nsCarbons, "received") != nil })
	if hasText(c, "secret") || !hasText(c, "after") {
		t.Errorf("carbon after a private message = %s", c.bytes())
	}
	if f := disco(t, phone); !f[nsCarbons] {
		t.Errorf("the server does not announce %s: %v", nsCarbons, f)
	}
}

func disco(t *testing.T, c *rawClient) map[string]bool {
	t.Helper()
	r := c.iq("get", "localhost", fmt.Sprintf("<query xmlns='%s'/>", nsDiscoInfo))
	out := map[string]bool{}
	if q := r.child(nsDiscoInfo, "query"); q != nil {
		for _, f := range q.children(nsDiscoInfo, "feature") {
			out[f.get("var")] = true
		}
	}
	return out
}
