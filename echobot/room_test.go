package echobot

import (
	"context"
	"crypto/x509"
	"testing"
	"time"

	"chat/client"
	"chat/event"
	"chat/server"

	"mellium.im/xmpp/jid"
)

// The bot sits in a room and answers there only when named.
func TestAnswersInRoomWhenNamed(t *testing.T) {
	srv, err := server.New(server.Config{Listen: "127.0.0.1:0", Users: map[string]string{"echo": "e", "me": "m"}, AuthFailureDelay: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ctx)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(srv.CertPEM())
	cfg := func(user, pass string) client.Config {
		return client.Config{JID: jid.MustParse(user + "@localhost"), Password: pass, Server: srv.Addr().String(),
			TLS: client.TLSPolicy{Roots: pool}}
	}
	const room = "lobby@conference.localhost"
	botDone := make(chan struct{})
	go func() { defer close(botDone); Run(ctx, cfg("echo", "e"), room) }()
	defer func() { cancel(); <-botDone }()

	events := make(chan event.Event, 256)
	me, err := client.New(cfg("me", "m"), events)
	if err != nil {
		t.Fatal(err)
	}
	me.Connect()
	defer me.Disconnect()
	deadline := time.After(15 * time.Second)
	next := func() event.Event {
		select {
		case ev := <-events:
			return ev
		case <-deadline:
			t.Fatal("timed out")
			return nil
		}
	}
	for ev := next(); ; ev = next() {
		if c, ok := ev.(event.ConnState); ok && c.State == event.Online {
			if err := me.JoinRoom(room, "me", ""); err != nil {
				t.Fatal(err)
			}
		}
		if e, ok := ev.(event.RoomError); ok && e.Room == room {
			// The bot was creating the room as we came: try again.
			if err := me.JoinRoom(room, "me", ""); err != nil {
				t.Fatal(err)
			}
		}
		if o, ok := ev.(event.Occupant); ok && o.Room == room && o.Nick == Nick && o.Change == event.OccupantJoined {
			break // the bot is in (already, or it came in after us)
		}
	}
	for _, body := range []string{"not for the bot", "hello echo"} {
		if _, err := me.SayInRoom(room, body); err != nil {
			t.Fatal(err)
		}
	}
	for ev := next(); ; ev = next() {
		if m, ok := ev.(event.Message); ok && m.Room == room && m.Nick == Nick {
			if m.Body != "me: "+Reply("hello echo") {
				t.Fatalf("the bot said %q", m.Body)
			}
			return
		}
	}
}
