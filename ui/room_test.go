package ui

import (
	"strings"
	"testing"
	"time"

	"chat/event"
)

// A room's buffer: the subject in the title, messages under the sender's
// nick, notices from muc; a nick and a subject made of tview tags are
// shown as text, with no link or colour of theirs.
func TestRoomBufferHostileNick(t *testing.T) {
	u, host, sim := newSyncUI(t, 160, 24, "dark")
	const room = "lobby@conference.example.net"
	const nick = "[red:yellow:b:https://evil.example/n]Eve"
	const subject = "[:::https://evil.example/s]plans[::u]"
	head := func(nick string) event.RoomHead {
		return event.RoomHead{Header: event.At(me), Room: room, Nick: nick}
	}
	h := head("me")
	h.Self, h.Text = true, `You joined "`+room+`" as "me"`
	host.handle(event.RoomJoined{RoomHead: h})
	sh := head(nick)
	sh.Text = "subject set"
	host.handle(event.RoomSubject{RoomHead: sh, Subject: subject})
	host.handle(event.Message{Header: event.At(me), From: room + "/" + nick, Peer: room, Type: "groupchat",
		Body: "hello me", Stamp: time.Now(), Room: room, Nick: nick, Highlight: true})
	kh := head(nick)
	kh.Text = `"` + nick + `" has been kicked`
	host.handle(event.Occupant{RoomHead: kh, Change: event.OccupantKicked})
	frameAndDraw(u)
	s := takeShot(sim)
	screen := s.String()
	for _, want := range []string{room + " as me: " + subject, "<" + nick + "> hello me", `"` + nick + `" has been kicked`} {
		if !strings.Contains(screen, want) {
			t.Errorf("%q not shown as text:\n%s", want, screen)
		}
	}
	for y, row := range s.cells {
		for x, c := range row {
			if u := urlOf(c.Style); u != "" {
				t.Fatalf("cell %d,%d (%q) links to %q:\n%s", x, y, string(c.Runes), u, screen)
			}
		}
	}
}
