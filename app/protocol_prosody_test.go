package app

import (
	"strings"
	"testing"

	"chat/event"
)

// friends starts two Apps for two new users who see each other's presence
// (and so each other's caps); it returns them with their full JIDs.
func friends(t *testing.T) (fa, fb *fixture, alice, bob user, aliceFull, bobFull string) {
	t.Helper()
	alice, bob = newUser(t), newUser(t)
	fa, fb = start(t, alice), start(t, bob)
	aliceFull = fa.view.expect(t, "alice online", isConn(alice.jid, event.Online)).(event.ConnState).JID
	bobFull = fb.view.expect(t, "bob online", isConn(bob.jid, event.Online)).(event.ConnState).JID
	fa.view.expect(t, "alice roster", isRoster(alice.jid))
	fb.view.expect(t, "bob roster", isRoster(bob.jid))
	fa.app.Queue("/add " + bob.jid)
	fb.view.expect(t, "alice's request", isSubscription(alice.jid, "subscribe"))
	fb.app.Queue("/auth allow " + alice.jid)
	fb.app.Queue("/add " + alice.jid)
	fa.view.expect(t, "bob's request", isSubscription(bob.jid, "subscribe"))
	fa.app.Queue("/auth allow " + bob.jid)
	fa.view.seen(t, "bob's caps", isCaps(bobFull))
	fb.view.seen(t, "alice's caps", isCaps(aliceFull))
	return
}

// seen is expect for an event that may already have been shown (and
// passed over by an earlier expect).
func (r *recorder) seen(t *testing.T, what string, match func(event.Event) bool) event.Event {
	t.Helper()
	r.mu.Lock()
	for _, ev := range r.all {
		if match(ev) {
			r.mu.Unlock()
			return ev
		}
	}
	r.mu.Unlock()
	return r.expect(t, what, match)
}

func isSubscription(from, typ string) func(event.Event) bool {
	return func(ev event.Event) bool {
		s, ok := ev.(event.Subscription)
		return ok && s.From == from && s.Type == typ
	}
}

func isCaps(from string) func(event.Event) bool {
	return func(ev event.Event) bool {
		c, ok := ev.(event.Caps)
		return ok && c.From == from
	}
}

func isError(contains string) func(event.Event) bool {
	return func(ev event.Event) bool {
		e, ok := ev.(event.Error)
		return ok && strings.Contains(e.Text, contains)
	}
}

// TestProtocolCommandsAgainstProsody asks Prosody and the other client
// every question the protocol commands know, and checks the answers
// printed.
func TestProtocolCommandsAgainstProsody(t *testing.T) {
	fa, fb, _, bob, aliceFull, bobFull := friends(t)
	steps := []struct{ line, want string }{
		{"/ping", "pong from our server in "},
		{"/ping " + bobFull, "pong from " + bobFull + " in "},
		{"/disco info", "feature urn:xmpp:blocking"},
		{"/disco info " + bobFull, "feature http://jabber.org/protocol/chatstates"},
		{"/disco items " + srv.Domain(), "items of " + srv.Domain()},
		{"/caps " + bob.jid, "caps of " + bobFull + ": node "},
		{"/software " + bobFull, bobFull + " runs "},
		{"/version " + srv.Domain(), srv.Domain() + " runs Prosody"},
		{"/time " + bobFull, "time at " + bobFull + ": "},
		{"/lastactivity " + bobFull, "last activity of " + bobFull + ": "},
		{"/vcard set fn Alice Liddell", `your vCard fn is now "Alice Liddell"`},
		{"/vcard", "name      Alice Liddell"},
		{"/set markers", "markers on"},
		{"/set chatstates off", "chatstates off"},
		{"/set chatstates on", "chatstates on"},
	}
	for _, s := range steps {
		fa.app.Queue(s.line)
		fa.view.expect(t, s.line, isInfo(s.want))
	}
	fb.app.Queue("/vcard " + strings.SplitN(aliceFull, "/", 2)[0])
	fb.view.expect(t, "alice's card seen by bob", isInfo("name      Alice Liddell"))
	fa.app.Queue("/caps nobody@" + srv.Domain())
	fa.view.expect(t, "/caps of a stranger", isInfo("no caps known for nobody@"))
	fa.app.Queue("/disco sideways")
	fa.view.expect(t, "a bad /disco", isError("want info or items"))
}

