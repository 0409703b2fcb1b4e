package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"chat/server/store"
)

// TestCapsVerSpecExamples: XEP-0115 §5.2 and §5.3.
func TestCapsVerSpecExamples(t *testing.T) {
	simple := "<query xmlns='" + nsDiscoInfo + "'><identity category='client' name='Exodus 0.9.1' type='pc'/>" +
		"<feature var='http://jabber.org/protocol/caps'/><feature var='http://jabber.org/protocol/disco#info'/>" +
		"<feature var='http://jabber.org/protocol/disco#items'/><feature var='http://jabber.org/protocol/muc'/></query>"
	complexQ := "<query xmlns='" + nsDiscoInfo + "'>" +
		"<identity xml:lang='en' category='client' name='Psi 0.11' type='pc'/>" +
		"<identity xml:lang='el' category='client' name='Ψ 0.11' type='pc'/>" +
		"<feature var='http://jabber.org/protocol/caps'/><feature var='http://jabber.org/protocol/disco#info'/>" +
		"<feature var='http://jabber.org/protocol/disco#items'/><feature var='http://jabber.org/protocol/muc'/>" +
		"<x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE' type='hidden'><value>urn:xmpp:dataforms:softwareinfo</value></field>" +
		"<field var='ip_version'><value>ipv4</value><value>ipv6</value></field><field var='os'><value>Mac</value></field>" +
		"<field var='os_version'><value>10.5.1</value></field><field var='software'><value>Psi</value></field>" +
		"<field var='software_version'><value>0.11</value></field></x></query>"
	for q, want := range map[string]string{simple: "QgayPKawpkPSDYmwT/WM94uAlu0=", complexQ: "q07IKJEyjvHSyhy//CH0CxmKi8w="} {
		n, err := parseStanza([]byte(q))
		if err != nil {
			t.Fatal(err)
		}
		if got, _, ok := capsVer(n); !ok || got != want {
			t.Errorf("ver %q (%v), want %q", got, ok, want)
		}
	}
	dup := "<query xmlns='" + nsDiscoInfo + "'><feature var='a'/><feature var='a'/></query>"
	if n, _ := parseStanza([]byte(dup)); n != nil {
		if _, _, ok := capsVer(n); ok {
			t.Error("a repeated feature was accepted")
		}
	}
}

// capsClient sends presence with caps for features and answers the
// server's disco#info question; lie makes the ver not match.
func capsClient(t *testing.T, ts *testServer, user string, features []string, lie bool) *rawClient {
	t.Helper()
	c := ts.raw(t, user, "caps")
	var q strings.Builder
	q.WriteString("<query xmlns='" + nsDiscoInfo + "' node='urn:test#VER'><identity category='client' type='pc'/>")
	for _, f := range features {
		q.WriteString("<feature var='" + f + "'/>")
	}
	q.WriteString("</query>")
	n, _ := parseStanza([]byte(q.String()))
	ver, _, _ := capsVer(n)
	answer := q.String()
	if lie {
		answer = strings.Replace(answer, "</query>", "<feature var='urn:extra'/></query>", 1)
	}
	answer = strings.Replace(answer, "VER", ver, 1)
	c.write(fmt.Sprintf("<presence><c xmlns='%s' hash='sha-1' node='urn:test' ver='%s'/></presence>", nsCaps, ver))
	ask := c.expect("the server's caps question", func(n *node) bool { return n.name.Local == "iq" && n.get("type") == "get" })
	c.write("<iq type='result' id='" + ask.get("id") + "' to='localhost'>" + answer + "</iq>")
	c.iq("get", "localhost", "<ping xmlns='urn:xmpp:ping'/>") // the answer is handled
	return c
}

// TestPEPNotifyFiltersByCaps: a session whose caps are known gets only the
// events it asked for with +notify; caps whose answer does not match the
// ver are not believed (that session keeps getting everything).
func TestPEPNotifyFiltersByCaps(t *testing.T) {
	ts := startServer(t)
	for _, u := range []string{"bob@localhost", "carol@localhost", "dave@localhost"} {
		if _, err := ts.srv.store.PutRosterItem(context.Background(), "alice@localhost", store.Item{JID: u, Subscription: "from"}); err != nil {
			t.Fatal(err)
		}
	}
	const avatar = "urn:xmpp:avatar:metadata"
	bob := capsClient(t, ts, "bob", []string{nsDiscoInfo, nsNick + "+notify", avatar + "+notify"}, false)
	carol := capsClient(t, ts, "carol", []string{nsDiscoInfo, avatar + "+notify"}, false)
	dave := capsClient(t, ts, "dave", []string{nsDiscoInfo, avatar + "+notify", "urn:dave"}, true)
	alice := ts.raw(t, "alice", "a")
	alice.iq("set", "", publish(nsNick, "current", "<nick xmlns='"+nsNick+"'>Alice</nick>", ""))
	alice.iq("set", "", publish(avatar, "abc", "<metadata xmlns='"+avatar+"'/>", ""))
	if ev := bob.expect("an event", isEvent); eventNode(ev) != nsNick {
		t.Errorf("bob's first event is for %s, want the nick", eventNode(ev))
	}
	if ev := carol.expect("an event", isEvent); eventNode(ev) != avatar {
		t.Errorf("carol's first event is for %s, want the avatar (she has no nick+notify)", eventNode(ev))
	}
	if ev := dave.expect("an event", isEvent); eventNode(ev) != nsNick {
		t.Errorf("dave's first event is for %s: his caps were believed though the answer did not match", eventNode(ev))
	}
	if !ts.log.contains("does not match") {
		t.Error("the mismatching caps answer was not noted")
	}
}

// FuzzCapsVer: any disco#info answer a client sends is checked without a
// panic, and a ver is computed the same way twice.
func FuzzCapsVer(f *testing.F) {
	f.Add([]byte("<query xmlns='" + nsDiscoInfo + "'><identity category='client' type='pc'/><feature var='a+notify'/>" +
		"<x xmlns='jabber:x:data'><field var='FORM_TYPE'><value>t</value></field><field var='v'><value>1</value></field></x></query>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := parseStanza(b)
		if err != nil {
			return
		}
		v1, _, ok1 := capsVer(n)
		v2, _, ok2 := capsVer(n)
		if v1 != v2 || ok1 != ok2 {
			t.Fatalf("capsVer is not stable on %q", b)
		}
	})
}
