package client

import (
	"strings"
	"testing"
	"time"

	"chat/event"
)

// A carbon from our own account is still refused when the message it
// copies is not ours: a sent carbon of bob's words is not our outgoing
// message, a received carbon of a message to mallory is not ours to see.
func TestHandleCarbonOfSomeoneElsesMessage(t *testing.T) {
	for _, c := range []struct{ dir, inner, why string }{
		{"sent", `<message xmlns='jabber:client' from='bob@example.net/phone' to='carol@example.net' type='chat'><body>PAY</body></message>`, "not from our account"},
		{"sent", `<message xmlns='jabber:client' to='bob@example.net' type='chat'><body>PAY</body></message>`, "not from our account"},
		{"sent", `<message xmlns='jabber:client' from='alice@example.org.evil/x' to='bob@example.net' type='chat'><body>PAY</body></message>`, "not from our account"},
		{"received", `<message xmlns='jabber:client' from='bob@example.net/phone' to='mallory@evil.example' type='chat'><body>hi</body></message>`, "not to our account"},
		{"received", `<message xmlns='jabber:client' from='bob@example.net/phone' type='chat'><body>hi</body></message>`, "not to our account"},
	} {
		r := newRig(t)
		r.feed(t, carbonOf(ourBare, c.dir, c.inner))
		ev := one[event.Error](t, r) // and no Message
		if !strings.Contains(ev.Text, c.why) || !strings.HasPrefix(ev.Context, "dropped message") {
			t.Errorf("%s carbon %s: %+v, want an error saying %q", c.dir, c.inner, ev, c.why)
		}
	}
	// Our own messages, to and from any of our resources, still pass.
	r := newRig(t)
	r.feed(t, carbonOf(ourBare, "sent", `<message xmlns='jabber:client' from='Alice@example.org/other' to='bob@example.net'><body>x</body></message>`))
	if m := one[event.Message](t, r); !m.Outgoing || m.Peer != "bob@example.net" {
		t.Errorf("sent carbon of our own message: %+v", m)
	}
	r.feed(t, carbonOf(ourBare, "received", `<message xmlns='jabber:client' from='bob@example.net/x' to='alice@example.org'><body>x</body></message>`))
	if m := one[event.Message](t, r); m.Outgoing || m.Peer != "bob@example.net" {
		t.Errorf("received carbon to our bare JID: %+v", m)
	}
}

// A delay stamp is believed only when our server or our archive put it
// there; a peer's own stamp does not move a live message back in time.
func TestHandleDelayOnlyFromStorage(t *testing.T) {
	stamp := time.Now().Add(-7 * 24 * time.Hour).UTC().Truncate(time.Second)
	for _, c := range []struct {
		from    string
		trusted bool
	}{
		{"", false},
		{"bob@example.net", false},
		{"bob@example.net/phone", false},
		{"example.net", false},
		{"example.org.evil", false},
		{"alice@example.org/other", false},
		{"not a jid@@", false},
		{"example.org", true},
		{"EXAMPLE.org", true},
		{"alice@example.org", true},
	} {
		attr := ""
		if c.from != "" {
			attr = ` from='` + c.from + `'`
		}
		r := newRig(t)
		r.feed(t, `<message from='bob@example.net/phone' type='chat'><body>x</body><delay xmlns='urn:xmpp:delay'`+attr+` stamp='`+stamp.Format(time.RFC3339)+`'/></message>`)
		m := one[event.Message](t, r)
		if c.trusted {
			if !m.Delayed || !m.Stamp.Equal(stamp) || !m.Claimed.IsZero() {
				t.Errorf("delay from %q: Delayed=%v Stamp=%v Claimed=%v, want placed at %v", c.from, m.Delayed, m.Stamp, m.Claimed, stamp)
			}
			continue
		}
		if m.Delayed || !m.Stamp.Equal(m.Time) || !m.Claimed.Equal(stamp) {
			t.Errorf("delay from %q: Delayed=%v Stamp=%v (arrival %v) Claimed=%v, want arrival order and the stamp as Claimed",
				c.from, m.Delayed, m.Stamp, m.Time, m.Claimed)
		}
	}
}

