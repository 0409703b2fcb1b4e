package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"chat/account"
	"chat/app"
	"chat/client"
	"chat/event"
	"chat/history"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/uniseg"
)

// The rig runs the UI on a simulation screen against the real app loop
// (app.App with a real history store). The only stand-in is the account's
// engine: fakeEngine feeds the loop the test's events through the engines'
// own channel (the same bounds users run with), and answers SendMessage as
// the real engine does, so /msg, plain lines, /quit and history take the
// app's own paths.

const me = "me@example.org"

// hangGuard is how long the rig waits for something before failing: it
// only stops a hung test, and is generous because the machine running
// the tests may be busy (nothing is timed).
const hangGuard = 30 * time.Second

// loopCall is an event that runs f on the loop (through rigView), after
// every event sent before it.
type loopCall struct {
	event.Header
	f func()
}

func (loopCall) Kind() string { return "test" }

// rigView is the UI as the app's View, running loopCalls.
type rigView struct{ u *UI }

func (v rigView) Show(ev event.Event) {
	if c, ok := ev.(loopCall); ok {
		c.f()
		return
	}
	v.u.Show(ev)
}

func (v rigView) Flush() { v.u.Flush() }

// testHost is the real App as the UI's host, noting what the UI queued
// and which history pages are still being read.
type testHost struct {
	*app.App
	store  *history.Store
	eng    *fakeEngine
	synced chan struct{} // one token per /rigsync run
	exited chan struct{} // closed when Run has returned

	mu     sync.Mutex
	queued []string // lines the UI queued

	pages int // history pages asked for and not yet answered (loop only)
}

func (h *testHost) Queue(l string) {
	h.mu.Lock()
	h.queued = append(h.queued, l)
	h.mu.Unlock()
	h.App.Queue(l)
}

func (h *testHost) History(account, peer string, before int64, n int, done func([]history.Message, error)) {
	h.pages++
	h.App.History(account, peer, before, n, func(msgs []history.Message, err error) {
		h.pages--
		done(msgs, err)
	})
}

func (h *testHost) sentLines() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.queued...)
}

// onLoop runs f on the loop goroutine and waits for it (not after Run
// has returned).
func (h *testHost) onLoop(f func()) {
	done := make(chan struct{})
	if !h.eng.emit(loopCall{f: func() { f(); close(done) }}) {
		return
	}
	select {
	case <-done:
	case <-h.exited:
	}
}

// addHistory stores messages as if they had been received earlier.
func (h *testHost) addHistory(t testing.TB, msgs []history.Message) {
	t.Helper()
	for _, m := range msgs {
		m.ID = 0
		if _, err := h.store.Append(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
}

func outgoing(to, body string) event.Message {
	return event.Message{Header: event.At(me), Outgoing: true, From: me + "/ui", To: to, Peer: to, Type: "chat", Body: body, Stamp: time.Now()}
}

func incoming(from, body string) event.Message {
	return event.Message{Header: event.At(me), From: from + "/phone", To: me, Peer: from, Type: "chat", Body: body, Stamp: time.Now()}
}

// startHost attaches u to the real App with a fresh store, runs it,
// connects the account to a fakeEngine and returns once the engine exists.
func startHost(t testing.TB, u *UI) *testHost {
	t.Helper()
	store, err := history.Open(filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	h := &testHost{store: store, synced: make(chan struct{}, 16), exited: make(chan struct{})}
	made := make(chan struct{})
	newEngine := func(_ client.Config, out chan<- event.Event, gone <-chan struct{}) (app.Engine, error) {
		h.eng = &fakeEngine{out: out, gone: gone}
		close(made)
		return h.eng, nil
	}
	rigsync := cmd{Name: "rigsync", Help: "the rig's marker", Run: func(*app.App, []string) error { h.synced <- struct{}{}; return nil }}
	cfg := &account.Config{Options: account.DefaultOptions(), Accounts: []account.Account{{JID: me}}}
	h.App, err = app.New(app.Options{Config: cfg, Store: store, View: rigView{u}, NewEngine: newEngine,
		Commands: append(u.Commands(), rigsync), HelpTopics: u.HelpTopics(), Passwords: map[string]string{me: "secret"},
		Secrets: &account.Secrets{Keyring: noKeyring{}, Getenv: func(string) string { return "" }}})
	if err != nil {
		t.Fatal(err)
	}
	u.Attach(h) // before the loop starts
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		defer close(h.exited)
		h.App.Run(ctx, false)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-h.exited:
		case <-time.After(60 * time.Second): // it commits every message shown (10,000 in a burst test) first
			t.Error("the app did not stop")
		}
		store.Close()
	})
	h.App.Queue("/connect")
	select {
	case <-made:
	case <-time.After(hangGuard):
		t.Fatal("the app made no engine")
	}
	return h
}

