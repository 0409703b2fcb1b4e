package headless

import (
	"fmt"
	"testing"
	"time"
	"unicode/utf8"

	"chat/event"
)

const me = "me@example.org"

var (
	t0    = time.Date(2024, 5, 1, 12, 30, 45, 0, time.UTC)
	stamp = time.Date(2024, 4, 30, 8, 15, 0, 0, time.UTC)
)

// evil packs the attacks a contact or server can put in any text field:
// colours, OSC 52 clipboard writes, OSC 8 links, an 8-bit CSI, bidi
// overrides and isolates, NUL, DEL, CR overwrites, C1 NEL, a line
// separator, backspaces, BEL and a vertical tab. It is valid UTF-8, so
// JSON must carry it back exactly.
const evil = "\x1b[31mred\x1b[0m \x1b]52;c;cm0gLXJmIH4K\x07clip " +
	"\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\ \u009b2Jcsi " +
	"\u202eexe.txt \u2067iso\u2069 nul\x00 del\x7f safe\rEVIL " +
	"\u0085nel \u2028sep bs\b\b bel\x07 vt\x0b end"

func hdr(account string) event.Header { return event.Header{Time: t0, Account: account} }

// allEvents returns one event of every kind and variant with s in every
// text field.
func allEvents(s string) []event.Event {
	h := hdr(s)
	return append([]event.Event{
		event.Message{Header: h, From: s, To: s, Peer: s, ID: s, OriginID: s, StanzaID: s, Type: s,
			Thread: s, Subject: s, Body: s, Stamp: stamp, Error: s},
		event.Message{Header: h, Outgoing: true, From: s, To: s, Body: s, Stamp: stamp, Delayed: true},
		event.Presence{Header: h, From: s, Available: true, Show: s, Status: s, Priority: 3},
		event.Presence{Header: h, From: s, Status: s, Error: s},
		event.Subscription{Header: h, From: s, Type: s, Status: s},
		event.Roster{Header: h, Version: s, Items: []event.RosterItem{
			{JID: s, Name: s, Subscription: s, Ask: s, Groups: []string{s, "Friends"}},
		}},
		event.Roster{Header: h, Version: s, Unchanged: true},
		event.RosterPush{Header: h, Version: s, Item: event.RosterItem{JID: s, Name: s, Subscription: s, Groups: []string{s}}},
		event.ConnState{Header: h, State: event.Online, JID: s, Mechanism: s, Server: s, TLS: s},
		event.ConnState{Header: h, State: event.Reconnecting, Retry: 1500 * time.Millisecond, Err: s},
		event.ConnState{Header: h, State: event.Offline, Err: s, Fatal: true},
		event.Error{Header: h, Context: s, Text: s, From: s},
		event.Info{Header: h, Text: s},
		event.Info{Header: hdr(""), Text: s},
	}, protoEvents(s)...)
}

// unsafeText returns a description of the first character in s that a
// terminal could act on, or "" if there is none.
func unsafeText(s string) string {
	if !utf8.ValidString(s) {
		return "invalid UTF-8"
	}
	for i, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' || unsafeRawRune(r) {
			return fmt.Sprintf("%U at byte %d", r, i)
		}
	}
	return ""
}

// unsafeRawRune reports whether r is DEL, a C1 control, a bidi embedding,
// override or isolate, or a line or paragraph separator.
func unsafeRawRune(r rune) bool {
	return r == 0x7f || r >= 0x80 && r <= 0x9f || r >= 0x202a && r <= 0x202e ||
		r >= 0x2066 && r <= 0x2069 || r == 0x2028 || r == 0x2029
}

// unsafeRaw returns a description of the first raw byte or rune in b that
// must not appear in JSON output: any C0 control (newline included, as a
// record is one line), DEL, C1 controls, bidi controls and separators.
func unsafeRaw(b []byte) string {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return fmt.Sprintf("invalid UTF-8 at byte %d", i)
		}
		if r < 0x20 || unsafeRawRune(r) {
			return fmt.Sprintf("raw %U at byte %d", r, i)
		}
		i += n
	}
	return ""
}

func TestHelpersCatchUnsafe(t *testing.T) {
	for _, s := range []string{"\x1b", "\x7f", "\u009b", "\u202e", "\u2066", "\x00", "\r", "\u2028"} {
		if unsafeText("ok"+s) == "" {
			t.Errorf("unsafeText missed %q", s)
		}
		if unsafeRaw([]byte("ok"+s)) == "" {
			t.Errorf("unsafeRaw missed %q", s)
		}
	}
	if unsafeRaw([]byte("a\nb")) == "" {
		t.Error("unsafeRaw missed a newline")
	}
	if got := unsafeText("ok\n\ttab 你好 \u200f"); got != "" {
		t.Errorf("unsafeText flagged safe text: %s", got)
	}
}