// RFC 6121 §5.2.3: of several bodies (and subjects) in different
// languages one is shown: the user's language, else the default one.
func TestHandleBodyLanguage(t *testing.T) {
	const three = `<body>hello</body><body xml:lang='de'>hallo</body><body xml:lang='fr-CA'>allo</body>`
	for _, c := range []struct {
		user, msgLang, bodies, want string
	}{
		{"en", "", three, "hello"},
		{"de", "", three, "hallo"},
		{"DE-at", "", three, "hallo"},
		{"fr", "", three, "allo"},
		{"fr-CA", "", three, "allo"},
		{"it", "", three, "hello"},
		{"", "", three, "hello"},
		{"de", "", `<body xml:lang='en'>hello</body><body xml:lang='fr'>salut</body>`, "hello"},
		{"fr", "", `<body xml:lang='en'>hello</body><body xml:lang='fr'>salut</body>`, "salut"},
		{"it", "", `<body xml:lang='de'>hallo</body><body>hello</body>`, "hello"},
		{"de", "de", `<body xml:lang='en'>hello</body><body>hallo</body>`, "hallo"},
		{"en", "de", `<body>hallo</body><body xml:lang='en'>hello</body>`, "hello"},
		{"en", "", `<body>only</body>`, "only"},
	} {
		r := newRig(t, func(cfg *Config) { cfg.Lang = c.user })
		lang := ""
		if c.msgLang != "" {
			lang = ` xml:lang='` + c.msgLang + `'`
		}
		r.feed(t, `<message from='bob@example.net/r' type='chat'`+lang+`>`+c.bodies+`</message>`)
		if m := one[event.Message](t, r); m.Body != c.want {
			t.Errorf("user %q, message lang %q, %s: body %q, want %q", c.user, c.msgLang, c.bodies, m.Body, c.want)
		}
	}
	r := newRig(t, func(cfg *Config) { cfg.Lang = "de" })
	r.feed(t, `<message from='bob@example.net/r' type='headline'><subject>news</subject><subject xml:lang='de'>Neues</subject></message>`)
	if m := one[event.Message](t, r); m.Subject != "Neues" {
		t.Errorf("subject %q, want the German one", m.Subject)
	}
}

func TestEnvLang(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"LANG": "de_AT.UTF-8"}, "de-AT"},
		{map[string]string{"LANG": "sr_RS@latin"}, "sr-RS"},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "fr_FR"}, "fr-FR"},
		{map[string]string{"LANG": "en_US", "LC_MESSAGES": "fr_FR", "LC_ALL": "it_IT"}, "it-IT"},
		{map[string]string{"LANG": "C.UTF-8"}, ""},
		{map[string]string{"LC_ALL": "POSIX", "LANG": "de_DE"}, ""},
		{map[string]string{}, ""},
	} {
		if got := envLang(func(k string) string { return c.env[k] }); got != c.want {
			t.Errorf("%v: %q, want %q", c.env, got, c.want)
		}
	}
}

// The handler counts names and depth too, and says once per session that
// it dropped stanzas for their size, however many it drops.
func TestHandleLimitsReportedOnce(t *testing.T) {
	r := newRig(t, func(c *Config) { c.MaxStanza, c.MaxDepth = 300, 8 })
	r.feed(t, `<message from='bob@example.net/r' type='chat'><body>x</body>`+strings.Repeat("<a>", 9)+strings.Repeat("</a>", 9)+`</message>`)
	ev := one[event.Error](t, r)
	if ev.Context != "dropped message from bob@example.net/r" || !strings.Contains(ev.Text, "deeper than the limit") {
		t.Errorf("deep stanza: %+v", ev)
	}
	for _, raw := range []string{
		`<message from='bob@example.net/r' type='chat'><body>x</body><` + strings.Repeat("n", 400) + `/></message>`,
		`<message from='bob@example.net/r' type='chat'><body>x</body><x xmlns='` + strings.Repeat("u", 400) + `'/></message>`,
		`<presence from='carol@example.net/r'>` + strings.Repeat("<a>", 9) + strings.Repeat("</a>", 9) + `</presence>`,
		`<dropped xmlns='urn:x-chat:guard' stanza='message' from='bob@example.net/r' reason='stanza larger than the limit (300 bytes)'/>`,
	} {
		r.feed(t, raw)
		none(t, r)
	}
	// Within the limits, at the deepest allowed, all is well.
	r.feed(t, `<message from='bob@example.net/r' type='chat'><body>fine</body>`+strings.Repeat("<a>", 7)+strings.Repeat("</a>", 7)+`</message>`)
	if m := one[event.Message](t, r); m.Body != "fine" {
		t.Errorf("message within the limits: %+v", m)
	}
	if r.e.newHandler(r.s).dropped != 0 {
		t.Error("a new session's handler starts with drops counted")
	}
}

// The element the stream guard puts in place of a dropped stanza is
// reported with what it says.
func TestHandleGuardDropReported(t *testing.T) {
	r := newRig(t)
	r.feed(t, `<dropped xmlns='urn:x-chat:guard' stanza='iq' from='mallory@evil.example/x' reason='stanza nested deeper than the limit (64 levels)'/>`)
	ev := one[event.Error](t, r)
	if ev.Context != "dropped iq from mallory@evil.example/x" || ev.From != "mallory@evil.example/x" ||
		!strings.HasPrefix(ev.Text, "stanza nested deeper than the limit (64 levels)") {
		t.Errorf("guard drop: %+v", ev)
	}
	r = newRig(t)
	r.feed(t, `<dropped xmlns='urn:x-chat:guard' stanza='' from='' reason='stanza larger than the limit (1048576 bytes)'/>`)
	if ev := one[event.Error](t, r); ev.Context != "dropped a stanza from the server" {
		t.Errorf("guard drop without a start tag: %+v", ev)
	}
}
