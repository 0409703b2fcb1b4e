package client

import (
	"encoding/xml"
	"errors"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"chat/event"
)

// This file tests handler.handle without a server. The rig that feeds it
// one stanza the way mellium's Session.Serve does, and records what it
// emits and writes, is in handler_fuzz_test.go, shared with FuzzHandle.

func TestHandleTouchesSession(t *testing.T) {
	r := newRig(t)
	r.feed(t, `<presence type='probe'/>`)
	if idle := r.s.idle(); idle >= time.Hour {
		t.Errorf("idle %v after a stanza: lastIn not updated", idle)
	}
}

func TestHandleDropsOversizedStanza(t *testing.T) {
	for _, raw := range []string{
		`<message from='bob@example.net/r' type='chat'><body>` + strings.Repeat("x", 200) + `</body></message>`,
		`<message from='bob@example.net/r' type='chat'><body>a</body><x xmlns='urn:x' a='` + strings.Repeat("y", 200) + `'/></message>`,
		`<presence from='bob@example.net/r'><status>` + strings.Repeat("z", 200) + `</status></presence>`,
	} {
		r := newRig(t, func(c *Config) { c.MaxStanza = 100 })
		r.feed(t, raw)
		ev := one[event.Error](t, r)
		if !strings.HasPrefix(ev.Context, "dropped ") || !strings.Contains(ev.Context, "bob@example.net/r") {
			t.Errorf("context %q, want dropped … from bob@example.net/r", ev.Context)
		}
		if !strings.Contains(ev.Text, "limit") {
			t.Errorf("text %q does not say the limit was passed", ev.Text)
		}
	}
}

func TestHandleUnderLimitPasses(t *testing.T) {
	// Names, namespace and attributes count too: 49 bytes here.
	r := newRig(t, func(c *Config) { c.MaxStanza = 100 })
	r.feed(t, `<message from='bob@example.net/r' type='chat'><body>`+strings.Repeat("x", 40)+`</body></message>`)
	if m := one[event.Message](t, r); len(m.Body) != 40 {
		t.Errorf("body of %d bytes, want 40", len(m.Body))
	}
}

func TestHandleQuietWhileClosing(t *testing.T) {
	bad := `<message from='not a jid@@' type='chat'><body>x</body></message>`
	r := newRig(t)
	close(r.s.closing)
	r.feed(t, bad)
	none(t, r)

	r = newRig(t)
	r.s.cancel(errors.New("gone"))
	r.feed(t, bad)
	none(t, r)
}

func TestHandleMalformedTolerated(t *testing.T) {
	for _, c := range []struct {
		raw     string
		dropped bool // an error event says the stanza was dropped
	}{
		{`<message from='not a jid@@' type='chat'><body>x</body></message>`, true},
		{`<presence from='not a jid@@'/>`, true},
		{`<message from='bob@example.net/r'><delay xmlns='urn:xmpp:delay' stamp='x'/><origin-id xmlns='urn:xmpp:sid:0'/></message>`, false},
		{`<message from='bob@example.net/r'><error/></message>`, false},
		{`<message from='bob@example.net/r' type='error'/>`, false},
		{`<message from='bob@example.net/r' type='chat'><received xmlns='urn:xmpp:carbons:2'/><body>b</body></message>`, false},
		{`<message from='bob@example.net/r' type='chat'><sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'/></sent><body>b</body></message>`, false},
		{`<presence from='bob@example.net/r' type='error'/>`, false},
		{`<presence from='bob@example.net/r' type='bogus'/>`, false},
		{`<iq from='bob@example.net/r' type='get' id='1'/>`, true},
		{`<iq from='bob@example.net/r' type='set' id='1'>text only</iq>`, true},
		{`<iq type='set'/>`, true},
	} {
		r := newRig(t)
		out, err := r.handleRaw(c.raw)
		if err != nil {
			t.Errorf("%s: handle returned %v", c.raw, err)
		}
		evs := r.events()
		dropped := false
		if len(evs) == 1 {
			ee, ok := evs[0].(event.Error)
			dropped = ok && strings.HasPrefix(ee.Context, "dropped ")
		}
		if dropped != c.dropped || len(evs) > 1 {
			t.Errorf("%s: dropped=%v, want %v; events %+v, wrote %q", c.raw, dropped, c.dropped, evs, out)
		}
	}
}

