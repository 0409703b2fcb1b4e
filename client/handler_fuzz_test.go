package client

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"chat/event"
)

// fuzzStarts are the stanza start tags the fuzzer's inner content goes
// into, chosen by its kind byte: each stanza kind, from our account
// (blank or our bare JID, which Serve blanks) and from strangers.
var fuzzStarts = []string{
	`<message from='bob@example.net/r' to='alice@example.org/res' type='chat' id='f1'>`,
	`<message from='alice@example.org' to='alice@example.org/res' type='chat' id='f1'>`,
	`<message type='normal' id='f1'>`,
	`<message from='bob@example.net' type='error' id='f1'>`,
	`<message from='example.org' type='headline'>`,
	`<presence from='bob@example.net/r'>`,
	`<presence from='bob@example.net/r' type='unavailable'>`,
	`<presence from='bob@example.net' type='subscribe'>`,
	`<presence from='bob@example.net' type='error'>`,
	`<presence>`,
	`<iq type='set' id='f1'>`,
	`<iq from='alice@example.org' type='set' id='f1'>`,
	`<iq from='mallory@evil.example/x' type='set' id='f1'>`,
	`<iq from='example.org' type='get' id='f1'>`,
	`<iq from='bob@example.net/r' type='get' id='f1'>`,
}

// fuzzStanza wraps inner in the start tag kind selects; ownFrom reports
// whether that stanza comes from our own account.
func fuzzStanza(kind byte, inner string) (raw string, ownFrom bool) {
	start := fuzzStarts[int(kind)%len(fuzzStarts)]
	name := start[1:strings.IndexAny(start, " >")]
	ownFrom = !strings.Contains(start, "from=") || strings.Contains(start, "from='"+ourBare+"'")
	return start + inner + "</" + name + ">", ownFrom
}

// wellFormed reports whether raw is exactly one element in a stream: the
// inner content must not close the stanza early or leave it open.
func wellFormed(raw string) bool {
	d := xml.NewDecoder(strings.NewReader(streamHeader + raw + "</stream:stream>"))
	depth, stanzas := 0, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return depth == 0 && stanzas == 1
		}
		if err != nil {
			return false
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth == 1 {
				stanzas++
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 1 {
				return false // text between stanzas: not what Serve hands over
			}
		}
	}
}

var fuzzSeeds = []struct {
	kind  byte
	inner string
}{
	{0, `<body>hello</body><thread>th</thread><origin-id xmlns='urn:xmpp:sid:0' id='o1'/><stanza-id xmlns='urn:xmpp:sid:0' id='s1' by='alice@example.org'/>`},
	{0, `<body>a</body><body xml:lang='de'>b</body><subject>s</subject>`},
	{0, `<composing xmlns='http://jabber.org/protocol/chatstates'/>`},
	{0, `<body>x</body><delay xmlns='urn:xmpp:delay' stamp='2002-09-10T23:08:25Z'/>`},
	{0, `<body>x</body><delay xmlns='urn:xmpp:delay' stamp='9999-12-31T23:59:59Z'/>`},
	{0, "<body>\u0085\u009b31m\u202eevil&#x9b;</body>"},
	{1, `<received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>` + carbonIn + `</forwarded></received>`},
	{2, `<sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>` + carbonOut + `</forwarded></sent>`},
	{0, `<sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>` + carbonOut + `</forwarded></sent>`},
	{2, `<sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'><message from='a@b/c'><body>x</body></message></forwarded></sent>`},
	{3, `<error type='cancel'><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>gone</text><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>`},
	{5, `<show>away</show><status>lunch</status><priority>5</priority>`},
	{5, `<show>bogus</show><priority>abc</priority>`},
	{5, `<priority>99999999999999999999</priority>`},
	{7, `<status>let me in</status>`},
	{8, `<error><remote-server-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>`},
	{10, `<query xmlns='jabber:iq:roster' ver='v1'>` + pushItem + `</query>`},
	{11, `<query xmlns='jabber:iq:roster'><item jid='carol@example.net' subscription='remove'/></query>`},
	{12, `<query xmlns='jabber:iq:roster'>` + pushItem + `</query>`},
	{10, `<query xmlns='jabber:iq:roster'>` + pushItem + `<item jid='d@e'/></query>`},
	{10, `<query xmlns='jabber:iq:roster'><item jid='not a jid@@'/></query>`},
	{13, `<ping xmlns='urn:xmpp:ping'/>`},
	{14, `<query xmlns='http://jabber.org/protocol/disco#info'/>`},
	{14, `<query xmlns='jabber:iq:version'/>`},
	{14, `<query xmlns='jabber:iq:last'/>`},
	{10, ``},
	{10, `text`},
}

// FuzzHandle feeds arbitrary stanza content to the handler: it must never
// panic nor end the stream, emit at most a couple of events, write only
// well-formed answers to the IQ it was given, and apply roster pushes only
// from our own account.
func FuzzHandle(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s.kind, s.inner)
	}
	f.Fuzz(func(t *testing.T, kind byte, inner string) {
		raw, own := fuzzStanza(kind, inner)
		if !wellFormed(raw) {
			return
		}
		r := newRig(t, func(c *Config) { c.MaxStanza = 4096 })
		out, err := r.handleRaw(raw)
		if err != nil {
			t.Fatalf("handle returned %v", err)
		}
		checkFuzzOutput(t, raw, out, own)
		evs := r.events()
		if len(evs) > 2 {
			t.Fatalf("%d events for one stanza: %+v", len(evs), evs)
		}
		for _, ev := range evs {
			if ev.Head().Account != ourBare {
				t.Errorf("event for account %q", ev.Head().Account)
			}
			if _, ok := ev.(event.RosterPush); ok && !own {
				t.Errorf("roster push applied from a stranger: %s", raw)
			}
		}
	})
}

func checkFuzzOutput(t *testing.T, raw, out string, own bool) {
	t.Helper()
	iqs, err := parseReplies(out)
	if err != nil {
		t.Fatalf("wrote malformed XML %q: %v", out, err)
	}
	if !strings.HasPrefix(raw, "<iq") {
		if out != "" {
			t.Fatalf("wrote %q in answer to a %s", out, raw[:9])
		}
		return
	}
	if len(iqs) > 1 {
		t.Fatalf("%d replies to one IQ: %q", len(iqs), out)
	}
	for _, iq := range iqs {
		if iq.ID != "f1" || (iq.Type != "result" && iq.Type != "error") {
			t.Errorf("reply %+v does not answer id f1", iq)
		}
		if iq.Type == "error" && iq.Cond == "" {
			t.Errorf("error reply without a condition: %q", out)
		}
	}
}

func TestFuzzHelpers(t *testing.T) {
	for _, s := range fuzzSeeds {
		if raw, _ := fuzzStanza(s.kind, s.inner); !wellFormed(raw) {
			t.Errorf("seed %d %q is skipped by the fuzzer as not well-formed", s.kind, s.inner)
		}
	}
	for _, inner := range []string{`</message><message>`, `<body>`, `</body>`, `<a></b>`, `&bogus;`, "\x1b[31m"} {
		if raw, _ := fuzzStanza(0, inner); wellFormed(raw) {
			t.Errorf("%q taken as well-formed", raw)
		}
	}
	if _, own := fuzzStanza(1, ""); !own {
		t.Error("a stanza from our bare JID not seen as our own")
	}
	if _, own := fuzzStanza(12, ""); own {
		t.Error("a stanza from a stranger seen as our own")
	}
}
