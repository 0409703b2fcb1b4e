package headless

import (
	"reflect"
	"strings"
	"testing"

	"chat/event"
)

// protoEvents are the protocol events, with s in every text field (part
// of allEvents, so the hostile, round-trip and fuzz tests cover them).
func protoEvents(s string) []event.Event {
	h := hdr(s)
	return []event.Event{
		event.Message{Header: h, From: s, Peer: s, ID: s, Body: s, Replaces: s, Receipt: true, Markable: true, Stamp: stamp},
		event.Caps{Header: h, From: s, Node: s, Ver: s,
			Identities: []event.Identity{{Category: s, Type: s, Lang: s, Name: s}}, Features: []string{s, "urn:xmpp:ping"}},
		event.ChatState{Header: h, From: s, Peer: s, State: s},
		event.Receipt{Header: h, From: s, Peer: s, ID: s, Marker: s, Receipt: true},
		event.Blocklist{Header: h, Blocked: []string{s, "b@example.org"}, Unblocked: []string{s}, UnblockedAll: true},
		event.Nick{Header: h, From: s, Nick: s},
		event.Nick{Header: h, From: s},
	}
}

// TestJSONProtocolFields: each protocol event carries its own fields in
// --json, under stable names.
func TestJSONProtocolFields(t *testing.T) {
	ids := []event.Identity{{Category: "client", Type: "pc", Name: "Gajim"}}
	cases := []struct {
		ev   event.Event
		want ProtoFields
		from string
	}{
		{event.Caps{Header: hdr(me), From: "bob@example.org/pc", Node: "https://gajim.org", Ver: "v1=", Identities: ids,
			Features: []string{"urn:xmpp:receipts"}},
			ProtoFields{Node: "https://gajim.org", Ver: "v1=", Identities: ids, Features: []string{"urn:xmpp:receipts"}}, "bob@example.org/pc"},
		{event.Receipt{Header: hdr(me), From: "bob@example.org/pc", Peer: "bob@example.org", ID: "m1", Marker: "displayed"},
			ProtoFields{Marker: "displayed"}, "bob@example.org/pc"},
		{event.Blocklist{Header: hdr(me), Blocked: []string{"spam@example.net"}, UnblockedAll: true},
			ProtoFields{Blocked: []string{"spam@example.net"}, UnblockedAll: true}, ""},
		{event.Nick{Header: hdr(me), From: "bob@example.org", Nick: "Bobby"}, ProtoFields{}, "bob@example.org"},
		{event.Message{Header: hdr(me), From: "bob@example.org/pc", Body: "fixed", Replaces: "m1", Markable: true},
			ProtoFields{Replaces: "m1", Markable: true}, "bob@example.org/pc"},
	}
	if r := decode(t, JSON(event.Nick{Header: hdr(me), From: "bob@example.org", Nick: "Bobby"})); r.Nick != "Bobby" {
		t.Errorf("nick event: nick %q, want Bobby", r.Nick)
	}
	for _, tc := range cases {
		r := decode(t, JSON(tc.ev))
		if !reflect.DeepEqual(r.ProtoFields, tc.want) || r.From != tc.from {
			t.Errorf("%s: fields %+v from %q, want %+v from %q", tc.ev.Kind(), r.ProtoFields, r.From, tc.want, tc.from)
		}
	}
	r := decode(t, JSON(event.ChatState{Header: hdr(me), From: "bob@example.org/pc", Peer: "bob@example.org", State: event.Composing}))
	if r.Kind != "chatstate" || r.State != "composing" || r.Peer != "bob@example.org" {
		t.Errorf("chat state record %+v", r)
	}
	if strings.Contains(string(JSON(event.Info{Header: hdr(me), Text: "x"})), "node") {
		t.Error("an info record carries protocol fields")
	}
}

func TestTextProtocolEvents(t *testing.T) {
	cases := []struct {
		ev   event.Event
		want string
	}{
		{event.ChatState{Header: hdr(me), From: "bob@example.org/pc", State: event.Composing}, "chatstate bob@example.org/pc composing"},
		{event.Receipt{Header: hdr(me), From: "bob@example.org/pc", ID: "m1", Marker: "received", Receipt: true}, "receipt bob@example.org/pc received m1"},
		{event.Blocklist{Header: hdr(me), Blocked: []string{"a@x.org", "b@x.org"}}, "blocklist blocked a@x.org, b@x.org"},
		{event.Nick{Header: hdr(me), From: "bob@example.org", Nick: "Bobby"}, "nick bob@example.org is Bobby"},
		{event.Message{Header: hdr(me), From: "bob@example.org/pc", Body: "fixed", Replaces: "m1"}, "<- bob@example.org/pc (correction of m1): fixed"},
	}
	for _, tc := range cases {
		if got := Text(tc.ev); !strings.HasSuffix(got, tc.want) {
			t.Errorf("Text(%s) = %q, want it to end with %q", tc.ev.Kind(), got, tc.want)
		}
	}
}
