package server

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

const (
	nsMUC      = "http://jabber.org/protocol/muc"
	nsMUCUser  = "http://jabber.org/protocol/muc#user"
	nsMUCOwner = "http://jabber.org/protocol/muc#owner"
	nsMUCAdmin = "http://jabber.org/protocol/muc#admin"
	room       = "room@conference.localhost"
)

// xmlText escapes s for the raw stanzas tests write.
func xmlText(s string) string {
	return string(appendEscaped(nil, s, true))
}

// joinRaw sends a join with the MUC protocol; extra goes inside <x/>.
func (c *rawClient) joinRaw(roomNick, extra string) {
	c.write(fmt.Sprintf("<presence to='%s'><x xmlns='%s'>%s</x></presence>", xmlText(roomNick), nsMUC, extra))
}

// join joins and reads up to the subject, returning everything read.
func (c *rawClient) join(roomNick, extra string) []*node {
	c.t.Helper()
	c.joinRaw(roomNick, extra)
	got := c.until("self-presence in "+roomNick, isSelfPresence(roomNick))
	return append(got, c.until("subject", isSubject)...)
}

// until reads stanzas up to and including the one match accepts.
func (c *rawClient) until(what string, match func(*node) bool) []*node {
	c.t.Helper()
	var got []*node
	for {
		n, err := c.next()
		if err != nil {
			c.t.Fatalf("waiting for %s: %v (read %s)", what, err, dump(got))
		}
		got = append(got, n)
		if match(n) {
			return got
		}
	}
}

func dump(ns []*node) string {
	var b strings.Builder
	for _, n := range ns {
		b.Write(n.bytes())
		b.WriteByte('\n')
	}
	return b.String()
}

// statusCodes returns the muc#user status codes of a stanza.
func statusCodes(n *node) []string {
	var out []string
	for _, s := range n.child(nsMUCUser, "x").childrenOrNil(nsMUCUser, "status") {
		out = append(out, s.get("code"))
	}
	slices.Sort(out)
	return out
}

func (n *node) childrenOrNil(space, local string) []*node {
	if n == nil {
		return nil
	}
	return n.children(space, local)
}

// mucItem returns the muc#user item of a presence.
func mucItem(n *node) *node {
	if x := n.child(nsMUCUser, "x"); x != nil {
		return x.child(nsMUCUser, "item")
	}
	return nil
}

func hasCode(n *node, code string) bool { return slices.Contains(statusCodes(n), code) }

func isSelfPresence(from string) func(*node) bool {
	return func(n *node) bool {
		return n.name.Local == "presence" && (n.get("from") == from || n.get("type") == "error") &&
			(hasCode(n, "110") || n.get("type") == "error")
	}
}

func isSubject(n *node) bool {
	return n.name.Local == "message" && n.child(nsClient, "subject") != nil && n.child(nsClient, "body") == nil
}

func isPresenceFrom(from, typ string) func(*node) bool {
	return func(n *node) bool {
		return n.name.Local == "presence" && n.get("from") == from && n.get("type") == typ
	}
}

func isGroupchat(from, body string) func(*node) bool {
	return func(n *node) bool {
		b := n.child(nsClient, "body")
		return n.name.Local == "message" && n.get("from") == from && b != nil && b.text() == body
	}
}

// joinError joins and returns the error condition of the refusal.
func (c *rawClient) joinError(roomNick, extra string) string {
	c.t.Helper()
	c.joinRaw(roomNick, extra)
	n := c.expect("join refusal", func(n *node) bool {
		return n.name.Local == "presence" && n.get("from") == roomNick && n.get("type") != "unavailable"
	})
	if n.get("type") != "error" {
		c.t.Fatalf("join %s was let in: %s", roomNick, n.bytes())
	}
	return errorCondition(n)
}

// instantRoom has c create room/nick and accept the default configuration.
func (c *rawClient) instantRoom(t *testing.T, roomNick string) {
	t.Helper()
	c.join(roomNick, "")
	bare, _, _ := strings.Cut(roomNick, "/")
	res := c.iq("set", bare, "<query xmlns='"+nsMUCOwner+"'><x xmlns='jabber:x:data' type='submit'/></query>")
	if res.get("type") != "result" {
		t.Fatalf("instant room: %s", res.bytes())
	}
}

// configure submits fields (var → value) of the room configuration.
func (c *rawClient) configure(t *testing.T, bare string, fields map[string]string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("<query xmlns='" + nsMUCOwner + "'><x xmlns='jabber:x:data' type='submit'>")
	b.WriteString("<field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#roomconfig</value></field>")
	for k, v := range fields {
		fmt.Fprintf(&b, "<field var='%s'><value>%s</value></field>", k, xmlText(v))
	}
	b.WriteString("</x></query>")
	if res := c.iq("set", bare, b.String()); res.get("type") != "result" {
		t.Fatalf("configure %s: %s", bare, res.bytes())
	}
}

// say sends a groupchat message.
func (c *rawClient) say(bare, body string) {
	c.write(fmt.Sprintf("<message to='%s' type='groupchat'><body>%s</body></message>", bare, xmlText(body)))
}
