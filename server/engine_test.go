package server

import (
	"strings"
	"testing"
	"time"

	"chat/client"
	"chat/event"
)

func TestLoginWithSCRAMBindsRequestedResource(t *testing.T) {
	ts := startServer(t)
	p := ts.peer(t, "alice", "laptop")
	c := p.online()
	if c.JID != "alice@localhost/laptop" {
		t.Errorf("bound JID = %q, want alice@localhost/laptop", c.JID)
	}
	if c.Mechanism != "SCRAM-SHA-256" {
		t.Errorf("mechanism = %q, want SCRAM-SHA-256", c.Mechanism)
	}
	if !strings.Contains(c.TLS, "STARTTLS") || !strings.Contains(c.TLS, "TLS 1.") {
		t.Errorf("TLS = %q, want TLS 1.x over STARTTLS", c.TLS)
	}
	r := p.roster()
	if len(r.Items) != 0 || r.Unchanged {
		t.Errorf("roster of a new account = %+v, want empty and fetched", r)
	}
	if ts.srv.Sessions() != 1 {
		t.Errorf("server has %d sessions, want 1", ts.srv.Sessions())
	}
}

func TestWrongPasswordIsRefused(t *testing.T) {
	ts := startServer(t)
	p := ts.peer(t, "alice", "x", func(c *client.Config) { c.Password = "wrong" })
	p.e.Connect()
	c := p.expect("fatal offline", isConn(event.Offline)).(event.ConnState)
	if !c.Fatal || !strings.Contains(c.Err, "wrong JID or password") {
		t.Errorf("state = %+v, want a fatal wrong-password error", c)
	}
	right := ts.peer(t, "alice", "y") // the right password still works afterwards
	right.online()
}

func TestRosterSetPushesAndMessagesFlow(t *testing.T) {
	ts := startServer(t)
	alice, bob := ts.peer(t, "alice", "a"), ts.peer(t, "bob", "b")
	alice.online()
	alice.roster()
	bob.online()
	bob.roster()

	if err := alice.e.RosterSet(event.RosterItem{JID: bob.jid, Name: "Bob", Groups: []string{"Friends"}}); err != nil {
		t.Fatal(err)
	}
	push := alice.expect("roster push", isPush(bob.jid, "none")).(event.RosterPush)
	if push.Item.Name != "Bob" || len(push.Item.Groups) != 1 || push.Item.Groups[0] != "Friends" || push.Version == "" {
		t.Errorf("push = %+v, want Bob in Friends with a version", push)
	}

	sent, err := alice.e.SendMessage(client.OutMessage{To: bob.jid, Body: "hello bob"})
	if err != nil {
		t.Fatal(err)
	}
	got := bob.expect("message from alice", isMessage(alice.jid, "hello bob")).(event.Message)
	if got.From != "alice@localhost/a" || got.OriginID != sent.OriginID || got.Type != "chat" {
		t.Errorf("bob got %+v, want chat from alice@localhost/a with origin-id %s", got, sent.OriginID)
	}
	if _, err := bob.e.SendMessage(client.OutMessage{To: "alice@localhost/a", Body: "hi alice"}); err != nil {
		t.Fatal(err)
	}
	alice.expect("message from bob", isMessage(bob.jid, "hi alice"))
}

func TestSubscriptionHandshakeBothWaysAndPresence(t *testing.T) {
	ts := startServer(t)
	alice, bob := ts.peer(t, "alice", "a"), ts.peer(t, "bob", "b")
	alice.online()
	alice.roster()
	bob.online()
	bob.roster()

	// alice asks, bob approves: alice is subscribed to bob.
	if err := alice.e.Subscription(bob.jid, "subscribe"); err != nil {
		t.Fatal(err)
	}
	ask := alice.expect("pending out", isPush(bob.jid, "none")).(event.RosterPush)
	if ask.Item.Ask != "subscribe" {
		t.Errorf("push after subscribe = %+v, want ask=subscribe", ask.Item)
	}
	bob.expect("request from alice", isSubscription(alice.jid, "subscribe"))
	if err := bob.e.Subscription(alice.jid, "subscribed"); err != nil {
		t.Fatal(err)
	}
	bob.expect("bob's roster gains alice (from)", isPush(alice.jid, "from"))
	alice.expect("alice subscribed to bob", isPush(bob.jid, "to"))
	alice.expect("subscribed delivered", isSubscription(bob.jid, "subscribed"))
	alice.expect("bob's presence after approval", isPresence(bob.jid+"/b", true))

	// bob asks back, alice approves: both.
	if err := bob.e.Subscription(alice.jid, "subscribe"); err != nil {
		t.Fatal(err)
	}
	alice.expect("request from bob", isSubscription(bob.jid, "subscribe"))
	if err := alice.e.Subscription(bob.jid, "subscribed"); err != nil {
		t.Fatal(err)
	}
	alice.expect("alice both", isPush(bob.jid, "both"))
	bob.expect("bob both", isPush(alice.jid, "both"))
	bob.expect("alice's presence", isPresence(alice.jid+"/a", true))

	// Presence changes reach the subscriber.
	bob.e.SetPresence(client.Presence{Show: "away", Status: "lunch"})
	p := alice.expect("bob away", func(ev event.Event) bool {
		p, ok := ev.(event.Presence)
		return ok && p.From == "bob@localhost/b" && p.Show == "away"
	}).(event.Presence)
	if p.Status != "lunch" {
		t.Errorf("status = %q, want lunch", p.Status)
	}

	// Disconnecting sends unavailable to subscribers.
	<-bob.e.Disconnect()
	alice.expect("bob unavailable", isPresence("bob@localhost/b", false))

	// A new login gets the contact's presence by probe.
	phone := ts.peer(t, "alice", "phone")
	phone.online()
	phone.expect("own other resource's presence", isPresence("alice@localhost/a", true))
}

