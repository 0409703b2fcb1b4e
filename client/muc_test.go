package client

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"chat/event"
	"chat/muc"
	"chat/server"

	"mellium.im/xmpp/jid"
)

// The room tests run the same scenario on the embedded server and on
// Prosody: two of our engines in one room.

func TestRoomEmbedded(t *testing.T) {
	es := startEmbedded(t)
	alice, bob := es.peer(t, "alice"), es.peer(t, "bob")
	roomScenario(t, alice, bob, "conference.localhost")
}

func TestRoomProsody(t *testing.T) {
	alice, bob := newPeer(t), newPeer(t)
	roomScenario(t, alice, bob, srv.MUCDomain())
}

func isRoomJoined(room string) func(event.Event) bool {
	return func(ev event.Event) bool { j, ok := ev.(event.RoomJoined); return ok && j.Room == room }
}

func isOccupant(room, nick, change string) func(event.Event) bool {
	return func(ev event.Event) bool {
		o, ok := ev.(event.Occupant)
		return ok && o.Room == room && o.Nick == nick && o.Change == change
	}
}

func isRoomMessage(room, nick, body string) func(event.Event) bool {
	return func(ev event.Event) bool {
		m, ok := ev.(event.Message)
		return ok && m.Room == room && m.Nick == nick && m.Body == body
	}
}

// join makes p join room as nick and waits until it is in.
func (p *peer) join(room, nick string) {
	p.t.Helper()
	if err := p.e.JoinRoom(room, nick, ""); err != nil {
		p.t.Fatalf("%s joins %s: %v", p.jid, room, err)
	}
	p.expect("joined "+room, isRoomJoined(room))
}

// count reads p's events up to the first one stop accepts and counts
// those match accepts.
func (p *peer) countUntil(match, stop func(event.Event) bool) int {
	p.t.Helper()
	n := 0
	p.expect("the end marker", func(ev event.Event) bool {
		if match(ev) {
			n++
		}
		return stop(ev)
	})
	return n
}

func roomScenario(t *testing.T, alice, bob *peer, service string) {
	room := fmt.Sprintf("room%s@%s", strings.ToLower(randomID()[:8]), service)
	alice.online()
	bob.online()
	alice.join(room, "Alice")
	bob.join(room, "Bob")
	alice.expect("Bob comes in", isOccupant(room, "Bob", event.OccupantJoined))
	if v, ok := bob.e.Room(room); !ok || len(v.Groups) == 0 {
		t.Fatalf("bob's view of the room: %+v", v)
	} else if n := occupants(v); n != 2 {
		t.Fatalf("bob sees %d occupants, want 2: %+v", n, v.Groups)
	}

	// A message reaches both; ours is reported once (the reflection is not).
	sent, err := alice.e.SayInRoom(room, "hello room")
	if err != nil || !sent.Outgoing || sent.Room != room {
		t.Fatalf("say: %+v, %v", sent, err)
	}
	bob.expect("alice's message", isRoomMessage(room, "Alice", "hello room"))
	if _, err := alice.e.SayInRoom(room, "marker"); err != nil {
		t.Fatal(err)
	}
	bob.expect("marker", isRoomMessage(room, "Alice", "marker"))
	if _, err := bob.e.SayInRoom(room, "end"); err != nil {
		t.Fatal(err)
	}
	if n := alice.countUntil(isRoomMessage(room, "Alice", "hello room"), isRoomMessage(room, "Bob", "end")); n != 0 {
		t.Fatalf("alice was shown her own message %d more times", n)
	}

	// Subject.
	if err := alice.e.SetRoomSubject(room, "the topic"); err != nil {
		t.Fatal(err)
	}
	bob.expect("the subject", func(ev event.Event) bool {
		s, ok := ev.(event.RoomSubject)
		return ok && s.Room == room && s.Subject == "the topic" && s.Nick == "Alice"
	})

	// Nick change, seen by the other.
	if err := bob.e.RoomNick(room, "Robert"); err != nil {
		t.Fatal(err)
	}
	alice.expect("bob's new nick", func(ev event.Event) bool {
		o, ok := ev.(event.Occupant)
		return ok && o.Room == room && o.Nick == "Bob" && o.Change == event.OccupantNick && o.NewNick == "Robert"
	})
	bob.expect("our own new nick", func(ev event.Event) bool {
		o, ok := ev.(event.Occupant)
		return ok && o.Self && o.Change == event.OccupantNick && o.NewNick == "Robert"
	})

	// A private message through the room.
	if _, err := bob.e.SayPrivately(room+"/Alice", "psst"); err != nil {
		t.Fatal(err)
	}
	alice.expect("the private message", func(ev event.Event) bool {
		m, ok := ev.(event.Message)
		return ok && m.Type == "chat" && m.Room == room && m.Nick == "Robert" && m.Body == "psst" && m.Peer == room+"/Robert"
	})

	// Alice created the room, so she owns it: she kicks Bob, both see it,
	// and Bob carries on and comes back.
	roomJID := jid.MustParse(room)
	if err := alice.e.RoomRequest(muc.Kick(roomJID, "Robert", "enough"), "kick"); err != nil {
		t.Fatal(err)
	}
	bob.expect("we were kicked", func(ev event.Event) bool {
		l, ok := ev.(event.RoomLeft)
		return ok && l.Room == room && l.Why == event.Kicked && l.Reason == "enough" && l.Text != ""
	})
	alice.expect("bob kicked", isOccupant(room, "Robert", event.OccupantKicked))
	if bob.e.InRoom(room) {
		t.Fatal("bob is still in the room after the kick")
	}
	bob.join(room, "Bob")
	alice.expect("Bob back", isOccupant(room, "Bob", event.OccupantJoined))
	if _, err := bob.e.SayInRoom(room, "back again"); err != nil {
		t.Fatal(err)
	}
	alice.expect("bob speaks again", isRoomMessage(room, "Bob", "back again"))

	// Leaving.
	if err := bob.e.LeaveRoom(room, "bye"); err != nil {
		t.Fatal(err)
	}
	bob.expect("we left", func(ev event.Event) bool {
		l, ok := ev.(event.RoomLeft)
		return ok && l.Room == room && l.Why == event.LeftByUs
	})
	alice.expect("bob left", isOccupant(room, "Bob", event.OccupantLeft))
}

