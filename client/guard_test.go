package client

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

// guardAll feeds in to a fresh guard in chunks of n bytes (all at once
// for n <= 0) and returns what it let through and its error.
func guardAll(lim guardLimits, in string, n int) (string, error) {
	g := newStreamGuard(lim)
	var out []byte
	var err error
	if n <= 0 {
		n = len(in) + 1
	}
	for i := 0; i < len(in) && err == nil; i += n {
		out, err = g.feed(out, []byte(in[i:min(i+n, len(in))]))
	}
	return string(out), err
}

var testLimits = guardLimits{maxBytes: 200, maxDepth: 4}

// A stream within the limits passes unchanged, however it is split: the
// lexer follows quotes, comments, CDATA and self-closing tags.
func TestGuardPassesStreamUnchanged(t *testing.T) {
	stream := `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>` +
		`<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>` +
		`<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>` +
		`<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>` +
		" \n\t " +
		`<message a='>' b="/>" c='"' d="'"><body>x &lt; y &amp;&gt;</body><!-- <a> --></message>` +
		`<message><body><![CDATA[<a><b><c><d><e><f> ]] ]> ]]></body></message>` +
		`<presence/><presence type='unavailable' />` +
		`<iq><query xmlns='q'><a><b><c/></b></a></query></iq> ` +
		`</stream:stream>`
	for _, n := range []int{0, 1, 2, 3, 7, 64} {
		out, err := guardAll(testLimits, stream, n)
		if err != nil || out != stream {
			t.Errorf("chunks of %d: err %v, out differs:\n got %q\nwant %q", n, err, out, stream)
		}
	}
}

const guardHeader = `<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`

// droppedIn decodes the guard's output and returns, in order, the
// dropped elements' reasons (prefixed "dropped:") and the other stanzas'
// names, checking the output is well-formed.
func droppedIn(t *testing.T, out string) []string {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(out))
	var seen []string
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return seen
		}
		if err != nil {
			t.Fatalf("guard output is not well-formed: %v\n%q", err, out)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth != 2 {
				continue
			}
			if t.Name.Space == nsGuard {
				seen = append(seen, "dropped:"+attrValue(t, "stanza")+":"+attrValue(t, "from")+":"+attrValue(t, "reason"))
			} else {
				seen = append(seen, t.Name.Local+":"+attrValue(t, "from"))
			}
		case xml.EndElement:
			depth--
		}
	}
}

func TestGuardDropsOverLimits(t *testing.T) {
	next := `<message from='carol@example.net/x'><body>still here</body></message>`
	for _, c := range []struct {
		name, stanza, want string
	}{
		{"long text", `<message from='bob@example.net/r'><body>` + strings.Repeat("x", 300) + `</body></message>`,
			"dropped:message:bob@example.net/r:stanza larger than the limit (200 bytes)"},
		{"deep", `<message from='bob@example.net/r'>` + strings.Repeat("<a>", 5) + strings.Repeat("</a>", 5) + `</message>`,
			"dropped:message:bob@example.net/r:stanza nested deeper than the limit (4 levels)"},
		{"deep self-closing at the bottom", `<iq from='x'>` + strings.Repeat("<a>", 5) + `<b/>` + strings.Repeat("</a>", 5) + `</iq>`,
			"dropped:iq:x:stanza nested deeper than the limit (4 levels)"},
		{"long child name", `<message from='bob@example.net/r'><` + strings.Repeat("a", 1000) + `/></message>`,
			"dropped:message:bob@example.net/r:stanza larger than the limit (200 bytes)"},
		{"long stanza name", `<` + strings.Repeat("m", 1000) + ` from='bob@example.net/r'/>`,
			"dropped:::stanza larger than the limit (200 bytes)"},
		{"long attribute with markup inside", `<presence x='` + strings.Repeat("<a>", 100) + `'/>`,
			"dropped:::stanza larger than the limit (200 bytes)"},
		{"from with quotes and markup", `<presence from='b&apos;&lt;&quot;>'><status>` + strings.Repeat("&lt;a>", 50) + `</status></presence>`,
			"dropped:presence:b'<\">:stanza larger than the limit (200 bytes)"},
		{"deep in a comment is not deep", `<message from='b'><!--` + strings.Repeat("<a>", 20) + `--></message>`,
			"message:b"},
		{"just within", `<message from='b'>` + strings.Repeat("<a>", 4) + strings.Repeat("</a>", 4) + `</message>`,
			"message:b"},
	} {
		for _, n := range []int{0, 1, 5} {
			out, err := guardAll(testLimits, guardHeader+c.stanza+next+next, n)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			got := droppedIn(t, out+"</stream:stream>")
			if len(got) != 3 || got[0] != c.want || got[1] != "message:carol@example.net/x" || got[2] != got[1] {
				t.Errorf("%s, chunks of %d: saw %q, want %q then carol's two messages", c.name, n, got, c.want)
			}
		}
	}
}

// Markup a stream cannot go on from ends it, with a reason.
func TestGuardEndsStream(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{guardHeader + `<!DOCTYPE x [<!ENTITY a "b">]>`, "declaration"},
		{guardHeader + `<message><!ENTITY a "b"></message>`, "declaration"},
		{guardHeader + `<!-x-->`, "malformed"},
		{`<stream:stream xmlns='jabber:client' ` + strings.Repeat("a", 300) + `>`, "outside any stanza"},
		{guardHeader + `<!--` + strings.Repeat("a", 300) + `-->`, "outside any stanza"},
		{guardHeader + `<?pi ` + strings.Repeat("a", 300) + `?>`, "outside any stanza"},
	} {
		_, err := guardAll(testLimits, c.in, 0)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%.60q: err %v, want one saying %q", c.in, err, c.want)
		}
	}
}

// Whitespace between stanzas is passed on only up to the byte limit: the
// decoder would keep all of it until the next '<'.
func TestGuardCapsTextBetweenStanzas(t *testing.T) {
	out, err := guardAll(testLimits, guardHeader+strings.Repeat(" ", 10000)+`<presence/>`+strings.Repeat(" ", 10), 100)
	if err != nil {
		t.Fatal(err)
	}
	if want := guardHeader + strings.Repeat(" ", 200) + `<presence/>` + strings.Repeat(" ", 10); out != want {
		t.Errorf("got %d bytes, want %d", len(out), len(want))
	}
}

// Stream restarts are recognised a couple of times (after SASL), not
// forever: past that a stream header is a stanza like any other, so a
// server cannot sink the decoder in headers that never close.
func TestGuardLimitsRestarts(t *testing.T) {
	in := guardHeader + guardHeader + guardHeader + guardHeader + `<presence from='x'/>` + strings.Repeat("<a>", 300)
	out, err := guardAll(testLimits, in, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := guardHeader + guardHeader + guardHeader
	if !strings.HasPrefix(out, want) || strings.Contains(out, "<presence") || !strings.Contains(out[len(want):], "<dropped ") {
		t.Errorf("out %q: want three headers, then the fourth and what is inside it dropped", out)
	}
}
