package client

import (
	"encoding/base64"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"chat/event"

	"mellium.im/xmpp/jid"
)

// queued returns the stanzas queued on the rig's session since the last
// call, as XML.
func queued(t *testing.T, r *rig) []string {
	t.Helper()
	r.s.mu.Lock()
	pending := r.s.pending
	r.s.pending = nil
	r.s.mu.Unlock()
	var out []string
	for _, o := range pending {
		var b strings.Builder
		if _, err := copyTokens(xml.NewEncoder(&b), o.r); err != nil {
			t.Fatal(err)
		}
		out = append(out, b.String())
	}
	return out
}

const receiptReq = `<request xmlns='urn:xmpp:receipts'/>`

func TestReceiptRequestAnswered(t *testing.T) {
	r := newRig(t)
	r.feed(t, `<message from='bob@example.net/r' type='chat' id='m1'><body>hi</body>`+receiptReq+`</message>`)
	if m := one[event.Message](t, r); !m.Receipt {
		t.Errorf("message %+v: Receipt not set", m)
	}
	out := queued(t, r)
	if len(out) != 1 || !strings.Contains(out[0], `to="bob@example.net/r"`) ||
		!strings.Contains(out[0], `<received xmlns="urn:xmpp:receipts" id="m1">`) {
		t.Errorf("queued %v, want one receipt for m1 to bob@example.net/r", out)
	}
}

func TestReceiptRequestNotAnswered(t *testing.T) {
	for _, c := range []struct {
		name, raw string
		tune      func(*Config)
	}{
		{"switched off", `<message from='bob@example.net/r' type='chat' id='m1'><body>hi</body>` + receiptReq + `</message>`, func(c *Config) { c.NoReceipts = true }},
		{"groupchat", `<message from='room@muc.example.net/bob' type='groupchat' id='m1'><body>hi</body>` + receiptReq + `</message>`, nil},
		{"no id", `<message from='bob@example.net/r' type='chat'><body>hi</body>` + receiptReq + `</message>`, nil},
		{"carbon", `<message from='alice@example.org' type='chat'><received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' from='bob@example.net/r' to='alice@example.org/other' type='chat' id='m1'><body>x</body>` + receiptReq + `</message></forwarded></received></message>`, nil},
	} {
		tune := []func(*Config){}
		if c.tune != nil {
			tune = append(tune, c.tune)
		}
		r := newRig(t, tune...)
		r.feed(t, c.raw)
		if out := queued(t, r); len(out) != 0 {
			t.Errorf("%s: queued %v, want no receipt", c.name, out)
		}
	}
}

func TestReceiptsAndMarkersReported(t *testing.T) {
	r := newRig(t)
	r.feed(t, `<message from='bob@example.net/r' type='chat'><received xmlns='urn:xmpp:receipts' id='o1'/></message>`)
	r.feed(t, `<message from='bob@example.net/r' type='chat'><displayed xmlns='urn:xmpp:chat-markers:0' id='o2'/></message>`)
	r.feed(t, `<message from='bob@example.net' type='chat'><displayed xmlns='urn:xmpp:chat-markers:0' id='o3'/></message>`) // not a client
	r.feed(t, `<message from='bob@example.net/r' type='chat'><displayed xmlns='urn:xmpp:chat-markers:0'/></message>`)       // no id
	evs := r.events()
	if len(evs) != 2 {
		t.Fatalf("events %+v, want two receipts", evs)
	}
	want := []event.Receipt{
		{From: "bob@example.net/r", Peer: "bob@example.net", ID: "o1", Marker: "received", Receipt: true},
		{From: "bob@example.net/r", Peer: "bob@example.net", ID: "o2", Marker: "displayed"},
	}
	for i, ev := range evs {
		got, ok := ev.(event.Receipt)
		got.Header = event.Header{}
		if !ok || got != want[i] {
			t.Errorf("event %d: %+v, want %+v", i, ev, want[i])
		}
	}
}