// TestBlockAgainstProsody: /block and /blocked through Prosody; a second
// client of the same account fetches the list at login and then gets the
// push of an /unblock from the first.
func TestBlockAgainstProsody(t *testing.T) {
	alice, bob := newUser(t), newUser(t)
	fa := start(t, alice)
	fa.view.expect(t, "alice online", isConn(alice.jid, event.Online))
	fa.app.Queue("/block " + bob.jid)
	fa.view.expect(t, "/block", isInfo("blocked "+bob.jid))
	fa.app.Queue("/blocked")
	fa.view.expect(t, "/blocked", isInfo("you block 1: "+bob.jid))
	fa2 := start(t, alice)
	fa2.view.expect(t, "the second client's blocklist at login", isInfo("blocklist: 1 blocked"))
	fa.app.Queue("/unblock " + bob.jid)
	fa.view.expect(t, "/unblock", isInfo("unblocked "+bob.jid))
	fa2.view.expect(t, "the push", func(ev event.Event) bool {
		b, ok := ev.(event.Blocklist)
		return ok && len(b.Unblocked) == 1 && b.Unblocked[0] == bob.jid
	})
}

// TestReceiptsMarkersAndChatStatesBetweenTwoClients: a message to a
// client whose caps say it acknowledges gets a delivery receipt, and a
// displayed marker when it lands in the conversation open there; chat
// states go out only on a change and not while switched off; a correction
// sent with /correct arrives as one.
func TestReceiptsMarkersAndChatStatesBetweenTwoClients(t *testing.T) {
	fa, fb, alice, bob, aliceFull, bobFull := friends(t)
	fb.app.Queue("/msg " + alice.jid) // bob has alice's conversation open
	fb.view.expect(t, "bob's open conversation", isInfo("plain lines now go to "+alice.jid))
	fa.app.Queue("/msg " + bob.jid + " helo")
	sent := fa.view.expect(t, "alice's message", isMessage("helo")).(event.Message)
	if !sent.Receipt || !sent.Markable {
		t.Fatalf("alice's message asks for no receipt or marker: %+v", sent)
	}
	for _, marker := range []string{"received", "displayed"} {
		fa.view.seen(t, marker, func(ev event.Event) bool {
			r, ok := ev.(event.Receipt)
			return ok && r.ID == sent.ID && r.Marker == marker && r.From == bobFull
		})
	}
	got := fb.view.expect(t, "bob gets it", isMessage("helo")).(event.Message)
	fa.app.Queue("/msg " + bob.jid)
	fa.app.Queue("/correct hello")
	c := fb.view.expect(t, "bob gets the correction", isMessage("hello")).(event.Message)
	if c.Replaces != got.ID {
		t.Errorf("bob's correction replaces %q, want %q", c.Replaces, got.ID)
	}

	state := func(s string) { fa.onLoop(t, func() { fa.app.ChatState(bob.jid, s) }) }
	state(event.Paused) // nothing to end yet: not sent
	state(event.Composing)
	state(event.Composing) // no change: not sent
	fa.app.Queue("/set chatstates off")
	fa.view.expect(t, "off", isInfo("chatstates off"))
	state(event.Paused) // switched off: not sent
	fa.app.Queue("/set chatstates on")
	fa.view.expect(t, "on", isInfo("chatstates on"))
	state(event.Gone)
	var seen []string
	for len(seen) < 2 {
		cs := fb.view.expect(t, "alice's chat state", func(ev event.Event) bool {
			cs, ok := ev.(event.ChatState)
			return ok && cs.From == aliceFull
		}).(event.ChatState)
		seen = append(seen, cs.State)
	}
	if strings.Join(seen, " ") != "composing gone" {
		t.Errorf("bob saw chat states %v, want [composing gone]", seen)
	}
	peerState := func(want string) {
		fb.onLoop(t, func() {
			if got := fb.app.PeerChatState(bob.jid, alice.jid); got != want {
				t.Errorf("bob's PeerChatState of alice = %q, want %q", got, want)
			}
		})
	}
	peerState(event.Gone)
	state(event.Composing)
	fb.view.expect(t, "composing again", func(ev event.Event) bool {
		cs, ok := ev.(event.ChatState)
		return ok && cs.State == event.Composing
	})
	peerState(event.Composing)
	fa.app.Queue("sent")
	fb.view.expect(t, "alice's message", isMessage("sent"))
	peerState("") // a message ends "typing"
}
