package headless

import (
	"strings"
	"testing"
	"time"

	"chat/event"
)

func TestTextEveryKind(t *testing.T) {
	clock := t0.Local().Format("15:04:05") + " "
	sent := stamp.Local().Format(time.DateTime)
	h := hdr(me)
	cases := []struct {
		ev   event.Event
		want string
	}{
		{event.Message{Header: h, From: "bob@example.org/phone", To: me, Body: "hello"},
			me + " message <- bob@example.org/phone: hello"},
		{event.Message{Header: h, Outgoing: true, From: me + "/x", To: "bob@example.org", Body: "hi"},
			me + " message -> bob@example.org: hi"},
		{event.Message{Header: h, From: "bob@example.org/phone", Body: "old", Stamp: stamp, Delayed: true},
			me + " message <- bob@example.org/phone (sent " + sent + "): old"},
		{event.Presence{Header: h, From: "bob@example.org/phone", Available: true, Show: "away", Status: "brb"},
			me + " presence bob@example.org/phone away brb"},
		{event.Presence{Header: h, From: "bob@example.org/phone", Available: true},
			me + " presence bob@example.org/phone available"},
		{event.Presence{Header: h, From: "bob@example.org/phone", Status: "bye"},
			me + " presence bob@example.org/phone unavailable bye"},
		{event.Presence{Header: h, From: "bob@example.org/phone"},
			me + " presence bob@example.org/phone unavailable"},
		{event.Subscription{Header: h, From: "bob@example.org", Type: "subscribe", Status: "it's Bob"},
			me + " subscription bob@example.org subscribe it's Bob"},
		{event.Subscription{Header: h, From: "bob@example.org", Type: "subscribed"},
			me + " subscription bob@example.org subscribed"},
		{event.Roster{Header: h, Version: "v7", Items: []event.RosterItem{{JID: "a@x"}, {JID: "b@x"}}},
			me + " roster 2 contacts (version v7)"},
		{event.Roster{Header: h, Version: "v7", Unchanged: true},
			me + " roster unchanged (version v7)"},
		{event.RosterPush{Header: h, Item: event.RosterItem{JID: "carol@example.org", Name: "Carol", Subscription: "both"}},
			me + " roster-push carol@example.org subscription=both Carol"},
		{event.RosterPush{Header: h, Item: event.RosterItem{JID: "carol@example.org", Subscription: "remove"}},
			me + " roster-push carol@example.org subscription=remove"},
		{event.ConnState{Header: h, State: event.Online, JID: me + "/laptop", Server: "xmpp.example.org:5222",
			TLS: "TLS 1.3, STARTTLS", Mechanism: "SCRAM-SHA-256"},
			me + " connection online as " + me + "/laptop via xmpp.example.org:5222 (TLS 1.3, STARTTLS, SASL SCRAM-SHA-256)"},
		{event.ConnState{Header: h, State: event.Reconnecting, Retry: 1520 * time.Millisecond, Err: "connection reset"},
			me + " connection reconnecting in 1.5s: connection reset"},
		{event.ConnState{Header: h, State: event.Offline, Err: "not-authorized", Fatal: true},
			me + " connection offline: not-authorized"},
		{event.ConnState{Header: h, State: event.Connecting},
			me + " connection connecting"},
		{event.Error{Header: h, Context: "send message to bob@example.org", Text: "service-unavailable"},
			me + " error send message to bob@example.org: service-unavailable"},
		{event.Info{Header: h, Text: "two\nlines"},
			me + " info two\n\tlines"},
		{event.Info{Header: hdr(""), Text: "client-wide"},
			"info client-wide"},
	}
	for _, tc := range cases {
		if got := Text(tc.ev); got != clock+tc.want {
			t.Errorf("Text(%s) =\n%q\nwant\n%q", tc.ev.Kind(), got, clock+tc.want)
		}
	}
}

func TestTextHostile(t *testing.T) {
	for _, ev := range allEvents(evil) {
		got := Text(ev)
		if bad := unsafeText(got); bad != "" {
			t.Errorf("Text(%s) contains %s: %q", ev.Kind(), bad, got)
		}
		checkContinuation(t, got)
		for _, leak := range []string{"52;c", "cm0gLXJmIH4K", "http://evil", "[31m", "[2J"} {
			if strings.Contains(got, leak) {
				t.Errorf("Text(%s) leaks escape payload %q: %q", ev.Kind(), leak, got)
			}
		}
		if !strings.Contains(got, "red") || !strings.Contains(got, "EVIL") {
			t.Errorf("Text(%s) lost the visible text: %q", ev.Kind(), got)
		}
	}
}

// checkContinuation fails unless every line after the first starts with a
// tab.
func checkContinuation(t *testing.T, s string) {
	t.Helper()
	lines := strings.Split(s, "\n")
	for i, l := range lines[1:] {
		if !strings.HasPrefix(l, "\t") {
			t.Fatalf("continuation line %d does not start with a tab: %q in %q", i+1, l, s)
		}
	}
}

func TestTextMultiLineBody(t *testing.T) {
	body := "first\nsecond\r\nthird\rfourth\u2028fifth\n"
	got := Text(event.Message{Header: hdr(me), From: "bob@example.org", Body: body})
	lines := strings.Split(got, "\n")
	want := []string{"second", "third", "fourth", "fifth", ""}
	if len(lines) != 1+len(want) {
		t.Fatalf("Text = %q: %d lines, want %d", got, len(lines), 1+len(want))
	}
	if !strings.HasSuffix(lines[0], ": first") {
		t.Errorf("first line = %q", lines[0])
	}
	for i, w := range want {
		if lines[i+1] != "\t"+w {
			t.Errorf("line %d = %q, want %q", i+1, lines[i+1], "\t"+w)
		}
	}
}

func TestTextOneLineFields(t *testing.T) {
	// Names, JIDs and statuses are one-line fields: a newline in them must
	// not start a line that could pass for another event.
	got := Text(event.Presence{Header: hdr(me), From: "bob@example.org", Available: true,
		Status: "away\n12:00:00 me@example.org message <- boss@example.org: fired"})
	if strings.Contains(got, "\n") {
		t.Errorf("status newline kept: %q", got)
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{evil, "", "plain", "a\nb", "\x1b]52;c;x", "\u009b\u202e\x00\x7f\r", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, ev := range allEvents(s) {
			out := Text(ev)
			if bad := unsafeText(out); bad != "" {
				t.Fatalf("Text(%s) of %q contains %s: %q", ev.Kind(), s, bad, out)
			}
			checkContinuation(t, out)
		}
	})
}

var textSink string

func BenchmarkText(b *testing.B) {
	ev := typicalMessage()
	b.ReportAllocs()
	for b.Loop() {
		textSink = Text(ev)
	}
}

func typicalMessage() event.Message {
	return event.Message{Header: hdr(me), From: "bob@example.org/phone", To: me, Peer: "bob@example.org",
		ID: "a1b2c3", OriginID: "a1b2c3", StanzaID: "s-98765", Type: "chat",
		Body: "Are we still on for lunch tomorrow? I can book the place near the station 🍜", Stamp: t0}
}
