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

func TestEchoesOverTheEmbeddedServer(t *testing.T) {
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
	go Run(ctx, cfg("echo", "e"))

	events := make(chan event.Event, 64)
	me, err := client.New(cfg("me", "m"), events)
	if err != nil {
		t.Fatal(err)
	}
	me.Connect()
	defer me.Disconnect()
	deadline := time.After(10 * time.Second)
	sent := false
	for {
		select {
		case ev := <-events:
			switch e := ev.(type) {
			case event.Roster:
				if !sent {
					sent = true
					// The bot may not be online yet: resend until it answers.
					go func() {
						for i := 0; i < 50 && ctx.Err() == nil; i++ {
							me.SendMessage(client.OutMessage{To: "echo@localhost", Body: "ping"})
							time.Sleep(100 * time.Millisecond)
						}
					}()
				}
			case event.Message:
				if !e.Outgoing && e.Body == "echo: ping" && e.Peer == "echo@localhost" {
					return
				}
			}
		case <-deadline:
			t.Fatal("no echo")
		}
	}
}
