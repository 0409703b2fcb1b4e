package headless

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"chat/event"
)

// decode checks that out is one safe line of valid JSON and returns the
// Record it holds.
func decode(t *testing.T, out []byte) Record {
	t.Helper()
	if bytes.ContainsAny(out, "\r\n") {
		t.Fatalf("JSON output is not one line: %q", out)
	}
	if !json.Valid(out) {
		t.Fatalf("JSON output is not valid JSON: %q", out)
	}
	if bad := unsafeRaw(out); bad != "" {
		t.Fatalf("JSON output contains %s: %q", bad, out)
	}
	var r Record
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("decode %q: %v", out, err)
	}
	return r
}

// sameRecord fails unless got is want, comparing times as instants.
func sameRecord(t *testing.T, got, want Record) {
	t.Helper()
	if !got.Time.Equal(want.Time) {
		t.Errorf("time = %v, want %v", got.Time, want.Time)
	}
	if (got.Stamp == nil) != (want.Stamp == nil) || got.Stamp != nil && !got.Stamp.Equal(*want.Stamp) {
		t.Errorf("stamp = %v, want %v", got.Stamp, want.Stamp)
	}
	got.Time, want.Time, got.Stamp, want.Stamp = time.Time{}, time.Time{}, nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded record differs:\n got %+v\nwant %+v", got, want)
	}
}

func TestJSONHostileRoundTrip(t *testing.T) {
	for _, ev := range allEvents(evil) {
		out := JSON(ev)
		got := decode(t, out)
		sameRecord(t, got, NewRecord(ev))
		if got.Kind != ev.Kind() || got.Account != ev.Head().Account {
			t.Errorf("kind %q account %q, want %q %q", got.Kind, got.Account, ev.Kind(), ev.Head().Account)
		}
		// The hostile characters travel escaped, never raw.
		for _, esc := range []string{`\u001b`, `\u007f`, `\u009b`, `\u202e`, `\u2067`, `\u0000`, `\r`} {
			if !bytes.Contains(out, []byte(esc)) {
				t.Errorf("%s: JSON lacks the escape %s: %s", ev.Kind(), esc, out)
			}
		}
	}
}

func TestJSONMessageFields(t *testing.T) {
	ev := event.Message{Header: hdr(me), Outgoing: true, From: me + "/laptop", To: "bob@example.org",
		Peer: "bob@example.org", ID: "m1", OriginID: "o1", StanzaID: "s1", Type: "chat", Thread: "th",
		Subject: "subj", Body: "hi\nthere", Stamp: stamp, Delayed: true, Error: "item-not-found"}
	r := decode(t, JSON(ev))
	want := Record{Kind: "message", Account: me, From: me + "/laptop", To: "bob@example.org",
		Peer: "bob@example.org", ID: "m1", OriginID: "o1", StanzaID: "s1", Type: "chat", Outgoing: true,
		Thread: "th", Subject: "subj", Body: "hi\nthere", Delayed: true, Error: "item-not-found",
		Time: t0, Stamp: &stamp}
	sameRecord(t, r, want)

	var raw map[string]any
	if err := json.Unmarshal(JSON(ev), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"from", "to", "peer", "id", "origin_id", "body", "stamp", "outgoing"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("message JSON lacks %q: %v", k, raw)
		}
	}
	if raw["stamp"] != "2024-04-30T08:15:00Z" || raw["outgoing"] != true {
		t.Errorf("stamp %v outgoing %v", raw["stamp"], raw["outgoing"])
	}
}

func TestJSONConnectionFields(t *testing.T) {
	online := decode(t, JSON(event.ConnState{Header: hdr(me), State: event.Online, JID: me + "/laptop",
		Mechanism: "SCRAM-SHA-256", Server: "xmpp.example.org:5222", TLS: "TLS 1.3, STARTTLS"}))
	if online.State != "online" || online.JID != me+"/laptop" || online.Mechanism != "SCRAM-SHA-256" ||
		online.TLS != "TLS 1.3, STARTTLS" || online.Server != "xmpp.example.org:5222" || online.Fatal {
		t.Errorf("online record = %+v", online)
	}
	retry := decode(t, JSON(event.ConnState{Header: hdr(me), State: event.Reconnecting, Retry: 2500 * time.Millisecond, Err: "EOF"}))
	if retry.State != "reconnecting" || retry.Retry != 2.5 || retry.Error != "EOF" {
		t.Errorf("reconnecting record = %+v", retry)
	}
	fatal := decode(t, JSON(event.ConnState{Header: hdr(me), State: event.Offline, Err: "not-authorized", Fatal: true}))
	if fatal.State != "offline" || !fatal.Fatal || fatal.Error != "not-authorized" {
		t.Errorf("fatal record = %+v", fatal)
	}
}

func TestJSONPresenceAvailablePresent(t *testing.T) {
	for _, avail := range []bool{true, false} {
		out := JSON(event.Presence{Header: hdr(me), From: "bob@example.org/phone", Available: avail})
		var raw map[string]any
		if err := json.Unmarshal(out, &raw); err != nil {
			t.Fatal(err)
		}
		if v, ok := raw["available"]; !ok || v != avail {
			t.Errorf("available=%v: JSON has available %v (present %v): %s", avail, v, ok, out)
		}
	}
	r := decode(t, JSON(event.Presence{Header: hdr(me), From: "bob@example.org/phone", Available: true,
		Show: "dnd", Status: "busy", Priority: -5}))
	if r.Available == nil || !*r.Available || r.Show != "dnd" || r.Status != "busy" || r.Priority != -5 {
		t.Errorf("presence record = %+v", r)
	}
	// Other kinds carry no available field at all.
	if bytes.Contains(JSON(event.Info{Header: hdr(me), Text: "x"}), []byte("available")) {
		t.Error("info JSON has an available field")
	}
}

