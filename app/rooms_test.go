package app

import (
	"context"
	"errors"
	"strings"
	"testing"

	"chat/client"
	"chat/event"
	"chat/muc"

	"mellium.im/xmpp/jid"
)

func isRoomEvent[T event.InRoom](room string, ok func(T) bool) func(event.Event) bool {
	return func(ev event.Event) bool {
		e, is := ev.(T)
		return is && e.RoomJID() == room && (ok == nil || ok(e))
	}
}

func isRoomMsg(room, body string) func(event.Event) bool {
	return func(ev event.Event) bool {
		m, ok := ev.(event.Message)
		return ok && m.Room == room && m.Body == body
	}
}

// Two clients in one Prosody room through the commands: join, plain lines
// to the room, /who, /topic, /kick and a rejoin, and the room's history in
// SQLite (peer the room, from the occupant, de-duplicated).
func TestRoomThroughCommands(t *testing.T) {
	alice, bob := newUser(t), newUser(t)
	fa, fb := start(t, alice), start(t, bob)
	fa.view.expect(t, "alice roster", isRoster(alice.jid))
	fb.view.expect(t, "bob roster", isRoster(bob.jid))
	room := "cmds" + strings.ToLower(randomSuffix()) + "@" + srv.MUCDomain()
	aliceNick := jid.MustParse(alice.jid).Localpart()
	bobNick := jid.MustParse(bob.jid).Localpart()

	fa.app.Queue("/join " + room)
	fa.view.expect(t, "alice in", isRoomEvent[event.RoomJoined](room, nil))
	fb.app.Queue("/join " + strings.TrimSuffix(room, "@"+srv.MUCDomain()) + "/Bob") // the default service
	fb.view.expect(t, "bob in", isRoomEvent(room, func(j event.RoomJoined) bool { return j.Nick == "Bob" }))
	fa.view.expect(t, "bob seen", isRoomEvent(room, func(o event.Occupant) bool { return o.Nick == "Bob" && o.Change == event.OccupantJoined }))

	fa.app.Queue("hello everyone")
	fb.view.expect(t, "alice's line", isRoomMsg(room, "hello everyone"))
	fb.app.Queue("/msg " + room + " hi " + aliceNick)
	fa.view.expect(t, "bob's answer, a highlight", func(ev event.Event) bool {
		m, ok := ev.(event.Message)
		return ok && m.Room == room && m.Nick == "Bob" && m.Highlight
	})

	fb.app.Queue("/msg " + aliceNick + " just between us") // a nick of the open room: a private message
	fa.view.expect(t, "the private message", func(ev event.Event) bool {
		m, ok := ev.(event.Message)
		return ok && m.Type == "chat" && m.Room == room && m.Nick == "Bob" && m.Body == "just between us"
	})
	fb.app.Queue("/who")
	fb.view.expect(t, "/who", isRoomEvent(room, func(n event.RoomNotice) bool {
		return strings.Contains(n.Text, "2 in "+room) && strings.Contains(n.Text, aliceNick) && strings.Contains(n.Text, "Bob")
	}))
	fa.app.Queue("/topic plans for today")
	fb.view.expect(t, "subject", isRoomEvent(room, func(s event.RoomSubject) bool { return s.Subject == "plans for today" }))

	fa.app.Queue("/kick Bob too loud")
	fb.view.expect(t, "kicked", isRoomEvent(room, func(l event.RoomLeft) bool { return l.Why == event.Kicked && l.Reason == "too loud" }))
	fb.app.Queue("/join " + room + "/Bob")
	fb.view.expect(t, "back in", isRoomEvent[event.RoomJoined](room, nil))
	fb.app.Queue("/part " + room + " bye")
	fb.view.expect(t, "left", isRoomEvent(room, func(l event.RoomLeft) bool { return l.Why == event.LeftByUs }))
	_ = bobNick

	fa.quit(t)
	fb.quit(t)
	ctx := context.Background()
	msgs, err := fa.store.Last(ctx, alice.jid, room, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || !msgs[0].Outgoing || msgs[0].Body != "hello everyone" || msgs[1].From != room+"/Bob" {
		t.Fatalf("alice's room history = %+v", msgs)
	}
	msgs, err = fb.store.Last(ctx, bob.jid, room, 10)
	if err != nil {
		t.Fatal(err)
	}
	// Bob's rejoin replayed the room's history: each message is stored once.
	if len(msgs) != 2 || msgs[0].From != room+"/"+aliceNick || msgs[0].Body != "hello everyone" || msgs[0].StanzaID == "" {
		t.Fatalf("bob's room history = %+v", msgs)
	}
}

// roomStub is an engine in one room, lobby@conference.example.org.
type roomStub struct{ stubEngine }

const stubRoom = "lobby@conference.example.org"

var errStub = errors.New("stub")

func (roomStub) JoinRoom(string, string, string) error     { return errStub }
func (roomStub) LeaveRoom(string, string) error            { return errStub }
func (roomStub) RoomNick(string, string) error             { return errStub }
func (roomStub) SetRoomSubject(string, string) error       { return errStub }
func (roomStub) InviteToRoom(string, string, string) error { return errStub }
func (roomStub) SayInRoom(string, string) (event.Message, error) {
	return event.Message{}, errStub
}
func (roomStub) SayPrivately(string, string) (event.Message, error) {
	return event.Message{}, errStub
}
func (roomStub) RoomRequest(muc.IQ, string) error { return errStub }
func (roomStub) RoomItems(context.Context, string) ([]muc.DiscoItem, error) {
	return nil, errStub
}
func (roomStub) Room(r string) (client.RoomView, bool) { return client.RoomView{JID: r}, r == stubRoom }
func (roomStub) InRoom(r string) bool                  { return r == stubRoom }

// A front end switching to a private conversation through a room keeps
// it private: plain lines go to the occupant, not to the room. (SetPeer
// used to strip the nick, so they went to the whole room.)
func TestSetPeerKeepsPrivateConversationThroughRoom(t *testing.T) {
	made := make(chan *roomStub, 1)
	f := offline(t, func(o *Options) {
		o.Passwords = map[string]string{"me@example.org": "x"}
		o.NewEngine = func(_ client.Config, out chan<- event.Event, gone <-chan struct{}) (Engine, error) {
			e := &roomStub{stubEngine{out: out, gone: gone}}
			made <- e
			return e, nil
		}
		o.Commands = []cmd{{Name: "win", MinArgs: 1, MaxArgs: 1, Run: func(a *App, args []string) error {
			a.SetPeer(args[0])
			a.info("", "peer=%s", a.Peer())
			return nil
		}}}
	})
	f.app.Queue("/connect")
	<-made
	f.app.Queue("/win " + stubRoom + "/bob")
	f.view.expect(t, "the private peer", func(ev event.Event) bool {
		i, ok := ev.(event.Info)
		return ok && i.Text == "peer="+stubRoom+"/bob"
	})
	f.app.Queue("/win bob@example.org/phone")
	f.view.expect(t, "a contact's bare JID", func(ev event.Event) bool {
		i, ok := ev.(event.Info)
		return ok && i.Text == "peer=bob@example.org"
	})
}