func occupants(v RoomView) int {
	n := 0
	for _, g := range v.Groups {
		n += len(g.Occupants)
	}
	return n
}

// After the connection is lost, the engine rejoins its rooms by itself
// when it has to bind afresh (here the server keeps no session to resume);
// a quiet room is self-pinged and found still joined.
func TestRoomRejoinAndSelfPing(t *testing.T) {
	es := startEmbedded(t, func(c *server.Config) { c.ResumeTimeout = time.Nanosecond })
	alice, online := roomAfterCut(t, es)
	if online.Resumed {
		t.Fatal("resumed although the server keeps no session")
	}
	alice.expect("rejoined", isRoomJoined(rejoinRoom))
	bobSpeaks(t, es)
	alice.expect("bob's message", isRoomMessage(rejoinRoom, "Bob", "after the cut"))
}

// When the stream is resumed (XEP-0198) the server kept us in the room:
// nothing is rejoined and the room's messages still arrive.
func TestRoomKeptAcrossResume(t *testing.T) {
	es := startEmbedded(t)
	alice, online := roomAfterCut(t, es)
	if !online.Resumed {
		t.Fatal("the stream was not resumed")
	}
	bobSpeaks(t, es)
	if n := alice.countUntil(isRoomJoined(rejoinRoom), isRoomMessage(rejoinRoom, "Bob", "after the cut")); n != 0 {
		t.Errorf("the room was joined again %d times after a resume", n)
	}
}

const rejoinRoom = "rejoin@conference.localhost"

// roomAfterCut has alice join rejoinRoom, see a self-ping answered, lose
// her connection and come back online.
func roomAfterCut(t *testing.T, es *embedded) (*peer, event.ConnState) {
	t.Helper()
	alice := es.peer(t, "alice")
	alice.e.rooms.quiet = 20 * time.Millisecond
	alice.online()
	alice.join(rejoinRoom, "Alice")
	alice.expect("a self-ping answered", func(ev event.Event) bool {
		n, ok := ev.(event.RoomNotice)
		return ok && n.Room == rejoinRoom && n.What == event.NoticeStillJoined
	})
	alice.e.current().fail(errors.New("cut by the test"))
	online := alice.expect("reconnected", isConn(event.Online)).(event.ConnState)
	return alice, online
}

// bobSpeaks has bob join rejoinRoom and say "after the cut".
func bobSpeaks(t *testing.T, es *embedded) {
	t.Helper()
	bob := es.peer(t, "bob")
	bob.online()
	bob.join(rejoinRoom, "Bob")
	if _, err := bob.e.SayInRoom(rejoinRoom, "after the cut"); err != nil {
		t.Fatal(err)
	}
}

func TestRoomEjabberd(t *testing.T) {
	s := ejabberdServer(t)
	alice, bob := newEjabberdPeer(t, s), newEjabberdPeer(t, s)
	roomScenario(t, alice, bob, s.MUCDomain())
}
