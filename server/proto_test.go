package server

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// TestIQRequestNeedsIDAndOnePayload: an IQ get or set with no id, or with
// two payloads, is answered bad-request (RFC 6120 §8.2.3), not result.
func TestIQRequestNeedsIDAndOnePayload(t *testing.T) {
	ts := startServer(t)
	c := ts.raw(t, "alice", "iq")
	for _, tc := range []struct{ name, iq string }{
		{"no id to the server", "<iq type='get' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>"},
		{"no id to the account", "<iq type='get'><query xmlns='jabber:iq:roster'/></iq>"},
		{"empty id", "<iq type='set' id=''><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>"},
		{"two payloads", "<iq type='get' id='two' to='localhost'><ping xmlns='urn:xmpp:ping'/><query xmlns='jabber:iq:version'/></iq>"},
		{"two payloads to the account", "<iq type='get' id='two2'><query xmlns='jabber:iq:roster'/><ping xmlns='urn:xmpp:ping'/></iq>"},
		{"two payloads to a full JID", "<iq type='get' id='two3' to='alice@localhost/iq'><ping xmlns='urn:xmpp:ping'/><ping xmlns='urn:xmpp:ping'/></iq>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.t = t
			c.write(tc.iq)
			n := c.must("iq")
			if n.get("type") != "error" || errorCondition(n) != "bad-request" {
				t.Fatalf("answer %s, want a bad-request error", n.bytes())
			}
		})
	}
	c.t = t
	if n := c.iq("get", "localhost", "<ping xmlns='urn:xmpp:ping'/>"); n.get("type") != "result" {
		t.Fatalf("a good ping afterwards: %s", n.bytes())
	}
}

// TestXMLDeclarationOtherThan10: a stream that declares XML 1.1 (or an
// encoding other than UTF-8) gets a stream error, not a silent close.
func TestXMLDeclarationOtherThan10(t *testing.T) {
	ts := startServer(t)
	for decl, cond := range map[string]string{
		"<?xml version='1.1'?>":                       "unsupported-version",
		"<?xml version='1.0' encoding='ISO-8859-1'?>": "unsupported-encoding",
	} {
		t.Run(cond, func(t *testing.T) {
			c := dialRaw(t, ts)
			c.write(decl + "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>")
			if _, err := c.r.readHeader(); err != nil {
				t.Fatalf("no stream header before the error: %v", err)
			}
			if got := c.streamError(); got != cond {
				t.Fatalf("stream error %q, want %q", got, cond)
			}
		})
	}
}

// TestDuplicateAttributesRefused: XML forbids an attribute twice, as
// written or after namespace resolution; encoding/xml does not check, so
// the server must, or a second from= would outlive the stamping.
func TestDuplicateAttributesRefused(t *testing.T) {
	ts := startServer(t)
	for name, stanza := range map[string]string{
		"plain":              "<message to='bob@localhost' from='eve@localhost' from='eve@evil'><body>x</body></message>",
		"resolved":           "<message to='bob@localhost' xmlns:a='urn:x' xmlns:b='urn:x' a:t='1' b:t='2'/>",
		"declaration":        "<message to='bob@localhost' xmlns:a='urn:x' xmlns:a='urn:y'/>",
		"in a child":         "<message to='bob@localhost'><body xml:lang='en' xml:lang='de'>x</body></message>",
		"empty local part":   "<message to='bob@localhost' a:='1' xmlns:a='urn:x'/>",
		"xmlns namespace":    "<message xmlns:a='http://www.w3.org/2000/xmlns/' a:t='1'/>",
		"xml namespace elem": "<message><xml:thing/></message>",
	} {
		t.Run(name, func(t *testing.T) {
			c := ts.raw(t, "alice", "dup")
			c.write(stanza)
			if got := c.streamError(); got != "not-well-formed" {
				t.Fatalf("stream error %q, want not-well-formed", got)
			}
		})
	}
}

