package ui

import (
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
)

func TestPasteAndAltEnterSendOneMessage(t *testing.T) {
	r := newRig(t, 80, 24, nil)
	r.typ("/win bob@example.org")
	r.enter()
	r.waitFor("2 bob@example.org")

	r.sim.PostEvent(tcell.NewEventPaste(true))
	r.typ("pasted one")
	r.enter()
	r.typ("pasted two")
	r.sim.PostEvent(tcell.NewEventPaste(false))
	rows := r.waitFor("> pasted one")
	if !strings.Contains(strings.Join(rows, "\n"), "  pasted two") {
		t.Fatalf("paste not kept as two lines of input:\n%s", strings.Join(rows, "\n"))
	}
	r.press(tcell.KeyEnter, 0, tcell.ModAlt)
	r.typ("typed three")
	r.enter()
	rows = r.waitFor("<me> pasted one")
	if got := r.host.sentLines(); len(got) != 2 || got[1] != "pasted one\npasted two\ntyped three" {
		t.Errorf("sent %q, want one line holding the paste and the Alt+Enter line", got)
	}
	chat := strings.Join(rows, "\n")
	if !strings.Contains(chat, indent+"pasted two") || !strings.Contains(chat, indent+"typed three") {
		t.Errorf("continuation lines not shown under the first:\n%s", chat)
	}
}

func TestHistoryPerBufferAndReadlineKeys(t *testing.T) {
	r := newRig(t, 80, 24, nil)
	r.typ("/win bob@example.org")
	r.enter()
	r.waitFor("2 bob@example.org")
	r.typ("for bob 1")
	r.enter()
	r.typ("for bob 2")
	r.enter()
	r.typ("/win 1")
	r.enter()
	r.waitFor("1 console")
	r.typ("/wins")
	r.enter()
	r.waitFor(" 2 bob@example.org")
	r.press(tcell.KeyUp, 0, 0)
	r.waitFor("> /wins")
	r.press(tcell.KeyUp, 0, 0)
	r.waitFor("> /win bob@example.org") // "/win 1" was typed in bob's buffer
	r.press(tcell.KeyDown, 0, 0)
	r.press(tcell.KeyDown, 0, 0)
	r.typ("draft")
	r.waitFor("> draft")
	r.press(tcell.KeyCtrlU, 'u', tcell.ModCtrl)
	r.waitUntil("Ctrl+U cleared the input", func(rows []string) bool { return rows[len(rows)-1] == ">" })

	r.press(tcell.KeyRune, '2', tcell.ModAlt)
	r.waitTitle("2 bob@example.org")
	r.press(tcell.KeyUp, 0, 0)
	r.waitFor("> /win 1") // typed last in bob's buffer
	r.press(tcell.KeyUp, 0, 0)
	r.waitFor("> for bob 2") // bob's buffer has its own history
	r.press(tcell.KeyCtrlA, 'a', tcell.ModCtrl)
	r.typ("X")
	r.press(tcell.KeyCtrlE, 'e', tcell.ModCtrl)
	r.typ("Y")
	r.waitFor("> Xfor bob 2Y")
	r.press(tcell.KeyRune, 'b', tcell.ModAlt)
	r.press(tcell.KeyCtrlK, 'k', tcell.ModCtrl)
	r.waitUntil("Ctrl+K", func(rows []string) bool { return rows[len(rows)-1] == "> Xfor bob" })
	r.press(tcell.KeyCtrlW, 'w', tcell.ModCtrl)
	r.waitUntil("Ctrl+W", func(rows []string) bool { return rows[len(rows)-1] == "> Xfor" })
}

func TestTabCompletion(t *testing.T) {
	r := newRig(t, 100, 24, nil)
	r.contacts()
	r.waitFor("Friends 2/2")
	cases := []struct{ typed, want string }{
		{"/ms", "> /msg ."},
		{"/msg bo", "> /msg bob@example.org ."},
		{"/msg Car", "> /msg carol@example.org ."},
		{"/theme hi", "> /theme high-contrast ."},
		{"/roster sh", "> /roster show ."},
		{"/help ke", "> /help keys ."},
		{"/help wi", "> /help win."}, // several candidates: no space
		{"hello Ca", "> hello Carol ."},
	}
	for _, c := range cases {
		r.typ(c.typed)
		r.press(tcell.KeyTab, 0, 0)
		r.typ(".")
		r.waitFor(c.want)
		r.press(tcell.KeyCtrlU, 'u', tcell.ModCtrl)
		r.waitUntil("empty input", func(rows []string) bool { return rows[len(rows)-1] == ">" })
	}
	// Tab again cycles: /win, /window, /wins, /windows.
	r.typ("/wi")
	r.press(tcell.KeyTab, 0, 0)
	r.waitUntil("first candidate", func(rows []string) bool { return rows[len(rows)-1] == "> /win" })
	r.press(tcell.KeyTab, 0, 0)
	r.waitUntil("second candidate", func(rows []string) bool { return rows[len(rows)-1] == "> /window" })
}

func TestEditorFillsTheInput(t *testing.T) {
	r := newRig(t, 80, 24, func(o *Options) { o.Editor = `printf 'from the editor\nline two\n' >` })
	r.typ("/win bob@example.org")
	r.enter()
	r.waitFor("2 bob@example.org")
	r.press(tcell.KeyRune, 'c', tcell.ModAlt)
	r.waitFor("> from the editor")
	r.enter()
	r.waitFor("<me> from the editor")
	if got := r.host.sentLines(); got[len(got)-1] != "from the editor\nline two" {
		t.Errorf("sent %q", got[len(got)-1])
	}
}

func TestCtrlCTwiceQuits(t *testing.T) {
	r := newRig(t, 80, 24, nil)
	r.press(tcell.KeyCtrlC, 'c', tcell.ModCtrl)
	r.waitFor("press Ctrl+C again to quit")
	r.typ("x") // another key disarms it
	r.waitUntil("hint gone", func(rows []string) bool { return !strings.Contains(strings.Join(rows, ""), "again to quit") })
	r.press(tcell.KeyCtrlC, 'c', tcell.ModCtrl)
	r.waitFor("press Ctrl+C again to quit")
	if got := r.host.sentLines(); len(got) != 0 {
		t.Errorf("one Ctrl+C queued %q", got)
	}
	r.press(tcell.KeyCtrlC, 'c', tcell.ModCtrl)
	r.waitQueued("/quit")
}

func TestSuspendedHandsTheTerminalOver(t *testing.T) {
	r := newRig(t, 80, 24, nil)
	var ok, ran bool
	r.host.onLoop(func() { ok = r.u.Suspended(func() { ran = true }) })
	if !ok || !ran {
		t.Errorf("Suspended = %v, ran %v", ok, ran)
	}
	r.waitFor("1 console") // the screen is back
	r.u.Stop()
	r.host.onLoop(func() { ok = r.u.Suspended(func() { t.Error("ran after Stop") }) })
	if ok {
		t.Error("Suspended reported success after Stop")
	}
}
