package client

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"chat/event"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/jid"
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
	`<dropped xmlns='urn:x-chat:guard' stanza='message' from='bob@example.net/r' reason='too big'>`,
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
	{0, `<body xml:lang='de'>hallo</body><body>hello</body><body xml:lang='en-GB'>hullo</body>`},
	{0, `<body>x</body><delay xmlns='urn:xmpp:delay' from='bob@example.net' stamp='2002-09-10T23:08:25Z'/>`},
	{1, `<sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' from='bob@example.net/r' to='carol@example.net'><body>x</body></message></forwarded></sent>`},
	{1, `<received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' from='bob@example.net/r' to='mallory@evil.example'><body>x</body></message></forwarded></received>`},
	{0, `<body>x</body>` + strings.Repeat("<a>", 70) + strings.Repeat("</a>", 70)},
	{15, ``},
	{0, `<body>hi</body><request xmlns='urn:xmpp:receipts'/><markable xmlns='urn:xmpp:chat-markers:0'/><active xmlns='http://jabber.org/protocol/chatstates'/><replace xmlns='urn:xmpp:message-correct:0' id='x'/>`},
	{0, `<received xmlns='urn:xmpp:receipts' id='o1'/><displayed xmlns='urn:xmpp:chat-markers:0' id='o2'/>`},
	{4, `<event xmlns='http://jabber.org/protocol/pubsub#event'><items node='http://jabber.org/protocol/nick'><item><nick xmlns='http://jabber.org/protocol/nick'>n</nick></item></items></event>`},
	{5, `<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='QgayPKawpkPSDYmwT/WM94uAlu0='/>`},
	{7, `<nick xmlns='http://jabber.org/protocol/nick'>n</nick>`},
	{10, `<block xmlns='urn:xmpp:blocking'><item jid='a@b'/></block>`},
	{11, `<unblock xmlns='urn:xmpp:blocking'/>`},
	{14, `<query xmlns='http://jabber.org/protocol/disco#info' node='x'/>`},
	{14, `<query xmlns='http://jabber.org/protocol/disco#items'/>`},
	{14, `<time xmlns='urn:xmpp:time'/>`},
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
		if len(evs) > 4 { // a message, its chat state, a receipt and a marker
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

const (
	ourBare = "alice@example.org"
	ourFull = ourBare + "/res"
)

// rig is an engine and a session with just what the handler touches,
// and the session's handler, which sees every stanza fed.
type rig struct {
	e  *Engine
	s  *session
	h  *handler
	ch chan event.Event
}

func newRig(t testing.TB, tune ...func(*Config)) *rig {
	t.Helper()
	cfg := Config{JID: jid.MustParse(ourFull), Password: "x", Lang: "en"}
	for _, f := range tune {
		f(&cfg)
	}
	ch := make(chan event.Event, 64)
	e, err := New(cfg, ch)
	if err != nil {
		t.Fatalf("new engine: %v", err)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	t.Cleanup(func() { cancel(nil) })
	s := &session{
		ctx: ctx, cancel: cancel, wake: make(chan struct{}, 1),
		lastIn:  time.Now().Add(-time.Hour),
		closing: make(chan struct{}), flushed: make(chan struct{}),
	}
	return &rig{e: e, s: s, h: e.newHandler(s), ch: ch}
}

// fakeStream is the TokenReadEncoder Serve hands to the handler: it reads
// the stanza's children and end element, and records what is written.
type fakeStream struct {
	xml.TokenReader
	out bytes.Buffer
	enc *xml.Encoder
}

func (f *fakeStream) EncodeToken(t xml.Token) error { return f.enc.EncodeToken(t) }
func (f *fakeStream) Encode(v any) error            { return f.enc.Encode(v) }
func (f *fakeStream) EncodeElement(v any, start xml.StartElement) error {
	return f.enc.EncodeElement(v, start)
}

const streamHeader = `<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`

// stanzaStart parses the stream header and the stanza's start element as
// mellium's session decoder would, blanking a from equal to our bare JID
// like Serve does; the decoder is left just after the start element.
func stanzaStart(raw string) (*xml.Decoder, xml.StartElement, error) {
	d := xml.NewDecoder(strings.NewReader(streamHeader + raw))
	if _, err := d.Token(); err != nil {
		return nil, xml.StartElement{}, err
	}
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, xml.StartElement{}, err
		}
		if st, ok := tok.(xml.StartElement); ok {
			st = xml.CopyToken(st).(xml.StartElement)
			for i, a := range st.Attr {
				if a.Name.Local == "from" {
					if a.Value == ourBare {
						st.Attr[i].Value = ""
					}
					break
				}
			}
			return d, st, nil
		}
	}
}