func TestChatStates(t *testing.T) {
	r := newRig(t)
	r.feed(t, `<message from='bob@example.net/r' type='chat'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>`)
	if cs := one[event.ChatState](t, r); cs.State != "composing" || cs.From != "bob@example.net/r" || cs.Peer != "bob@example.net" {
		t.Errorf("chat state %+v", cs)
	}
	for _, raw := range []string{
		`<message from='bob@example.net' type='chat'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>`,
		`<message from='room@muc.example.net/bob' type='groupchat'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>`,
		`<message from='bob@example.net/r' type='chat'><dancing xmlns='http://jabber.org/protocol/chatstates'/></message>`,
		carbonOf("alice@example.org", "sent", `<message xmlns='jabber:client' from='alice@example.org/other' to='bob@example.net/r' type='chat'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>`),
	} {
		r.feed(t, raw)
		none(t, r)
	}
	r.feed(t, `<message from='bob@example.net/r' type='chat'><body>done</body><active xmlns='http://jabber.org/protocol/chatstates'/></message>`)
	evs := r.events()
	if len(evs) != 2 {
		t.Fatalf("events %+v, want the message and its state", evs)
	}
	if _, ok := evs[0].(event.Message); !ok {
		t.Errorf("first %+v, want the message", evs[0])
	}
	if cs, ok := evs[1].(event.ChatState); !ok || cs.State != "active" {
		t.Errorf("second %+v, want active", evs[1])
	}
}

func TestCorrectionParsed(t *testing.T) {
	r := newRig(t)
	r.feed(t, `<message from='bob@example.net/r' type='chat' id='m2'><body>fixed</body><replace xmlns='urn:xmpp:message-correct:0' id='m1'/></message>`)
	if m := one[event.Message](t, r); m.Replaces != "m1" || m.Body != "fixed" {
		t.Errorf("message %+v, want Replaces m1", m)
	}
}