// TestManyNamespacedAttributes: an element with more namespaced attributes
// than there are letters is written with one declaration per namespace,
// which a strict parser accepts (the old writer named prefixes nsa…nsz and
// declared xmlns:nsa twice after 26).
func TestManyNamespacedAttributes(t *testing.T) {
	var attrs strings.Builder
	for i := range 40 {
		fmt.Fprintf(&attrs, " xmlns:p%d='urn:x:%d' p%d:a%d='%d'", i, i%30, i, i, i)
	}
	in := "<message to='bob@localhost'" + attrs.String() + "><body" + attrs.String() + ">hi</body></message>"
	n := readStanza(t, in)
	out := n.bytes()
	if err := checkStrict(wrapStream(out)); err != nil {
		t.Fatalf("%v in\n%s", err, out)
	}
	back := readStanza(t, string(out))
	got := 0
	for _, a := range back.attr {
		if a.Name.Space != "xmlns" {
			got++
		}
	}
	if got != 41 {
		t.Fatalf("read back %d attributes, want 41:\n%s", got, out)
	}
	expatAccepts(t, append(wrapStream(out), "</stream:stream>"...))
}

// TestStrictCheckerRejects: the oracle itself refuses what expat does.
func TestStrictCheckerRejects(t *testing.T) {
	good := []string{
		"<a xmlns='urn:a' xmlns:p='urn:p' p:x='1' x='2'><p:b p:x='1'/></a>",
		"<?xml version='1.0'?><s:s xmlns:s='urn:s' xmlns='jabber:client'><m xml:lang='en'/>",
	}
	bad := []string{
		"<a xmlns:nsa='urn:1' xmlns:nsa='urn:2'/>",
		"<a xmlns:p='urn:1' xmlns:q='urn:1' p:x='1' q:x='2'/>",
		"<a x='1' x='2'/>",
		"<a p:x='1'/>",
		"<p:a/>",
		"<a xmlns:p=''/>",
		"<a xmlns='http://www.w3.org/XML/1998/namespace'/>",
		"<a></b>",
		"<a/><b/>",
		"<a/>text",
		" <?xml version='1.0'?><a/>",
		"<a b:='1'/>",
		"<a><b",
	}
	for _, s := range good {
		if err := checkStrict([]byte(s)); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	for _, s := range bad {
		if err := checkStrict([]byte(s)); err == nil {
			t.Errorf("%s: accepted", s)
		}
	}
}

// readStanza reads one stanza of a jabber:client stream.
func readStanza(t *testing.T, s string) *node {
	t.Helper()
	r := stanzaReader{in: newBudgetReader(strings.NewReader(fuzzHeader+s), 1<<20), maxDepth: 10}
	r.restart()
	if _, err := r.readHeader(); err != nil {
		t.Fatal(err)
	}
	n, err := r.next()
	if err != nil {
		t.Fatalf("parse %s: %v", s, err)
	}
	return n
}

// wrapStream puts stanzas inside a stream header as the server writes it.
func wrapStream(stanzas []byte) []byte {
	return append(streamHeader("localhost", "", "id"), stanzas...)
}

// TestRoutedManyNamespacedAttributes: a message with 30 namespaced
// attributes, routed from alice to bob, reaches bob as XML that the strict
// checker and expat both accept: the bytes on bob's connection are checked,
// not a re-serialisation.
func TestRoutedManyNamespacedAttributes(t *testing.T) {
	ts := startServer(t)
	bob := ts.raw(t, "bob", "b")
	alice := ts.raw(t, "alice", "a")
	alice.write("<message to='bob@localhost/b' id='many'" + manyNamespacedAttrs(30) + "><body" + manyNamespacedAttrs(30) + ">hi</body></message>")
	wire := make([]byte, bob.r.in.r.Buffered())
	_, _ = io.ReadFull(bob.r.in.r, wire)
	buf := make([]byte, 4096)
	for !bytes.Contains(wire, []byte("</message>")) {
		_ = bob.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, err := bob.conn.Read(buf)
		if err != nil {
			t.Fatalf("reading bob's stream: %v; got %q", err, wire)
		}
		wire = append(wire, buf[:n]...)
	}
	doc := append([]byte("<stream:stream xmlns='"+nsClient+"' xmlns:stream='"+nsStream+"'>"), wire...)
	if err := checkStrict(doc); err != nil {
		t.Fatalf("%v in\n%s", err, wire)
	}
	expatAccepts(t, append(doc, "</stream:stream>"...))
}
