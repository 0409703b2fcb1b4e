package client

import (
	"strings"
	"testing"

	"chat/event"
)

// Roster changes go through the ordered queue; the server's error reply
// still comes back as an event for the change that caused it.
func TestRosterErrorReplyReported(t *testing.T) {
	p := newPeer(t)
	p.online()
	if err := p.e.RosterRemove("nobody-here@localhost"); err != nil {
		t.Fatal(err)
	}
	e := p.expect("error for removing an unknown contact", func(ev event.Event) bool {
		e, ok := ev.(event.Error)
		return ok && e.Context == "remove nobody-here@localhost from roster"
	}).(event.Error)
	if !strings.Contains(e.Text, "item-not-found") {
		t.Errorf("error text %q, want the server's condition", e.Text)
	}
}