func TestUnsubscribeAndRosterRemove(t *testing.T) {
	ts := startServer(t)
	alice, bob := ts.peer(t, "alice", "a"), ts.peer(t, "bob", "b")
	alice.online()
	alice.roster()
	bob.online()
	bob.roster()
	// bob pre-approves alice, so alice's request is answered at once.
	if err := bob.e.Subscription(alice.jid, "subscribed"); err != nil {
		t.Fatal(err)
	}
	pre := bob.expect("pre-approval push", isPush(alice.jid, "none")).(event.RosterPush)
	if pre.Item.Ask != "" {
		t.Errorf("pre-approval push = %+v, want no ask", pre.Item)
	}
	if err := alice.e.Subscription(bob.jid, "subscribe"); err != nil {
		t.Fatal(err)
	}
	alice.expect("alice to bob without bob acting", isPush(bob.jid, "to"))
	bob.expect("bob from alice", isPush(alice.jid, "from"))
	alice.expect("bob's presence", isPresence("bob@localhost/b", true))

	if err := alice.e.Subscription(bob.jid, "unsubscribe"); err != nil {
		t.Fatal(err)
	}
	alice.expect("alice none", isPush(bob.jid, "none"))
	bob.expect("bob none", isPush(alice.jid, "none"))
	bob.expect("unsubscribe delivered", isSubscription(alice.jid, "unsubscribe"))
	alice.expect("bob unavailable to alice", isPresence("bob@localhost/b", false))

	if err := bob.e.RosterRemove(alice.jid); err != nil {
		t.Fatal(err)
	}
	bob.expect("removed", isPush(alice.jid, "remove"))
}

func TestOfflineMessageDeliveredWithDelay(t *testing.T) {
	ts := startServer(t)
	alice := ts.peer(t, "alice", "a")
	alice.online()
	if _, err := alice.e.SendMessage(client.OutMessage{To: "bob@localhost", Body: "while you were out"}); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.e.SendMessage(client.OutMessage{To: "bob@localhost/gone", Body: "second"}); err != nil {
		t.Fatal(err)
	}
	alice.sync("alice@localhost/a") // the server has handled both messages
	bob := ts.peer(t, "bob", "b")
	bob.online()
	for _, body := range []string{"while you were out", "second"} {
		m := bob.expect("offline message", isMessage(alice.jid, body)).(event.Message)
		if !m.Delayed || m.Stamp.IsZero() {
			t.Errorf("offline message %q: Delayed=%v Stamp=%v, want a delay stamp", body, m.Delayed, m.Stamp)
		}
	}
}

func TestMessageToUnknownUserAndOtherDomainBounces(t *testing.T) {
	ts := startServer(t)
	alice := ts.peer(t, "alice", "a")
	alice.online()
	if _, err := alice.e.SendMessage(client.OutMessage{To: "nobody@localhost", Body: "x"}); err != nil {
		t.Fatal(err)
	}
	e := alice.expect("error for unknown user", func(ev event.Event) bool { _, ok := ev.(event.Error); return ok }).(event.Error)
	if !strings.Contains(e.Text, "service-unavailable") || e.From != "nobody@localhost" {
		t.Errorf("error = %+v, want service-unavailable from nobody@localhost", e)
	}
	if _, err := alice.e.SendMessage(client.OutMessage{To: "bob@example.org", Body: "x"}); err != nil {
		t.Fatal(err)
	}
	e = alice.expect("error for remote", func(ev event.Event) bool { _, ok := ev.(event.Error); return ok }).(event.Error)
	if !strings.Contains(e.Text, "remote-server-not-found") {
		t.Errorf("error = %+v, want remote-server-not-found", e)
	}
}

func TestSameResourceReplacesOldSession(t *testing.T) {
	ts := startServer(t)
	first := ts.peer(t, "alice", "same", func(c *client.Config) { c.MinBackoff = time.Hour; c.MaxBackoff = time.Hour })
	first.online()
	second := ts.peer(t, "alice", "same")
	second.online()
	c := first.expect("first loses its stream", isConn(event.Reconnecting)).(event.ConnState)
	if !strings.Contains(c.Err, "conflict") {
		t.Errorf("first session ended with %q, want a conflict stream error", c.Err)
	}
	bob := ts.peer(t, "bob", "b")
	bob.online()
	if _, err := bob.e.SendMessage(client.OutMessage{To: "alice@localhost/same", Body: "to the new one"}); err != nil {
		t.Fatal(err)
	}
	second.expect("message on the new session", isMessage(bob.jid, "to the new one"))
}
