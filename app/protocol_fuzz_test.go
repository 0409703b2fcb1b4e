package app

import (
	"testing"

	"chat/event"
)

// FuzzCorrectionAndBlocking feeds the protocol memory what a peer
// controls (its JID, message ids, the id a correction names, a JID in a
// blocklist push): it must not panic, must accept a correction only from
// the original's sender in its conversation, and must stay bounded.
func FuzzCorrectionAndBlocking(f *testing.F) {
	f.Add("bob@example.org/phone", "m1", "m1", "bob@example.org/laptop", "example.org")
	f.Add("", "", "", "", "")
	f.Add("a@b/\x00", "\u202e", "\u202e", "a@b/\x00", "A@B")
	f.Fuzz(func(t *testing.T, from, id, replaces, other, blocked string) {
		a := &App{}
		p := a.protocol()
		p.applyBlocklist(event.Blocklist{Header: event.At(stubMe), Blocked: []string{blocked}})
		orig := event.Message{Header: event.At(stubMe), From: from, Peer: bare(from), ID: id, Type: "chat", Body: "x"}
		p.remember(orig)
		c := orig
		c.ID, c.Replaces = id+"c", replaces
		why := p.judge(c)
		if want := id != "" && bare(from) != "" && replaces == id; (why == "") != want {
			t.Fatalf("judge(same sender, replaces %q of %q) = %q", replaces, id, why)
		}
		c.From = other
		if other != from && p.judge(c) == "" {
			t.Fatalf("a correction from %q of %q's message was accepted", other, from)
		}
		_ = p.isBlocked(stubMe, from)
		for i := 0; i < maxRecent+2; i++ {
			p.remember(orig)
		}
		if n := len(p.recent[convKey{stubMe, bare(from)}]); n > maxRecent {
			t.Fatalf("%d messages remembered in one conversation", n)
		}
	})
}