func TestHandleIgnoresIQResponses(t *testing.T) {
	for _, typ := range []string{"result", "error", ""} {
		r := newRig(t)
		iqs := r.feed(t, `<iq from='bob@example.net/r' type='`+typ+`' id='x'><ping xmlns='urn:xmpp:ping'/></iq>`)
		if len(iqs) != 0 {
			t.Errorf("type %q: answered with %+v (a reply to a reply can loop)", typ, iqs)
		}
		none(t, r)
	}
}

func TestHandlePing(t *testing.T) {
	r := newRig(t)
	iq := oneReply(t, r.feed(t, `<iq from='example.org' type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>`), "p1", "result")
	if iq.To != "example.org" {
		t.Errorf("reply to %q, want example.org", iq.To)
	}
	none(t, r)
}

func TestHandleDiscoInfo(t *testing.T) {
	r := newRig(t)
	iq := oneReply(t, r.feed(t, `<iq from='bob@example.net/r' type='get' id='d1'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`), "d1", "result")
	var q struct {
		XMLName  xml.Name `xml:"http://jabber.org/protocol/disco#info query"`
		Identity []struct {
			Category string `xml:"category,attr"`
			Type     string `xml:"type,attr"`
		} `xml:"identity"`
		Feature []struct {
			Var string `xml:"var,attr"`
		} `xml:"feature"`
	}
	if err := xml.Unmarshal([]byte(iq.Inner), &q); err != nil {
		t.Fatalf("disco reply %q: %v", iq.Inner, err)
	}
	if len(q.Identity) != 1 || q.Identity[0].Category != "client" || q.Identity[0].Type != "console" {
		t.Errorf("identities %+v, want one client/console", q.Identity)
	}
	var vars []string
	for _, f := range q.Feature {
		vars = append(vars, f.Var)
	}
	for _, want := range []string{nsDiscoInfo, nsPing, nsVersion, nsCarbons, nsSID} {
		if !slices.Contains(vars, want) {
			t.Errorf("features %v lack %s", vars, want)
		}
	}
	if iq.To != "bob@example.net/r" {
		t.Errorf("reply to %q", iq.To)
	}
}

func TestHandleVersion(t *testing.T) {
	r := newRig(t)
	iq := oneReply(t, r.feed(t, `<iq from='bob@example.net/r' type='get' id='v1'><query xmlns='jabber:iq:version'/></iq>`), "v1", "result")
	var q struct {
		XMLName xml.Name `xml:"jabber:iq:version query"`
		Name    string   `xml:"jabber:iq:version name"`
		Version string   `xml:"jabber:iq:version version"`
		OS      string   `xml:"jabber:iq:version os"`
	}
	if err := xml.Unmarshal([]byte(iq.Inner), &q); err != nil {
		t.Fatalf("version reply %q: %v", iq.Inner, err)
	}
	if q.Name != ClientName || q.Version != ClientVersion || q.OS != runtime.GOOS {
		t.Errorf("version %+v, want %s %s %s", q, ClientName, ClientVersion, runtime.GOOS)
	}
}

func TestHandleIQErrors(t *testing.T) {
	for _, c := range []struct{ raw, cond string }{
		{`<iq from='bob@example.net/r' type='get' id='e'><query xmlns='jabber:iq:unknown'/></iq>`, "service-unavailable"},
		{`<iq from='bob@example.net/r' type='set' id='e'><block xmlns='urn:xmpp:blocking'/></iq>`, "service-unavailable"},
		{`<iq from='bob@example.net/r' type='set' id='e'><query xmlns='jabber:iq:version'/></iq>`, "bad-request"},
		{`<iq from='bob@example.net/r' type='set' id='e'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`, "bad-request"},
		{`<iq type='get' id='e'><query xmlns='jabber:iq:roster'/></iq>`, "bad-request"},
	} {
		r := newRig(t)
		iq := oneReply(t, r.feed(t, c.raw), "e", "error")
		if iq.Cond != c.cond {
			t.Errorf("%s: condition %q, want %q", c.raw, iq.Cond, c.cond)
		}
		none(t, r)
	}
}