// handleRaw runs one stanza through the handler and returns the error of
// handle and what it wrote.
func (r *rig) handleRaw(raw string) (string, error) {
	d, start, err := stanzaStart(raw)
	if err != nil {
		return "", fmt.Errorf("test stanza: %w", err)
	}
	f := &fakeStream{TokenReader: xmlstream.InnerElement(d)}
	f.enc = xml.NewEncoder(&f.out)
	herr := r.h.handle(f, &start)
	if err := f.enc.Flush(); err != nil {
		return "", err
	}
	return f.out.String(), herr
}

// feed runs one stanza through the handler, fails the test if handle
// returns an error, and returns the IQs it wrote.
func (r *rig) feed(t testing.TB, raw string) []outIQ {
	t.Helper()
	out, err := r.handleRaw(raw)
	if err != nil {
		t.Fatalf("handle returned %v for %s", err, raw)
	}
	iqs, err := parseReplies(out)
	if err != nil {
		t.Fatalf("handler wrote unreadable XML %q: %v", out, err)
	}
	return iqs
}

// events returns what has been emitted so far. Emitting is synchronous, so
// everything a stanza caused is already queued when handle returns.
func (r *rig) events() []event.Event {
	var evs []event.Event
	for {
		select {
		case ev := <-r.ch:
			evs = append(evs, ev)
		default:
			return evs
		}
	}
}

// one returns the single event emitted, of type T.
func one[T event.Event](t testing.TB, r *rig) T {
	t.Helper()
	evs := r.events()
	if len(evs) != 1 {
		t.Fatalf("want one %T, got %d events: %+v", *new(T), len(evs), evs)
	}
	ev, ok := evs[0].(T)
	if !ok {
		t.Fatalf("want %T, got %T %+v", *new(T), evs[0], evs[0])
	}
	if ev.Head().Account != ourBare {
		t.Errorf("event account %q, want %q", ev.Head().Account, ourBare)
	}
	return ev
}

func none(t testing.TB, r *rig) {
	t.Helper()
	if evs := r.events(); len(evs) != 0 {
		t.Fatalf("want no event, got %+v", evs)
	}
}

// outIQ is an IQ the handler wrote.
type outIQ struct {
	ID, Type, To string
	Cond, ErrTyp string // condition and type of a stanza error
	Payload      xml.Name
	Inner        string
}

func parseReplies(out string) ([]outIQ, error) {
	d := xml.NewDecoder(strings.NewReader(out))
	var iqs []outIQ
	for {
		var v struct {
			XMLName xml.Name
			ID      string `xml:"id,attr"`
			Type    string `xml:"type,attr"`
			To      string `xml:"to,attr"`
			Inner   string `xml:",innerxml"`
			Err     *struct {
				Type string                       `xml:"type,attr"`
				Any  []struct{ XMLName xml.Name } `xml:",any"`
			} `xml:"error"`
			Any []struct{ XMLName xml.Name } `xml:",any"`
		}
		err := d.Decode(&v)
		if errors.Is(err, io.EOF) {
			return iqs, nil
		}
		if err != nil {
			return nil, err
		}
		if v.XMLName.Local != "iq" {
			return nil, fmt.Errorf("wrote <%s>, not an iq", v.XMLName.Local)
		}
		iq := outIQ{ID: v.ID, Type: v.Type, To: v.To, Inner: v.Inner}
		if len(v.Any) > 0 {
			iq.Payload = v.Any[0].XMLName
		}
		if v.Err != nil {
			iq.ErrTyp = v.Err.Type
			for _, c := range v.Err.Any {
				if c.XMLName.Space == "urn:ietf:params:xml:ns:xmpp-stanzas" {
					iq.Cond = c.XMLName.Local
				}
			}
		}
		iqs = append(iqs, iq)
	}
}

// oneReply checks that exactly one IQ was written, answering id.
func oneReply(t testing.TB, iqs []outIQ, id, typ string) outIQ {
	t.Helper()
	if len(iqs) != 1 {
		t.Fatalf("want one reply, got %d: %+v", len(iqs), iqs)
	}
	if iqs[0].ID != id || iqs[0].Type != typ {
		t.Fatalf("reply id=%q type=%q, want id=%q type=%q (%+v)", iqs[0].ID, iqs[0].Type, id, typ, iqs[0])
	}
	return iqs[0]
}