func TestMessageStanzaExtensions(t *testing.T) {
	st, err := messageStanza(outStanza{to: "bob@example.net", typ: "chat", id: "i2", receipt: true, markable: true,
		msg: OutMessage{Body: "b", Replaces: "i1"}})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if _, err := copyTokens(xml.NewEncoder(&b), st); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<replace xmlns="urn:xmpp:message-correct:0" id="i1">`, `<request xmlns="urn:xmpp:receipts">`, `<markable xmlns="urn:xmpp:chat-markers:0">`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("%s lacks %s", b.String(), want)
		}
	}
}

func TestBlockPushes(t *testing.T) {
	r := newRig(t)
	oneReply(t, r.feed(t, `<iq type='set' id='b'><block xmlns='urn:xmpp:blocking'><item jid='spam@evil.example'/><item jid='bad jid@@'/></block></iq>`), "b", "result")
	if ev := one[event.Blocklist](t, r); len(ev.Blocked) != 1 || ev.Blocked[0] != "spam@evil.example" {
		t.Errorf("push %+v", ev)
	}
	oneReply(t, r.feed(t, `<iq from='alice@example.org' type='set' id='u'><unblock xmlns='urn:xmpp:blocking'/></iq>`), "u", "result")
	if ev := one[event.Blocklist](t, r); !ev.UnblockedAll {
		t.Errorf("unblock-all push %+v", ev)
	}
	iq := oneReply(t, r.feed(t, `<iq from='mallory@evil.example/x' type='set' id='m'><unblock xmlns='urn:xmpp:blocking'/></iq>`), "m", "error")
	if iq.Cond != "service-unavailable" {
		t.Errorf("a stranger's push answered %+v", iq)
	}
	none(t, r)
}

func TestNickFromPEPAndSubscription(t *testing.T) {
	r := newRig(t)
	pep := func(from string) string {
		return `<message from='` + from + `'><event xmlns='http://jabber.org/protocol/pubsub#event'><items node='http://jabber.org/protocol/nick'><item id='current'><nick xmlns='http://jabber.org/protocol/nick'>Bobby` + "\u009b31m" + `</nick></item></items></event></message>`
	}
	r.feed(t, pep("bob@example.net"))
	if ev := one[event.Nick](t, r); ev.From != "bob@example.net" || ev.Nick != "Bobby\u009b31m" {
		t.Errorf("nick %+v (the text is data: escapes are kept for the view to sanitise)", ev)
	}
	r.feed(t, pep("bob@example.net/r")) // PEP comes from the account, not a client
	none(t, r)
	r.feed(t, `<presence from='carol@example.net' type='subscribe'><nick xmlns='http://jabber.org/protocol/nick'>`+strings.Repeat("é", 300)+`</nick></presence>`)
	if ev := one[event.Subscription](t, r); len(ev.Nick) > maxNickLen || !strings.HasPrefix(ev.Nick, "éé") {
		t.Errorf("subscription nick of %d bytes: %q", len(ev.Nick), ev.Nick)
	}
}

func TestEntityTimeParse(t *testing.T) {
	et, err := parseEntityTime("-06:00", "2006-12-19T17:58:35Z")
	if err != nil || et.Offset != -6*time.Hour || et.Local().Hour() != 11 {
		t.Errorf("time %+v, %v", et, err)
	}
	for _, c := range [][2]string{{"+99:00", "2006-12-19T17:58:35Z"}, {"bogus", "2006-12-19T17:58:35Z"}, {"Z", "yesterday"}} {
		if _, err := parseEntityTime(c[0], c[1]); err == nil {
			t.Errorf("%q %q accepted", c[0], c[1])
		}
	}
}

func TestTimeAndLastAnswered(t *testing.T) {
	r := newRig(t)
	iq := oneReply(t, r.feed(t, `<iq from='bob@example.net/r' type='get' id='t'><time xmlns='urn:xmpp:time'/></iq>`), "t", "result")
	var x struct {
		TZO string `xml:"tzo"`
		UTC string `xml:"utc"`
	}
	if err := xml.Unmarshal([]byte(iq.Inner), &x); err != nil {
		t.Fatal(err)
	}
	if _, err := parseEntityTime(x.TZO, x.UTC); err != nil {
		t.Errorf("our time answer %s does not parse: %v", iq.Inner, err)
	}
	iq = oneReply(t, r.feed(t, `<iq from='bob@example.net/r' type='get' id='l'><query xmlns='jabber:iq:last'/></iq>`), "l", "result")
	if !strings.Contains(iq.Inner, `seconds="`) {
		t.Errorf("last activity answer %s", iq.Inner)
	}
}

func vcardOf(inner string) VCard {
	v, err := parseVCard(xmlDecoder(`<vCard xmlns='vcard-temp'>` + inner + `</vCard>`))
	if err != nil {
		panic(err)
	}
	return v
}

func TestVCardParse(t *testing.T) {
	photo := base64.StdEncoding.EncodeToString([]byte("png!"))
	v := vcardOf(`<FN>Bob ` + "\u009b31m\u202e" + `</FN><NICKNAME>bobby</NICKNAME><EMAIL><INTERNET/><USERID>bob@example.net</USERID></EMAIL><DESC>hi</DESC>` +
		`<TEL><VOICE/><NUMBER>123</NUMBER></TEL><PHOTO><TYPE>image/png</TYPE><BINVAL>` + photo + `</BINVAL></PHOTO>`)
	if v.FullName != "Bob \u009b31m\u202e" || v.Nickname != "bobby" || v.Email != "bob@example.net" || v.Note != "hi" ||
		string(v.Photo) != "png!" || v.PhotoType != "image/png" || v.PhotoSkipped {
		t.Errorf("card %+v", v)
	}
	var b strings.Builder
	if _, err := copyTokens(xml.NewEncoder(&b), vcardPayload(v)); err != nil {
		t.Fatal(err)
	}
	back := vcardOf(strings.TrimSuffix(strings.TrimPrefix(b.String(), `<vCard xmlns="vcard-temp">`), `</vCard>`))
	if !strings.Contains(b.String(), "<NUMBER>123</NUMBER>") || strings.Count(b.String(), "<EMAIL>") != 1 || back.FullName != v.FullName {
		t.Errorf("written back as %s", b.String())
	}
}