func TestHandleChatMessage(t *testing.T) {
	r := newRig(t)
	r.feed(t, `<message from='Bob@Example.net/phone' to='alice@example.org/res' type='chat' id='m1'>
		<body>hello</body><thread>th</thread>
		<origin-id xmlns='urn:xmpp:sid:0' id='o1'/>
		<stanza-id xmlns='urn:xmpp:sid:0' id='forged' by='bob@example.net'/>
		<stanza-id xmlns='urn:xmpp:sid:0' id='s1' by='alice@example.org'/>
	</message>`)
	m := one[event.Message](t, r)
	want := event.Message{Header: m.Header, From: "bob@example.net/phone", To: ourFull, Peer: "bob@example.net",
		ID: "m1", OriginID: "o1", StanzaID: "s1", Type: "chat", Thread: "th", Body: "hello", Stamp: m.Stamp}
	if m != want {
		t.Errorf("got  %+v\nwant %+v", m, want)
	}
	if m.Delayed || !m.Stamp.Equal(m.Time) {
		t.Errorf("undelayed message: Delayed=%v Stamp=%v Time=%v", m.Delayed, m.Stamp, m.Time)
	}
}

func TestHandleMessageVariants(t *testing.T) {
	for _, c := range []struct {
		raw   string
		check func(event.Message) string
	}{
		{`<message from='bob@example.net/r'><body>a</body><body xml:lang='de'>b</body></message>`,
			func(m event.Message) string {
				return want(m.Body == "a" && m.Type == "normal", "one body shown, type normal")
			}},
		{`<message from='bob@example.net/r' type='chat'><body>x</body><stanza-id xmlns='urn:xmpp:sid:0' id='s' by='bob@example.net'/></message>`,
			func(m event.Message) string { return want(m.StanzaID == "", "stanza-id by someone else ignored") }},
		{`<message from='bob@example.net/r' type='headline'><subject>news</subject></message>`,
			func(m event.Message) string {
				return want(m.Subject == "news" && m.Body == "", "subject-only message kept")
			}},
		{"<message from='bob@example.net/r' type='chat'><body>\u0085\u009b31m\u202eevil\u200f&#x9b;</body></message>",
			func(m event.Message) string {
				return want(m.Body == "\u0085\u009b31m\u202eevil\u200f\u009b", "C1 controls and bidi marks passed through intact")
			}},
		{`<message from='bob@example.net/r' type='chat'><body>&lt;b&gt; &amp; ]]&gt;</body></message>`,
			func(m event.Message) string { return want(m.Body == "<b> & ]]>", "entities decoded") }},
	} {
		r := newRig(t)
		r.feed(t, c.raw)
		m := one[event.Message](t, r)
		if msg := c.check(m); msg != "" {
			t.Errorf("%s: want %s; got %+v", c.raw, msg, m)
		}
	}
}

func want(ok bool, what string) string {
	if ok {
		return ""
	}
	return what
}

func TestHandleBodilessMessage(t *testing.T) {
	r := newRig(t)
	r.feed(t, `<message from='bob@example.net/r' type='chat'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>`)
	r.feed(t, `<message from='bob@example.net/r'><received xmlns='urn:xmpp:receipts' id='x'/><body></body></message>`)
	for _, ev := range r.events() { // a chat state and a receipt, but no message to store
		if _, ok := ev.(event.Message); ok {
			t.Errorf("body-less message reported as a message: %+v", ev)
		}
	}
}

