package headless

import (
	"encoding/json"
	"strings"
	"testing"

	"chat/event"
)

// Every room event, and every message through a room, carries the room's
// JID in --json, and its readable line in the text form.
func TestRoomEventsCarryTheRoom(t *testing.T) {
	const room = "lobby@conference.example.net"
	head := event.RoomHead{Header: event.At("me@example.net"), Room: room, Nick: "bob", Text: `"bob" has been kicked`}
	for _, ev := range []event.Event{
		event.RoomJoined{RoomHead: head},
		event.Occupant{RoomHead: head, Change: event.OccupantKicked, Reason: "spam"},
		event.RoomSubject{RoomHead: head, Subject: "s"},
		event.RoomLeft{RoomHead: head, Why: event.Kicked},
		event.RoomError{RoomHead: head, Condition: "forbidden"},
		event.RoomNotice{RoomHead: head, What: event.NoticeInvite},
		event.Message{Header: head.Header, From: room + "/bob", Peer: room, Type: "groupchat", Body: "hi", Room: room, Nick: "bob"},
	} {
		var r map[string]any
		if err := json.Unmarshal(JSON(ev), &r); err != nil {
			t.Fatal(err)
		}
		if r["room"] != room || r["nick"] != "bob" {
			t.Errorf("%s: %v", ev.Kind(), r)
		}
		if _, isMsg := ev.(event.Message); !isMsg && !strings.Contains(Text(ev), room+`: "bob" has been kicked`) {
			t.Errorf("%s as text: %q", ev.Kind(), Text(ev))
		}
	}
	var r Record
	if err := json.Unmarshal(JSON(event.Occupant{RoomHead: head, Change: event.OccupantKicked, Reason: "spam"}), &r); err != nil {
		t.Fatal(err)
	}
	if r.Change != "kicked" || r.Reason != "spam" || r.Kind != "occupant" {
		t.Errorf("%+v", r)
	}
}