// rig is a UI running on a simulation screen with the real loop.
type rig struct {
	t    testing.TB
	sim  tcell.SimulationScreen
	u    *UI
	host *testHost
}

func newRig(t testing.TB, w, h int, tune func(*Options)) *rig {
	t.Helper()
	sim := tcell.NewSimulationScreen("UTF-8")
	opts := Options{Screen: sim, Theme: "dark", ThemeDir: t.TempDir(), Editor: "false", Getenv: func(string) string { return "" }}
	if tune != nil {
		tune(&opts)
	}
	u, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ran := make(chan error, 1)
	t.Cleanup(func() { // after the app has stopped (cleanups run last first)
		u.Stop()
		select {
		case err := <-ran:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(hangGuard):
			t.Error("Run did not return after Stop")
		}
	})
	host := startHost(t, u)
	r := &rig{t: t, sim: sim, u: u, host: host}
	go func() { ran <- u.Run() }()
	r.resize(w, h)
	r.event(event.ConnState{Header: event.At(me), State: event.Online, JID: me + "/ui", Server: "127.0.0.1:5222", TLS: "TLS 1.3", Mechanism: "SCRAM-SHA-256"})
	return r
}

// resize changes the terminal size as a terminal would: new size, then a
// resize event.
func (r *rig) resize(w, h int) {
	r.onUI(func() { r.sim.SetSize(w, h) })
	r.sim.PostEvent(tcell.NewEventResize(w, h))
}

// onUI runs f on tview's goroutine (where reading the screen is safe).
func (r *rig) onUI(f func()) { r.u.tv.QueueUpdate(f) }

// screen returns the text on the screen, one line per row, wide
// characters once.
func (r *rig) screen() []string {
	var rows []string
	r.onUI(func() {
		cells, w, h := r.sim.GetContents()
		for y := range h {
			var b strings.Builder
			for x := 0; x < w; x++ {
				c := cells[y*w+x]
				s := string(c.Runes)
				if s == "" || s == "\x00" {
					s = " "
				}
				b.WriteString(s)
				if uniseg.StringWidth(s) == 2 {
					x++
				}
			}
			rows = append(rows, strings.TrimRight(b.String(), " "))
		}
	})
	return rows
}

func (r *rig) dump() string { return strings.Join(r.screen(), "\n") }

// waitFor waits until the screen shows want (a deadline only guards
// against a hang; nothing is timed).
func (r *rig) waitFor(want string) []string {
	r.t.Helper()
	return r.waitUntil(fmt.Sprintf("%q on screen", want), func(rows []string) bool {
		return strings.Contains(strings.Join(rows, "\n"), want)
	})
}