func TestVCardLargePhotoSkipped(t *testing.T) {
	big := strings.Repeat("QUFB", MaxPhoto/3+10)
	v := vcardOf(`<FN>Bob</FN><PHOTO><TYPE>image/png</TYPE><BINVAL>` + big + `</BINVAL></PHOTO>`)
	if v.Photo != nil || !v.PhotoSkipped || v.FullName != "Bob" {
		t.Errorf("photo of %d bytes kept=%v skipped=%v", len(big), v.Photo != nil, v.PhotoSkipped)
	}
	if err := (&Engine{}).SetVCard(t.Context(), v); err == nil || !strings.Contains(err.Error(), "photo") {
		t.Errorf("setting a card whose photo was skipped: %v, want a refusal", err)
	}
	if v := vcardOf(`<PHOTO><BINVAL>!!notbase64</BINVAL></PHOTO>`); v.Photo != nil || !v.PhotoSkipped {
		t.Errorf("bad base64: %+v", v)
	}
}

func TestDroppedAnswerFailsItsRequest(t *testing.T) {
	r := capsRig(t)
	p := r.s.sendIQ(iqRequest{Type: "get", To: mustJID("bob@example.net"), What: "vcard"})
	drop := func(from, id string) string {
		return `<dropped xmlns='urn:x-chat:guard' stanza='iq' from='` + from + `' id='` + id + `' type='result' reason='stanza larger than the limit (1048576 bytes)'/>`
	}
	r.feed(t, drop("mallory@evil.example", p.id)) // not from who was asked: reported, resolves nothing
	one[event.Error](t, r)
	r.feed(t, drop("bob@example.net", p.id))
	none(t, r)
	_, err := r.s.await(t.Context(), p, time.Minute)
	if err == nil || !strings.Contains(err.Error(), "larger than the limit") {
		t.Errorf("request ended with %v, want the drop's reason", err)
	}
}

func TestGuardDropCarriesID(t *testing.T) {
	out := string(appendDropped(nil, xml.StartElement{Name: xml.Name{Local: "iq"}, Attr: []xml.Attr{
		{Name: xml.Name{Local: "id"}, Value: "i1"}, {Name: xml.Name{Local: "type"}, Value: "result"}}}, "big"))
	if !strings.Contains(out, "id='i1'") || !strings.Contains(out, "type='result'") {
		t.Errorf("dropped element %s lacks the id and type", out)
	}
}

func mustJID(s string) jid.JID { return jid.MustParse(s) }

func TestDisclosesLimitsWhoLearnsAboutUs(t *testing.T) {
	r := newRig(t, func(c *Config) {
		c.Discloses = func(from string) bool { return strings.HasPrefix(from, "bob@example.net/") }
	})
	for _, c := range []struct {
		from string
		ok   bool
	}{{"bob@example.net/r", true}, {"mallory@evil.example/x", false}, {"alice@example.org/other", true}} {
		for _, q := range []string{`<query xmlns='jabber:iq:version'/>`, `<time xmlns='urn:xmpp:time'/>`, `<query xmlns='jabber:iq:last'/>`} {
			want := map[bool]string{true: "result", false: "error"}[c.ok]
			oneReply(t, r.feed(t, `<iq from='`+c.from+`' type='get' id='q'>`+q+`</iq>`), "q", want)
		}
		r.feed(t, `<message from='`+c.from+`' type='chat' id='m1'><body>hi</body>`+receiptReq+`</message>`)
		r.events()
		if out := queued(t, r); (len(out) == 1) != c.ok {
			t.Errorf("receipt to %s: queued %v, want sent=%v", c.from, out, c.ok)
		}
	}
}
