package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"chat/history"

	"github.com/gdamore/tcell/v2"
)

func storedMessages(peer string, n int, last time.Time) []history.Message {
	var ms []history.Message
	for i := range n {
		ms = append(ms, history.Message{ID: int64(i + 1), Account: me, Peer: peer, From: peer + "/x", Type: "chat",
			Stamp: last.Add(-time.Duration(n-1-i) * time.Hour), Body: fmt.Sprintf("old %03d", i)})
	}
	return ms
}

func TestScrollingBackLoadsOlderPages(t *testing.T) {
	r := newRig(t, 80, 24, nil)
	r.host.addHistory(t, storedMessages("bob@example.org", 250, time.Now().Add(-time.Minute)))
	r.typ("/win bob@example.org")
	r.enter()
	r.waitFor("old 249")
	r.press(tcell.KeyPgUp, 0, 0)
	rows := r.waitFor("more below")
	if s := strings.Join(rows, "\n"); strings.Contains(s, "old 249") || strings.Contains(s, "old 149") {
		t.Fatalf("PgUp did not scroll one page within the loaded lines:\n%s", s)
	}
	sawSeparator := false
	for i := 0; ; i++ {
		s := strings.Join(r.screen(), "\n")
		sawSeparator = sawSeparator || strings.Contains(s, "──── ")
		if strings.Contains(s, "old 000") {
			break
		}
		if i > 300 {
			t.Fatalf("never reached the oldest message:\n%s", s)
		}
		r.press(tcell.KeyPgUp, 0, 0)
		r.settle()
	}
	if !sawSeparator {
		t.Error("no day separator between days of history")
	}
	queued := strings.Count(strings.Join(r.host.sentLines(), "\n"), "/scrollback")
	if queued < 2 {
		t.Errorf("/scrollback queued %d times, want one per page", queued)
	}
	// Back to the bottom: it follows new lines again.
	for i := 0; !strings.Contains(strings.Join(r.screen(), "\n"), "old 249"); i++ {
		if i > 300 {
			t.Fatal("PgDn never reached the end")
		}
		r.press(tcell.KeyPgDn, 0, 0)
		r.settle()
	}
	r.event(incoming("bob@example.org", "live again"))
	r.waitFor("<bob> live again")
}

func TestPrependKeepsTheViewStill(t *testing.T) {
	r := newRig(t, 80, 24, nil)
	r.host.addHistory(t, storedMessages("bob@example.org", 130, time.Now()))
	r.typ("/win bob@example.org")
	r.enter()
	r.waitFor("old 129")
	for i := 0; !strings.Contains(r.dump(), "old 030 "); i++ {
		if i > 50 {
			t.Fatalf("never reached the top of the first page:\n%s", r.dump())
		}
		r.pressAndWait(tcell.KeyPgUp)
	}
	before := r.screen()
	r.press(tcell.KeyPgUp, 0, 0) // at the top: loads the 30 older messages
	r.waitQueued("/scrollback")
	r.settle()
	after := r.screen()
	// The separator above old 030 goes (old 029 is the same day); the
	// messages stay where they were.
	if strings.Join(before[2:21], "\n") != strings.Join(after[2:21], "\n") {
		t.Errorf("the view moved when older lines were added:\nbefore\n%s\nafter\n%s", strings.Join(before, "\n"), strings.Join(after, "\n"))
	}
	for i := 0; !strings.Contains(r.dump(), "old 000"); i++ {
		if i > 10 {
			t.Fatalf("never reached old 000:\n%s", r.dump())
		}
		r.pressAndWait(tcell.KeyPgUp)
	}
}

func TestFirstMessageIsNotShownTwice(t *testing.T) {
	r := newRig(t, 80, 24, nil)
	m := incoming("bob@example.org", "only once")
	// The app stores the live message itself: the buffer's first page,
	// read after it, holds it too.
	r.host.addHistory(t, storedMessages("bob@example.org", 3, m.Stamp.Add(-time.Hour)))
	r.event(m)
	r.waitFor("act: 2")
	r.typ("/win 2")
	r.enter()
	rows := r.waitFor("only once")
	s := strings.Join(rows, "\n")
	if strings.Count(s, "only once") != 1 || !strings.Contains(s, "old 002") {
		t.Errorf("history and the live message:\n%s", s)
	}
	if strings.Index(s, "new messages") > strings.Index(s, "only once") || strings.Index(s, "new messages") < strings.Index(s, "old 002") {
		t.Errorf("the unread marker is not between history and the new message:\n%s", s)
	}
}

func TestWheelScrollsTheChat(t *testing.T) {
	r := newRig(t, 80, 24, nil)
	r.host.addHistory(t, storedMessages("bob@example.org", 60, time.Now()))
	r.typ("/win bob@example.org")
	r.enter()
	r.waitFor("old 059")
	r.sim.InjectMouse(10, 10, tcell.WheelUp, tcell.ModNone)
	rows := r.waitFor("more below")
	if strings.Contains(strings.Join(rows, "\n"), "old 059") {
		t.Errorf("the wheel did not scroll:\n%s", strings.Join(rows, "\n"))
	}
	r.event(incoming("bob@example.org", "/me waves"))
	r.settle()
	for i := 0; !strings.Contains(r.dump(), "* bob waves"); i++ {
		if i > 20 {
			t.Fatalf("the wheel never got back to the bottom:\n%s", r.dump())
		}
		before := r.dump()
		r.sim.InjectMouse(10, 10, tcell.WheelDown, tcell.ModNone)
		r.waitUntil("a scroll", func(rows []string) bool { return strings.Join(rows, "\n") != before })
	}
	r.waitUntil("the hint gone", func(rows []string) bool { return !strings.Contains(rows[len(rows)-2], "more below") })
}