func (r *rig) waitUntil(what string, ok func([]string) bool) []string {
	r.t.Helper()
	deadline := time.Now().Add(hangGuard)
	for {
		rows := r.screen()
		if ok(rows) {
			return rows
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("timed out waiting for %s; screen:\n%s", what, strings.Join(rows, "\n"))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// cellAt returns the style and text of the cell at x, y.
func (r *rig) cellAt(x, y int) (tcell.Style, string) {
	var st tcell.Style
	var s string
	r.onUI(func() {
		cells, w, _ := r.sim.GetContents()
		st, s = cells[y*w+x].Style, string(cells[y*w+x].Runes)
	})
	return st, s
}

// find returns the position of the first occurrence of text on screen.
func (r *rig) find(text string) (int, int, bool) {
	for y, row := range r.screen() {
		if i := strings.Index(row, text); i >= 0 {
			return uniseg.StringWidth(row[:i]), y, true
		}
	}
	return 0, 0, false
}

func (r *rig) typ(s string) {
	for _, c := range s {
		r.sim.InjectKey(tcell.KeyRune, c, tcell.ModNone)
	}
}

func (r *rig) press(k tcell.Key, c rune, mod tcell.ModMask) { r.sim.InjectKey(k, c, mod) }

func (r *rig) enter() { r.press(tcell.KeyEnter, 0, tcell.ModNone) }

// event feeds an event to the loop, as the account's engine.
func (r *rig) event(ev event.Event) { r.host.eng.emit(ev) }

// settle waits until the loop and tview have handled everything sent so
// far: the lines queued (a marker line after them), the events sent (a
// call on the loop after them), the history pages asked for, then the
// frames, then one call on tview's goroutine after the last draw.
func (r *rig) settle() {
	r.t.Helper()
	deadline := time.After(hangGuard)
	r.host.App.Queue("/rigsync")
	select {
	case <-r.host.synced:
	case <-r.host.exited:
		return // the app has quit: nothing more is drawn
	case <-deadline:
		r.t.Fatal("queued lines were not run")
	}
	for pages := 1; pages > 0; {
		r.host.onLoop(func() { pages = r.host.pages })
		if pages > 0 {
			select {
			case <-r.host.exited:
				return
			default:
			}
			select {
			case <-deadline:
				r.t.Fatal("history pages were not read")
			case <-time.After(time.Millisecond):
			}
		}
	}
	for {
		r.u.mu.Lock()
		done := r.u.drawn == r.u.posted
		r.u.mu.Unlock()
		if done {
			break
		}
		select {
		case <-deadline:
			r.t.Fatal("frames were not drawn")
		case <-time.After(time.Millisecond):
		}
	}
	r.onUI(func() {}) // the draw after the update
}

// contacts gives the account a roster: bob (Bob, Friends, available),
// carol (away), dave (offline, no group).
func (r *rig) contacts() {
	r.event(event.Roster{Header: event.At(me), Version: "1", Items: []event.RosterItem{
		{JID: "bob@example.org", Name: "Bob", Subscription: "both", Groups: []string{"Friends"}},
		{JID: "carol@example.org", Name: "Carol", Subscription: "both", Groups: []string{"Friends"}},
		{JID: "dave@example.org", Subscription: "both"},
	}})
	r.event(event.Presence{Header: event.At(me), From: "bob@example.org/phone", Available: true})
	r.event(event.Presence{Header: event.At(me), From: "carol@example.org/pc", Available: true, Show: "away", Status: "lunch"})
}

// waitQueued waits until the UI has queued line to the loop.
func (r *rig) waitQueued(line string) {
	r.t.Helper()
	deadline := time.Now().Add(hangGuard)
	for {
		got := r.host.sentLines()
		if len(got) > 0 && got[len(got)-1] == line {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("timed out waiting for %q to be queued; queued %q", line, got)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitTitle waits until the title bar starts with prefix.
func (r *rig) waitTitle(prefix string) []string {
	r.t.Helper()
	return r.waitUntil("title "+prefix, func(rows []string) bool { return strings.HasPrefix(rows[0], prefix) })
}

// pressAndWait presses a key and waits until the screen changes.
func (r *rig) pressAndWait(k tcell.Key) {
	r.t.Helper()
	before := r.dump()
	r.press(k, 0, tcell.ModNone)
	r.waitUntil("the screen to change", func(rows []string) bool { return strings.Join(rows, "\n") != before })
}

func writeFile(path, text string) error { return os.WriteFile(path, []byte(text), 0o600) }