func TestHandleMessageError(t *testing.T) {
	r := newRig(t)
	r.feed(t, `<message from='bob@example.net' type='error' id='m1'><body>hi</body>
		<error type='cancel'><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>no such user</text>
		<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>`)
	ev := one[event.Error](t, r)
	if ev.Text != "item-not-found: no such user" || ev.From != "bob@example.net" || !strings.Contains(ev.Context, "bob@example.net") {
		t.Errorf("error event %+v", ev)
	}
	r.feed(t, `<message from='bob@example.net' type='error'><error><gone xmlns='urn:other'/></error></message>`)
	if ev := one[event.Error](t, r); ev.Text != "undefined-condition" {
		t.Errorf("condition in a foreign namespace: text %q, want undefined-condition", ev.Text)
	}
}

func TestHandleDelayStamp(t *testing.T) {
	past := time.Now().Add(-48 * time.Hour).UTC().Truncate(time.Second)
	for _, c := range []struct {
		stamp   string
		delayed bool
	}{
		{past.Format(time.RFC3339), true},
		{"2002-09-10T23:08:25.123Z", true},
		{"2002-09-10T23:08:25+02:00", true},
		{time.Now().Add(time.Hour).UTC().Format(time.RFC3339), false},
		{"9999-12-31T23:59:59Z", false},
		{"1989-12-31T23:59:59Z", false},
		{"0001-01-01T00:00:00Z", false},
		{"yesterday", false},
		{"2002-09-10 23:08:25", false},
		{"", false},
	} {
		r := newRig(t)
		r.feed(t, `<message from='bob@example.net/r' type='chat'><body>x</body><delay xmlns='urn:xmpp:delay' from='example.org' stamp='`+c.stamp+`'/></message>`)
		m := one[event.Message](t, r)
		if m.Delayed != c.delayed {
			t.Errorf("stamp %q: Delayed=%v, want %v", c.stamp, m.Delayed, c.delayed)
		}
		if c.delayed {
			ts, _ := time.Parse(time.RFC3339Nano, c.stamp)
			if !m.Stamp.Equal(ts) {
				t.Errorf("stamp %q: Stamp %v", c.stamp, m.Stamp)
			}
		} else if !m.Stamp.Equal(m.Time) {
			t.Errorf("stamp %q ignored but Stamp %v differs from Time %v", c.stamp, m.Stamp, m.Time)
		}
	}
}

// carbonOf wraps a forwarded message in a XEP-0280 carbon from 'from'.
func carbonOf(from, dir, inner string) string {
	return `<message from='` + from + `' to='alice@example.org/res' type='chat'><` + dir +
		` xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>` + inner + `</forwarded></` + dir + `></message>`
}

const (
	carbonIn  = `<message xmlns='jabber:client' from='bob@example.net/phone' to='alice@example.org/other' type='chat' id='c1'><body>to you</body></message>`
	carbonOut = `<message xmlns='jabber:client' from='alice@example.org/other' to='bob@example.net/phone' type='chat' id='c2'><body>from me</body><origin-id xmlns='urn:xmpp:sid:0' id='o2'/></message>`
)

func TestHandleCarbons(t *testing.T) {
	for _, from := range []string{"", ourBare, "Alice@EXAMPLE.org"} {
		attr := from
		r := newRig(t)
		raw := carbonOf(attr, "received", carbonIn)
		if from == "" {
			raw = strings.Replace(raw, ` from=''`, "", 1)
		}
		r.feed(t, raw)
		m := one[event.Message](t, r)
		if m.Outgoing || m.Peer != "bob@example.net" || m.From != "bob@example.net/phone" || m.Body != "to you" || m.ID != "c1" {
			t.Errorf("received carbon from %q: %+v", from, m)
		}
		r.feed(t, carbonOf(attr, "sent", carbonOut))
		m = one[event.Message](t, r)
		if !m.Outgoing || m.Peer != "bob@example.net" || m.From != "alice@example.org/other" || m.Body != "from me" || m.OriginID != "o2" {
			t.Errorf("sent carbon from %q: %+v", from, m)
		}
	}
}

