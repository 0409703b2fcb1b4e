package client

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"chat/event"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/jid"
)

func TestLoginBindsRequestedResourceWithSCRAM(t *testing.T) {
	p := newPeer(t)
	c := p.online()
	if c.JID != p.jid+"/test" {
		t.Errorf("bound JID = %q, want %q (the requested resource)", c.JID, p.jid+"/test")
	}
	if !strings.HasPrefix(c.Mechanism, "SCRAM-SHA-") {
		t.Errorf("SASL mechanism = %q, want a SCRAM one", c.Mechanism)
	}
	if !strings.Contains(c.TLS, "STARTTLS") {
		t.Errorf("TLS = %q, want STARTTLS", c.TLS)
	}
	r := p.expect("roster", func(ev event.Event) bool { _, ok := ev.(event.Roster); return ok }).(event.Roster)
	if len(r.Items) != 0 || r.Unchanged {
		t.Errorf("new account roster = %+v, want empty and fetched", r)
	}
}

func TestSubscriptionPresenceAndMessages(t *testing.T) {
	alice, bob := newPeer(t), newPeer(t)
	alice.online()
	bob.online()
	subscribeAndChat(t, alice, bob)
}

// subscribeAndChat is the conversation every server must carry: a roster
// push after RosterSet, a subscription both ways, presence both ways, and
// messages both ways with their origin-id.
func subscribeAndChat(t *testing.T, alice, bob *peer) {
	t.Helper()
	if err := alice.e.RosterSet(event.RosterItem{JID: bob.jid, Name: "Bob", Groups: []string{"Friends"}}); err != nil {
		t.Fatal(err)
	}
	push := alice.expect("roster push for bob", func(ev event.Event) bool {
		p, ok := ev.(event.RosterPush)
		return ok && p.Item.JID == bob.jid
	}).(event.RosterPush)
	if push.Item.Name != "Bob" || len(push.Item.Groups) != 1 || push.Item.Groups[0] != "Friends" {
		t.Errorf("push item = %+v, want name Bob in group Friends", push.Item)
	}

	// Both ways: each asks, each approves, so the subscription is "both".
	subscribe(t, alice, bob)
	subscribe(t, bob, alice)
	alice.expect("subscription both", func(ev event.Event) bool {
		p, ok := ev.(event.RosterPush)
		return ok && p.Item.JID == bob.jid && p.Item.Subscription == "both"
	})

	bob.e.SetPresence(Presence{Show: "away", Status: "lunch"})
	alice.expect("bob away", func(ev event.Event) bool {
		p, ok := ev.(event.Presence)
		return ok && strings.HasPrefix(p.From, bob.jid+"/") && p.Show == "away" && p.Status == "lunch"
	})
	alice.e.SetPresence(Presence{Show: "dnd", Status: "busy"})
	bob.expect("alice dnd", func(ev event.Event) bool {
		p, ok := ev.(event.Presence)
		return ok && strings.HasPrefix(p.From, alice.jid+"/") && p.Show == "dnd" && p.Status == "busy"
	})

	sent, err := alice.e.SendMessage(OutMessage{To: bob.jid, Body: "hello bob"})
	if err != nil {
		t.Fatal(err)
	}
	got := bob.expect("message from alice", isMessage(alice.jid, "hello bob")).(event.Message)
	if got.OriginID != sent.OriginID || got.OriginID == "" {
		t.Errorf("origin-id = %q, want %q", got.OriginID, sent.OriginID)
	}
	if got.Type != "chat" || got.Outgoing {
		t.Errorf("received %+v, want incoming chat", got)
	}
	if _, err := bob.e.SendMessage(OutMessage{To: alice.jid + "/test", Body: "hi alice"}); err != nil {
		t.Fatal(err)
	}
	alice.expect("message from bob", isMessage(bob.jid, "hi alice"))
}

func TestWrongPasswordIsFatal(t *testing.T) {
	needProsody(t)
	user, _ := srv.NewUser(t)
	p := newPeerFor(t, user, "not-the-password")
	p.e.Connect()
	c := p.expect("fatal offline", isConn(event.Offline)).(event.ConnState)
	if !c.Fatal || !strings.Contains(c.Err, "wrong JID or password") {
		t.Errorf("state = %+v, want fatal with a wrong-password message", c)
	}
	if p.e.Running() {
		t.Error("engine still running after a fatal login error")
	}
}

func TestUntrustedCertificateShowsFingerprintAndPinWorks(t *testing.T) {
	needProsody(t)
	user, pass := srv.NewUser(t)
	noCA := func(c *Config) { c.TLS = TLSPolicy{Roots: emptyPool()} }
	p := newPeerFor(t, user, pass, noCA)
	p.e.Connect()
	c := p.expect("fatal offline", isConn(event.Offline)).(event.ConnState)
	if !c.Fatal || !strings.Contains(c.Err, srv.Fingerprint()) {
		t.Fatalf("state = %+v, want fatal naming fingerprint %s", c, srv.Fingerprint())
	}
	pinned := newPeerFor(t, user, pass, func(c *Config) {
		c.TLS = TLSPolicy{Roots: emptyPool(), Pins: []string{strings.ToLower(srv.Fingerprint())}}
	})
	pinned.online()
}

