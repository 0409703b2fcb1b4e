package ui

import (
	"slices"
	"strings"
	"testing"

	"chat/client"
	"chat/event"
)

// Issue 14: what a Profanity or irssi user types.

func TestTypoSuggestsCommand(t *testing.T) {
	r := newRig(t, 100, 24, nil)
	r.typ("/qiut")
	r.enter()
	r.waitFor("unknown command /qiut: did you mean /quit?")
}

func TestHabitualCommands(t *testing.T) {
	r := newRig(t, 120, 30, nil)
	r.contacts()
	r.typ("/query bob@example.org")
	r.enter()
	r.waitTitle("2 bob@example.org")
	r.typ("/me waves")
	r.enter()
	r.waitFor("* me waves")
	r.typ("/away at lunch")
	r.enter()
	r.waitQueued("/away at lunch")
	r.settle()
	if p := r.host.eng.CurrentPresence(); p.Show != "away" || p.Status != "at lunch" {
		t.Errorf("after /away at lunch the presence is %+v", p)
	}
	r.typ("/back")
	r.enter()
	r.waitQueued("/back")
	r.settle()
	if p := r.host.eng.CurrentPresence(); p != (client.Presence{}) {
		t.Errorf("after /back the presence is %+v, want available without text", p)
	}
	r.typ("/close bob@example.org")
	r.enter()
	r.waitUntil("bob's buffer closed", func(rows []string) bool { return strings.HasPrefix(rows[0], "1 ") })
	r.typ("/sub allow carol@example.org")
	r.enter()
	r.typ("/prefs")
	r.enter()
	r.waitFor("styling")
}

// TestHelpListsEveryName: /help names every command and every alias.
func TestHelpListsEveryName(t *testing.T) {
	r := newRig(t, 200, 120, nil)
	r.typ("/help")
	r.enter()
	r.waitFor("A line without /")
	screen := r.dump()
	var names []string
	r.host.onLoop(func() { names = r.host.App.CommandNames() })
	if len(names) < 20 {
		t.Fatalf("only %d command names: %q", len(names), names)
	}
	for _, want := range []string{"query", "me", "away", "back", "sub", "prefs", "log", "url", "exit"} {
		if !slices.Contains(names, want) {
			t.Errorf("no command or alias /%s", want)
		}
	}
	for _, n := range names {
		if !strings.Contains(screen, "/"+n) {
			t.Errorf("/help does not mention /%s", n)
		}
	}
}

// TestStatusBarShowsOwnPresence: /status dnd TEXT shows in the status bar,
// with whether the link is encrypted.
func TestStatusBarShowsOwnPresence(t *testing.T) {
	r := newRig(t, 100, 24, nil)
	statusRow := func(want string) {
		t.Helper()
		r.waitUntil("status bar "+want, func(rows []string) bool { return strings.Contains(rows[len(rows)-2], want) })
	}
	statusRow("me@example.org [online] TLS 1.3")
	r.typ("/status dnd in a meeting")
	r.enter()
	statusRow("me@example.org [dnd] in a meeting TLS 1.3")
	r.event(event.ConnState{Header: event.At(me), State: event.Online, JID: me + "/ui", Server: "127.0.0.1:5222", Mechanism: "PLAIN"})
	statusRow("[dnd] in a meeting unencrypted")
}

// TestWrappedLinesHang: a long message wraps under its text, not at
// column 0, and again so when the terminal is resized.
func TestWrappedLinesHang(t *testing.T) {
	r := newRig(t, 80, 20, nil)
	r.contacts()
	r.typ("/win bob@example.org")
	r.enter()
	r.waitTitle("2 bob@example.org")
	long := strings.Repeat("lorem ipsum ", 12) + "finis"
	r.event(incoming("bob@example.org", long))
	check := func() {
		t.Helper()
		rows := r.waitFor("finis")
		start := -1
		for i, row := range rows {
			if strings.Contains(row, "<Bob> lorem") {
				start = i
			}
		}
		if start < 0 {
			t.Fatalf("no message row:\n%s", strings.Join(rows, "\n"))
		}
		for i := start + 1; i < len(rows) && !strings.Contains(rows[i-1], "finis"); i++ {
			if !strings.HasPrefix(rows[i], indent) || rows[i][len(indent)] == ' ' {
				t.Fatalf("row %d of the message does not start under the text:\n%s", i-start, strings.Join(rows, "\n"))
			}
		}
	}
	check()
	r.resize(60, 20)
	r.waitUntil("the narrower layout", func(rows []string) bool {
		return len(rows[0]) <= 60 && strings.Contains(strings.Join(rows, "\n"), "finis")
	})
	r.settle()
	check()
}

