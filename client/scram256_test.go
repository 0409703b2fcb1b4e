package client

import (
	"testing"
	"time"

	"chat/event"
	"chat/internal/prosodytest"

	"mellium.im/xmpp/jid"
)

// With plain-stored passwords Prosody also offers SCRAM-SHA-256; the engine
// must prefer it to SCRAM-SHA-1.
func TestPrefersSCRAMSHA256WhenOffered(t *testing.T) {
	needProsody(t)
	plain, err := prosodytest.Start(prosodytest.Options{Auth: "internal_plain"})
	if err != nil {
		t.Fatalf("start a second Prosody: %v", err)
	}
	defer plain.Stop()
	user, pass := plain.NewUser(t)
	ch := make(chan event.Event, 64)
	e, err := New(Config{JID: jid.MustParse(user), Password: pass, Server: plain.Addr(),
		TLS: TLSPolicy{CAFile: plain.CAFile()}}, ch)
	if err != nil {
		t.Fatal(err)
	}
	e.Connect()
	defer func() { <-e.Disconnect() }()
	timeout := time.After(15 * time.Second)
	for {
		select {
		case ev := <-ch:
			c, ok := ev.(event.ConnState)
			if !ok || c.State == event.Connecting {
				continue
			}
			if c.State != event.Online || c.Mechanism != "SCRAM-SHA-256" {
				t.Fatalf("got %+v, want online with SCRAM-SHA-256", c)
			}
			go func() {
				for range ch {
				}
			}()
			return
		case <-timeout:
			t.Fatal("timed out")
		}
	}
}
