package ui

import (
	"strings"
	"testing"
	"time"

	"chat/event"
)

// TestNewNetworkTextIsInert: the strings this session's features bring to
// the screen (a room's subject and an occupant's nick, a vCard field or
// disco answer printed as command output, an error text) carry a tview
// URL tag, an underline tag and an 8-bit CSI (C1) sequence: the tags show
// as text, the control sequence is gone, and no cell links anywhere.
func TestNewNetworkTextIsInert(t *testing.T) {
	u, host, sim := newSyncUI(t, 160, 30, "dark")
	const room = "c1@conference.example.net"
	const evil = "[:::https://evil.example/x]X\u009b4mY[::u]Z" // CSI 4 m: underline, in its C1 form
	const shown = "[:::https://evil.example/x]XY[::u]Z"
	h := event.RoomHead{Header: event.At(me), Room: room, Nick: "me", Self: true, Text: "You joined"}
	host.handle(event.RoomJoined{RoomHead: h})
	sh := event.RoomHead{Header: event.At(me), Room: room, Nick: "Eve" + evil, Text: "subject set"}
	host.handle(event.RoomSubject{RoomHead: sh, Subject: "subject " + evil})
	host.handle(event.Message{Header: event.At(me), From: room + "/Eve" + evil, Peer: room, Type: "groupchat",
		Body: "body " + evil, Stamp: time.Now(), Room: room, Nick: "Eve" + evil})
	host.handle(event.Info{Header: event.At(me), Text: "FN: vcard " + evil})
	host.handle(event.Error{Header: event.At(me), Context: "disco", Text: "disco " + evil})
	frameAndDraw(u)
	s := takeShot(sim)
	screen := s.String()
	for _, want := range []string{"subject " + shown, "<Eve" + shown + "> body " + shown} {
		if !strings.Contains(screen, want) {
			t.Errorf("%q not shown as text in the room:\n%s", want, screen)
		}
	}
	if strings.ContainsRune(screen, '\u009b') {
		t.Errorf("a C1 control reached the screen:\n%s", screen)
	}
	noLinks(t, s)
	host.line("/win 1")
	frameAndDraw(u)
	s = takeShot(sim)
	screen = s.String()
	for _, want := range []string{"FN: vcard " + shown, "disco " + shown} {
		if !strings.Contains(screen, want) {
			t.Errorf("%q not shown as text in the console:\n%s", want, screen)
		}
	}
	noLinks(t, s)
}

func noLinks(t *testing.T, s shot) {
	t.Helper()
	for y, row := range s.cells {
		for x, c := range row {
			if l := urlOf(c.Style); l != "" {
				t.Fatalf("cell %d,%d (%q) links to %q:\n%s", x, y, string(c.Runes), l, s.String())
			}
		}
	}
}