func TestHandleForgedCarbons(t *testing.T) {
	for _, from := range []string{"mallory@evil.example/x", "mallory@evil.example", "alice@example.org/other", "example.org", "alice@example.org.evil"} {
		for _, dir := range []string{"received", "sent"} {
			r := newRig(t)
			r.feed(t, carbonOf(from, dir, carbonOut))
			ev := one[event.Error](t, r)
			if !strings.Contains(ev.Text, "carbon copy forged") || ev.From != from {
				t.Errorf("%s carbon from %s: %+v", dir, from, ev)
			}
		}
	}
}

func TestHandleSentCarbonWithoutTo(t *testing.T) {
	r := newRig(t)
	r.feed(t, carbonOf(ourBare, "sent", `<message xmlns='jabber:client' from='alice@example.org/other'><body>x</body></message>`))
	if ev := one[event.Error](t, r); !strings.Contains(ev.Text, "bad to") {
		t.Errorf("error %+v", ev)
	}
}

func TestHandlePresence(t *testing.T) {
	for _, c := range []struct {
		raw  string
		want event.Presence
	}{
		{`<presence from='bob@example.net/phone'><show>away</show><status>lunch</status><priority>5</priority></presence>`,
			event.Presence{From: "bob@example.net/phone", Available: true, Show: "away", Status: "lunch", Priority: 5}},
		{`<presence from='bob@example.net/phone' type='unavailable'><status>bye</status></presence>`,
			event.Presence{From: "bob@example.net/phone", Status: "bye"}},
		{`<presence from='bob@example.net/phone'><show>dnd</show><priority>-128</priority></presence>`,
			event.Presence{From: "bob@example.net/phone", Available: true, Show: "dnd", Priority: -128}},
		{`<presence from='bob@example.net/phone'><show>bogus</show><priority>abc</priority></presence>`,
			event.Presence{From: "bob@example.net/phone", Available: true}},
		{`<presence from='bob@example.net/phone'><show>Away</show><priority>99999999999999999999</priority></presence>`,
			event.Presence{From: "bob@example.net/phone", Available: true}},
		{`<presence from='bob@example.net/phone'><priority>128</priority></presence>`,
			event.Presence{From: "bob@example.net/phone", Available: true}},
		{`<presence from='bob@example.net/phone'><priority> 7 </priority></presence>`,
			event.Presence{From: "bob@example.net/phone", Available: true, Priority: 7}},
		{`<presence from='alice@example.org'/>`, event.Presence{From: ourBare, Available: true}},
		{`<presence/>`, event.Presence{From: ourBare, Available: true}},
		{`<presence from='alice@example.org/other'><show>xa</show></presence>`,
			event.Presence{From: "alice@example.org/other", Available: true, Show: "xa"}},
	} {
		r := newRig(t)
		r.feed(t, c.raw)
		p := one[event.Presence](t, r)
		c.want.Header = p.Header
		if p != c.want {
			t.Errorf("%s:\ngot  %+v\nwant %+v", c.raw, p, c.want)
		}
	}
}

func TestHandleSubscription(t *testing.T) {
	for _, typ := range []string{"subscribe", "subscribed", "unsubscribe", "unsubscribed"} {
		r := newRig(t)
		r.feed(t, `<presence from='Bob@example.net/phone' type='`+typ+`'><status>hi</status></presence>`)
		s := one[event.Subscription](t, r)
		if s.From != "bob@example.net" || s.Type != typ || s.Status != "hi" {
			t.Errorf("%s: %+v", typ, s)
		}
	}
}

func TestHandlePresenceError(t *testing.T) {
	r := newRig(t)
	r.feed(t, `<presence from='bob@example.net' type='error'><error type='cancel'>
		<remote-server-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>`)
	ev := one[event.Error](t, r)
	if ev.Text != "remote-server-not-found" || ev.From != "bob@example.net" || !strings.Contains(ev.Context, "bob@example.net") {
		t.Errorf("presence error %+v", ev)
	}
}

func TestHandleIgnoredPresenceTypes(t *testing.T) {
	r := newRig(t)
	r.feed(t, `<presence from='bob@example.net/r' type='probe'/>`)
	r.feed(t, `<presence from='bob@example.net/r' type='whatever'/>`)
	none(t, r)
}

