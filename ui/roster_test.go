package ui

import (
	"strings"
	"testing"

	"chat/event"

	"github.com/gdamore/tcell/v2"
)

func TestRosterOrderPresenceAndToggle(t *testing.T) {
	r := newRig(t, 100, 24, nil)
	r.contacts()
	r.event(event.Subscription{Header: event.At(me), From: "eve@example.org", Type: "subscribe"})
	rows := r.waitFor("Requests 1")
	var side []string
	for _, row := range rows[1:8] {
		side = append(side, strings.TrimSpace(row[strings.Index(row, "│")+len("│"):]))
	}
	want := []string{"● me@example.org", "Requests 1", "? eve@example.org", "Friends 2/2", "● Bob", "◐ Carol", "Contacts 0/1"}
	if strings.Join(side, "|") != strings.Join(want, "|") {
		t.Errorf("roster pane =\n%s\nwant\n%s", strings.Join(side, "\n"), strings.Join(want, "\n"))
	}
	x, y, _ := r.find("◐ Carol")
	st, _ := r.cellAt(x, y)
	if fg, _, _ := st.Decompose(); fg != tcell.GetColor("#ffd75f") {
		t.Errorf("away symbol colour = %v", fg)
	}
	// Bob goes dnd: Carol (away) is now more available and comes first.
	r.event(event.Presence{Header: event.At(me), From: "bob@example.org/phone", Available: true, Show: "dnd"})
	r.waitUntil("Carol before Bob", func(rows []string) bool {
		s := strings.Join(rows, "\n")
		return strings.Index(s, "◐ Carol") < strings.Index(s, "■ Bob") && strings.Contains(s, "■ Bob")
	})

	r.press(tcell.KeyRune, 'r', tcell.ModAlt) // hide
	r.waitUntil("roster hidden", func(rows []string) bool { return pane(rows) == "" })
	r.typ("/roster show")
	r.enter()
	r.waitFor("Friends 2/2")
}

func TestRosterFilterAndOpen(t *testing.T) {
	r := newRig(t, 100, 24, nil)
	r.contacts()
	r.waitFor("Friends 2/2")
	r.press(tcell.KeyCtrlR, 'r', tcell.ModCtrl)
	r.waitFor("filter:")
	r.typ("car")
	rows := r.waitFor("filter: car")
	if s := pane(rows); strings.Contains(s, "Bob") || strings.Contains(s, "dave") || !strings.Contains(s, "Carol") {
		t.Errorf("filter did not narrow the roster:\n%s", s)
	}
	r.enter()
	r.waitTitle("2 carol@example.org (Carol)")
	r.typ("typed after opening")
	r.waitFor("> typed after opening") // the focus went back to the input

	r.typ("")
	r.press(tcell.KeyCtrlU, 'u', tcell.ModCtrl)
	r.typ("/roster filter da")
	r.enter()
	rows = r.waitFor("filter: da")
	if s := pane(rows); strings.Contains(s, "Carol") || !strings.Contains(s, "dave@example.org") {
		t.Errorf("/roster filter did not narrow:\n%s", s)
	}
	r.typ("/roster filter")
	r.enter()
	r.waitUntil("filter cleared", func(rows []string) bool {
		s := pane(rows)
		return strings.Contains(s, "Carol") && !strings.Contains(s, "filter:")
	})
}

func TestMouseOpensContactsAndBuffers(t *testing.T) {
	r := newRig(t, 100, 24, nil)
	r.contacts()
	r.waitFor("Friends 2/2")
	x, y, _ := r.find("Bob")
	r.sim.InjectMouse(x, y, tcell.Button1, tcell.ModNone)
	r.sim.InjectMouse(x, y, tcell.ButtonNone, tcell.ModNone)
	r.waitTitle("2 bob@example.org (Bob)")
	r.event(incoming("carol@example.org", "psst"))
	r.waitFor("act: 3")
	x, y, _ = r.find("act: 3")
	r.sim.InjectMouse(x+len("act: "), y, tcell.Button1, tcell.ModNone)
	r.sim.InjectMouse(x+len("act: "), y, tcell.ButtonNone, tcell.ModNone)
	r.waitTitle("3 carol@example.org")
}

// pane returns the roster pane's text: what is right of the separator.
func pane(rows []string) string {
	var out []string
	for _, row := range rows[1 : len(rows)-2] { // not the title, status and input
		if i := strings.Index(row, "│"); i >= 0 {
			out = append(out, row[i+len("│"):])
		}
	}
	return strings.Join(out, "\n")
}