func TestJSONRosterItems(t *testing.T) {
	items := []event.RosterItem{
		{JID: "bob@example.org", Name: "Bob", Subscription: "both", Groups: []string{"Friends", "Work"}},
		{JID: "carol@example.org", Subscription: "none", Ask: "subscribe"},
	}
	r := decode(t, JSON(event.Roster{Header: hdr(me), Version: "v3", Items: items}))
	if !reflect.DeepEqual(r.Items, items) || r.Version != "v3" || r.Unchanged {
		t.Errorf("roster record = %+v", r)
	}
	if !strings.Contains(string(JSON(event.Roster{Header: hdr(me), Items: items})), `"items":[{"jid":"bob@example.org"`) {
		t.Error("roster items not under \"items\" with \"jid\" keys")
	}
	u := decode(t, JSON(event.Roster{Header: hdr(me), Version: "v3", Unchanged: true}))
	if !u.Unchanged || u.Items != nil {
		t.Errorf("unchanged roster record = %+v", u)
	}
	p := decode(t, JSON(event.RosterPush{Header: hdr(me), Version: "v4", Item: items[0]}))
	if p.Item == nil || !reflect.DeepEqual(*p.Item, items[0]) || p.Version != "v4" || p.Kind != "roster-push" {
		t.Errorf("push record = %+v", p)
	}
}

func TestJSONErrorAndInfo(t *testing.T) {
	e := decode(t, JSON(event.Error{Header: hdr(me), Context: "send", Text: "boom", From: "bob@example.org"}))
	if e.Kind != "error" || e.Context != "send" || e.Text != "boom" || e.From != "bob@example.org" {
		t.Errorf("error record = %+v", e)
	}
	i := decode(t, JSON(event.Info{Header: hdr(""), Text: "a\nb"}))
	if i.Kind != "info" || i.Text != "a\nb" || i.Account != "" {
		t.Errorf("info record = %+v", i)
	}
	s := decode(t, JSON(event.Subscription{Header: hdr(me), From: "bob@example.org", Type: "subscribe", Status: "hi"}))
	if s.From != "bob@example.org" || s.Type != "subscribe" || s.Status != "hi" {
		t.Errorf("subscription record = %+v", s)
	}
}

func TestJSONEscapesDeprecatedFormatControls(t *testing.T) {
	out := JSON(event.Info{Header: hdr(me), Text: "a\u206ab\u206fc"})
	if !bytes.Contains(out, []byte(`a\u206ab\u206fc`)) {
		t.Errorf("U+206A/U+206F not escaped: %s", out)
	}
}

func TestJSONInvalidUTF8BecomesReplacement(t *testing.T) {
	r := decode(t, JSON(event.Info{Header: hdr(me), Text: "a\xffb\xc2"}))
	if r.Text != "a\uFFFDb\uFFFD" {
		t.Errorf("text = %q, want each bad byte as U+FFFD", r.Text)
	}
}

func TestJSONKeepsSafeUnicodeRaw(t *testing.T) {
	text := "Zoë 你好 👨\u200D👩\u200D👧 مرحبا <a&b>"
	out := JSON(event.Info{Header: hdr(me), Text: text})
	if !bytes.Contains(out, []byte(text)) {
		t.Errorf("safe text was escaped: %s", out)
	}
	if r := decode(t, out); r.Text != text {
		t.Errorf("text = %q", r.Text)
	}
	// Bidi marks are escaped (cheaply, to be safe) but come back intact.
	marks := "\u200fשלום\u200e \u061c"
	if r := decode(t, JSON(event.Info{Header: hdr(me), Text: marks})); r.Text != marks {
		t.Errorf("marks = %q, want %q", r.Text, marks)
	}
}

func TestJSONUnencodableTimeStillOneLine(t *testing.T) {
	ev := event.Info{Header: event.Header{Time: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), Account: me}, Text: "x"}
	r := decode(t, JSON(ev))
	if r.Kind != "error" || !strings.Contains(r.Text, "year outside of range") {
		t.Errorf("record = %+v, want an error record", r)
	}
}

func FuzzJSON(f *testing.F) {
	for _, s := range []string{evil, "", "plain", "a\nb", "\u2028\u2029", "\x7f\u0080\u009f\u00a0", "\xff\xfe", `"\u001b"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ev := typicalMessage()
		ev.Body = s
		r := decode(t, JSON(ev))
		want := s
		if !utf8.ValidString(s) {
			want = string([]rune(s)) // encoding/json turns each bad byte into U+FFFD
		}
		if r.Body != want {
			t.Fatalf("body %q came back as %q, want %q", s, r.Body, want)
		}
		for _, other := range allEvents(s) {
			got := decode(t, JSON(other))
			if got.Account != want && other.Head().Account != "" {
				t.Fatalf("%s: account %q came back as %q", other.Kind(), s, got.Account)
			}
		}
	})
}

var jsonSink []byte

func BenchmarkJSON(b *testing.B) {
	ev := typicalMessage()
	b.ReportAllocs()
	for b.Loop() {
		jsonSink = JSON(ev)
	}
}