const pushItem = `<item jid='carol@example.net' name='Carol' subscription='both'><group>Friends</group><group>Work</group></item>`

func pushFrom(from, query string) string {
	attr := ""
	if from != "-" {
		attr = ` from='` + from + `'`
	}
	return `<iq` + attr + ` to='alice@example.org/res' type='set' id='push1'>` + query + `</iq>`
}

func TestHandleRosterPush(t *testing.T) {
	for _, from := range []string{"-", ourBare, "ALICE@example.org"} {
		r := newRig(t)
		iq := oneReply(t, r.feed(t, pushFrom(from, `<query xmlns='jabber:iq:roster' ver='v42'>`+pushItem+`</query>`)), "push1", "result")
		if iq.Payload.Local != "" {
			t.Errorf("result carries a payload: %q", iq.Inner)
		}
		p := one[event.RosterPush](t, r)
		want := event.RosterItem{JID: "carol@example.net", Name: "Carol", Subscription: "both", Groups: []string{"Friends", "Work"}}
		if p.Version != "v42" || p.Item.JID != want.JID || p.Item.Name != want.Name ||
			p.Item.Subscription != want.Subscription || !slices.Equal(p.Item.Groups, want.Groups) {
			t.Errorf("push from %q: %+v", from, p)
		}
	}
	r := newRig(t)
	oneReply(t, r.feed(t, pushFrom("-", `<query xmlns='jabber:iq:roster'><item jid='carol@example.net' subscription='remove'/></query>`)), "push1", "result")
	if p := one[event.RosterPush](t, r); p.Version != "" || p.Item.Subscription != "remove" {
		t.Errorf("removal push %+v", p)
	}
}

// A roster push from anyone but our own account is a spoofing attempt
// (CVE-2015-8688, CVE-2016-9928): refused, reported, never applied.
func TestHandleSpoofedRosterPush(t *testing.T) {
	for _, from := range []string{"mallory@evil.example/x", "mallory@evil.example", ourFull, "example.org", "not a jid@@"} {
		r := newRig(t)
		iq := oneReply(t, r.feed(t, pushFrom(from, `<query xmlns='jabber:iq:roster'>`+pushItem+`</query>`)), "push1", "error")
		if iq.Cond != "service-unavailable" {
			t.Errorf("push from %s: condition %q", from, iq.Cond)
		}
		ev := one[event.Error](t, r) // and no RosterPush
		if ev.Context != "ignored roster push" || ev.From != from {
			t.Errorf("push from %s: %+v", from, ev)
		}
	}
}

func TestHandleBadRosterPush(t *testing.T) {
	for _, c := range []struct{ query, cond string }{
		{`<query xmlns='jabber:iq:roster'>` + pushItem + `<item jid='dave@example.net'/></query>`, "bad-request"},
		{`<query xmlns='jabber:iq:roster'/>`, "bad-request"},
		{`<query xmlns='jabber:iq:roster'><item jid='not a jid@@'/></query>`, "jid-malformed"},
		{`<query xmlns='jabber:iq:roster'><item/></query>`, "jid-malformed"},
	} {
		r := newRig(t)
		iq := oneReply(t, r.feed(t, pushFrom("-", c.query)), "push1", "error")
		if iq.Cond != c.cond {
			t.Errorf("%s: condition %q, want %q", c.query, iq.Cond, c.cond)
		}
		none(t, r)
	}
}

// RFC 6120 §8.1.2.1: a stanza without from (mellium also blanks our own
// bare JID) comes from our account, not from the server's domain.
func TestHandleMessageFromOwnAccount(t *testing.T) {
	r := newRig(t)
	r.feed(t, `<message from='alice@example.org' type='chat'><body>note</body></message>`)
	if m := one[event.Message](t, r); m.Peer != ourBare || m.From != ourBare {
		t.Errorf("message from our bare JID: Peer %q From %q, want %s", m.Peer, m.From, ourBare)
	}
	r.feed(t, `<message type='error'><error><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>`)
	if ev := one[event.Error](t, r); ev.From != ourBare {
		t.Errorf("error from our account: %+v", ev)
	}
}