func TestRosterVersioning(t *testing.T) {
	needProsody(t)
	user, pass := srv.NewUser(t)
	first := newPeerFor(t, user, pass)
	first.online()
	r := first.expect("roster", func(ev event.Event) bool { _, ok := ev.(event.Roster); return ok }).(event.Roster)
	if r.Version == "" {
		t.Skip("server does not version rosters")
	}
	<-first.e.Disconnect()
	again := newPeerFor(t, user, pass, func(c *Config) { c.RosterVersion = func() string { return r.Version } })
	again.online()
	r2 := again.expect("roster", func(ev event.Event) bool { _, ok := ev.(event.Roster); return ok }).(event.Roster)
	if !r2.Unchanged || r2.Version != r.Version {
		t.Errorf("second fetch = %+v, want unchanged at version %q", r2, r.Version)
	}
}

func TestReconnectAfterServerRestart(t *testing.T) {
	p := newPeer(t)
	p.online()
	if err := srv.Restart(); err != nil {
		t.Fatalf("restart prosody: %v", err)
	}
	p.expect("reconnecting", isConn(event.Reconnecting))
	p.expect("online again", isConn(event.Online))
}

// rawSend writes a stanza on p's live session, for hostile-peer tests.
func rawSend(t *testing.T, p *peer, stanza string) {
	t.Helper()
	s := p.e.current()
	if s == nil {
		t.Fatal("no session")
	}
	d := xmlDecoder(stanza)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.xs.Send(ctx, xmlstream.ReaderFunc(d.Token)); err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("raw send: %v", err)
	}
}

func TestHostileStanzasAreDroppedNotFatal(t *testing.T) {
	alice := newPeer(t, func(c *Config) { c.MaxStanza = 4096 })
	mallory := newPeer(t)
	aliceFull := alice.online().JID
	mallory.online()

	// A roster push from someone other than our server (CVE-2016-9928).
	rawSend(t, mallory, `<iq type='set' id='evil1' to='`+aliceFull+`'><query xmlns='jabber:iq:roster'><item jid='eve@evil.example' name='trust me' subscription='both'/></query></iq>`)
	alice.expect("spoofed push reported", func(ev event.Event) bool {
		e, ok := ev.(event.Error)
		return ok && e.Context == "ignored roster push"
	})

	// An oversized message is dropped, and the session carries on.
	rawSend(t, mallory, `<message type='chat' to='`+aliceFull+`'><body>`+strings.Repeat("A", 10000)+`</body></message>`)
	alice.expect("oversized message dropped", func(ev event.Event) bool {
		e, ok := ev.(event.Error)
		return ok && strings.HasPrefix(e.Context, "dropped message")
	})

	// Far-future and garbage delay stamps do not reorder the conversation.
	for i, stamp := range []string{"2999-01-01T00:00:00Z", "yesterday", "0001-01-01T00:00:00Z"} {
		body := "stamp " + string(rune('a'+i))
		rawSend(t, mallory, `<message type='chat' to='`+aliceFull+`'><body>`+body+`</body><delay xmlns='urn:xmpp:delay' stamp='`+stamp+`'/></message>`)
		m := alice.expect("message with bad stamp", isMessage(mallory.jid, body)).(event.Message)
		if m.Delayed || time.Since(m.Stamp) > time.Minute || m.Stamp.After(time.Now().Add(time.Second)) {
			t.Errorf("stamp %q gave Delayed=%v Stamp=%v; want the receive time", stamp, m.Delayed, m.Stamp)
		}
	}

	// After all that, ordinary chat still works.
	if _, err := mallory.e.SendMessage(OutMessage{To: alice.jid, Body: "still there?"}); err != nil {
		t.Fatal(err)
	}
	alice.expect("normal message after hostile ones", isMessage(mallory.jid, "still there?"))
	if alice.e.current() == nil {
		t.Error("alice lost her session")
	}
}

var _ = jid.MustParse

// subscribe has from ask to see to's presence and to approve.
func subscribe(t *testing.T, from, to *peer) {
	t.Helper()
	if err := from.e.Subscription(to.jid, "subscribe"); err != nil {
		t.Fatal(err)
	}
	to.expect("subscribe from "+from.jid, func(ev event.Event) bool {
		s, ok := ev.(event.Subscription)
		return ok && s.From == from.jid && s.Type == "subscribe"
	})
	if err := to.e.Subscription(from.jid, "subscribed"); err != nil {
		t.Fatal(err)
	}
	from.expect("subscription to "+to.jid, func(ev event.Event) bool {
		p, ok := ev.(event.RosterPush)
		return ok && p.Item.JID == to.jid && (p.Item.Subscription == "to" || p.Item.Subscription == "both")
	})
}