// TestCommandOutputMarkedLocal: output asked for in a conversation is
// marked as local there, and plain in the console.
func TestCommandOutputMarkedLocal(t *testing.T) {
	r := newRig(t, 100, 24, nil)
	r.contacts()
	r.typ("/win bob@example.org")
	r.enter()
	r.waitTitle("2 bob@example.org")
	r.event(incoming("bob@example.org", "hi there"))
	r.typ("/wins")
	r.enter()
	rows := r.waitFor("buffers:")
	for _, row := range rows {
		if strings.Contains(row, "buffers:") && !strings.Contains(row, localMark+"buffers:") {
			t.Errorf("command output in a conversation is not marked local: %q", row)
		}
		if strings.Contains(row, "hi there") && strings.Contains(row, localMark) {
			t.Errorf("a message is marked local: %q", row)
		}
	}
	r.typ("/win 1")
	r.enter()
	rows = r.waitTitle("1 console")
	for _, row := range rows {
		if strings.Contains(row, localMark) {
			t.Errorf("console output is marked local: %q", row)
		}
	}
}

// TestRosterRequestsNotTwice: a contact already in the roster who asks to
// subscribe is shown once, marked; our own pending request is not shown
// as offline.
func TestRosterRequestsNotTwice(t *testing.T) {
	r := newRig(t, 100, 24, nil)
	r.event(event.Roster{Header: event.At(me), Version: "1", Items: []event.RosterItem{
		{JID: "bob@example.org", Name: "Bob", Subscription: "to", Groups: []string{"Friends"}},
		{JID: "erin@example.org", Name: "Erin", Subscription: "none", Ask: "subscribe"},
	}})
	r.event(event.Subscription{Header: event.At(me), From: "bob@example.org", Type: "subscribe"})
	r.event(event.Subscription{Header: event.At(me), From: "frank@example.org", Type: "subscribe"})
	rows := strings.Join(r.waitFor("frank@example.org"), "\n")
	if n := strings.Count(rows, "│ ? Bob") + strings.Count(rows, "│ ● Bob") + strings.Count(rows, "│ · Bob") + strings.Count(rows, "│ ? bob@"); n != 1 {
		t.Errorf("bob's request shows %d times, want once in his group:\n%s", n, rows)
	}
	if !strings.Contains(rows, "│ … Erin") {
		t.Errorf("our pending request to erin is not marked:\n%s", rows)
	}
}

// TestAddSaysUpdatedOnce: the two pushes /add causes read differently.
func TestAddSaysUpdatedOnce(t *testing.T) {
	r := newRig(t, 160, 24, nil)
	r.event(event.RosterPush{Header: event.At(me), Item: event.RosterItem{JID: "erin@example.org"}})
	r.event(event.RosterPush{Header: event.At(me), Item: event.RosterItem{JID: "erin@example.org", Ask: "subscribe"}})
	rows := strings.Join(r.waitFor("waiting for an answer"), "\n")
	if n := strings.Count(rows, "erin@example.org updated"); n != 1 {
		t.Errorf("%d lines say erin was updated, want 1:\n%s", n, rows)
	}
}

// TestConsoleNotesPresenceAndMessages: the console says when a contact's
// presence changes (not the burst at login) and when a message arrives in
// a buffer not in view.
func TestConsoleNotesPresenceAndMessages(t *testing.T) {
	r := newRig(t, 120, 30, nil)
	r.contacts() // bob available, carol away: remembered, not printed
	r.event(event.Presence{Header: event.At(me), From: "bob@example.org/phone", Available: true, Show: "dnd", Status: "busy"})
	r.waitFor("bob@example.org/phone is dnd: busy")
	r.event(incoming("carol@example.org", "are you there?"))
	r.waitFor("new message from Carol (window 2)")
	rows := strings.Join(r.screen(), "\n")
	if strings.Contains(rows, "carol@example.org/pc is away") {
		t.Errorf("the login burst is printed:\n%s", rows)
	}
}

// TestNarrowTerminalHidesRoster: below rosterHideCols the chat gets the
// whole width; wider again, the roster comes back.
func TestNarrowTerminalHidesRoster(t *testing.T) {
	r := newRig(t, 100, 20, nil)
	r.contacts()
	r.waitFor("● me@example.org")
	r.resize(40, 20)
	// The console line rewrapped to the whole width (with the roster's
	// 18 columns taken it could not hold this row).
	r.waitUntil("the chat at 40 columns", func(rows []string) bool {
		return slices.Contains(rows, indent+"me@example.org/ui via")
	})
	r.resize(100, 20)
	r.waitFor("● me@example.org")
}

// TestRosterByPresence: /roster by presence groups the pane as Profanity
// does, with counts; /roster by group goes back.
func TestRosterByPresence(t *testing.T) {
	r := newRig(t, 100, 24, nil)
	r.contacts()
	r.waitFor("Friends 2/2")
	r.typ("/roster by presence")
	r.enter()
	rows := strings.Join(r.waitFor("Online 1/1"), "\n")
	for _, want := range []string{"Away 1/1", "Offline 0/1"} {
		if !strings.Contains(rows, want) {
			t.Errorf("no %q heading:\n%s", want, rows)
		}
	}
	r.typ("/roster by group")
	r.enter()
	r.waitFor("Friends 2/2")
}
