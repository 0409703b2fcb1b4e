package ui

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"chat/app"
	"chat/command"
	"chat/event"
	"chat/history"
	"chat/state"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/uniseg"
)

// fakeHost is a stand-in for the app's loop: a goroutine that runs queued
// lines through the UI's commands (plus /msg and /quit), applies events to
// a state, and calls Show and Flush exactly as the app does.
type fakeHost struct {
	u       *UI
	st      *state.State
	account string
	peer    string
	cmds    *command.Table[*app.App]
	lines   chan string
	events  chan event.Event
	calls   chan func()
	stopped chan struct{}

	mu      sync.Mutex
	queued  []string
	handled int                          // queued lines the loop has run
	history map[string][]history.Message // peer → stored messages, oldest first
	quit    bool

	styling string // "off" after /set styling off (loop only)
}

const me = "me@example.org"

func newFakeHost(t testing.TB, u *UI) *fakeHost {
	h := &fakeHost{u: u, st: state.New(), account: me, lines: make(chan string, 64), events: make(chan event.Event, 1024),
		calls: make(chan func()), stopped: make(chan struct{}), history: map[string][]history.Message{}}
	h.st.Account(me)
	msg := cmd{Name: "msg", MinArgs: 1, MaxArgs: 2, Rest: true, Usage: "JID [TEXT]", Help: "send",
		Run: func(_ *app.App, args []string) error {
			if len(args) == 1 {
				h.peer = args[0]
				return nil
			}
			h.handle(outgoing(args[0], args[1]))
			return nil
		}}
	quit := cmd{Name: "quit", Help: "leave", Run: func(*app.App, []string) error { h.mu.Lock(); h.quit = true; h.mu.Unlock(); return nil }}
	set := cmd{Name: "set", MinArgs: 2, MaxArgs: 2, Usage: "styling on|off", Help: "set",
		Run: func(_ *app.App, args []string) error { h.styling = args[1]; return nil }}
	help := cmd{Name: "help", MaxArgs: 1, Usage: "[COMMAND]", Help: "help", Run: func(*app.App, []string) error { return nil }}
	var err error
	h.cmds, err = command.New(append(u.Commands(), msg, quit, set, help)...)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func outgoing(to, body string) event.Message {
	return event.Message{Header: event.At(me), Outgoing: true, From: me + "/ui", To: to, Peer: to, Type: "chat", Body: body, Stamp: time.Now()}
}

func incoming(from, body string) event.Message {
	return event.Message{Header: event.At(me), From: from + "/phone", To: me, Peer: from, Type: "chat", Body: body, Stamp: time.Now()}
}

// run is the loop: one batch per wake-up, then Flush.
func (h *fakeHost) run() {
	defer close(h.stopped)
	for {
		select {
		case l, ok := <-h.lines:
			if !ok {
				return
			}
			h.line(l)
			h.mu.Lock()
			h.handled++
			h.mu.Unlock()
		case ev := <-h.events:
			h.handle(ev)
		case f := <-h.calls:
			f()
		}
		for more := true; more; {
			select {
			case ev := <-h.events:
				h.handle(ev)
			default:
				more = false
			}
		}
		h.u.Flush()
	}
}

func (h *fakeHost) line(l string) {
	h.mu.Lock()
	h.queued = append(h.queued, l)
	h.mu.Unlock()
	if l == "" { // as the app does: nothing to run
		return
	}
	err := h.cmds.Run(nil, l)
	if errors.Is(err, command.ErrNotCommand) {
		if h.peer == "" {
			err = errors.New("no conversation open")
		} else {
			h.handle(outgoing(h.peer, l))
			err = nil
		}
	}
	if err != nil {
		h.handle(event.Error{Header: event.At(me), Context: "command", Text: err.Error()})
	}
}

func (h *fakeHost) handle(ev event.Event) {
	h.st.Apply(ev)
	h.u.Show(ev)
}

// onLoop runs f on the loop goroutine and waits for it.
func (h *fakeHost) onLoop(f func()) {
	done := make(chan struct{})
	h.calls <- func() { f(); close(done) }
	<-done
}

func (h *fakeHost) Queue(l string)                     { h.lines <- l }
func (h *fakeHost) State() *state.State                { return h.st }
func (h *fakeHost) Current() string                    { return h.account }
func (h *fakeHost) SetCurrent(string) bool             { return true }
func (h *fakeHost) Peer() string                       { return h.peer }
func (h *fakeHost) SetPeer(j string)                   { h.peer = j }
func (h *fakeHost) Commands() *command.Table[*app.App] { return h.cmds }
func (h *fakeHost) Setting(name string) string {
	if name == "styling" && h.styling != "" {
		return h.styling
	}
	return "on"
}

func (h *fakeHost) History(account, peer string, before int64, n int, done func([]history.Message, error)) {
	done(h.page(peer, before, n), nil)
}

func (h *fakeHost) page(peer string, before int64, n int) []history.Message {
	h.mu.Lock()
	defer h.mu.Unlock()
	all := h.history[peer]
	end := len(all)
	if before != 0 {
		end = 0
		for i, m := range all {
			if m.ID == before {
				end = i
			}
		}
	}
	return append([]history.Message(nil), all[max(0, end-n):end]...)
}

func (h *fakeHost) sentLines() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.queued...)
}

// rig is a UI running on a simulation screen with a fake loop.
type rig struct {
	t    testing.TB
	sim  tcell.SimulationScreen
	u    *UI
	host *fakeHost
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
	host := newFakeHost(t, u)
	u.Attach(host)
	r := &rig{t: t, sim: sim, u: u, host: host}
	ran := make(chan error, 1)
	go func() { ran <- u.Run() }()
	go host.run()
	t.Cleanup(func() {
		close(host.lines)
		<-host.stopped
		u.Stop()
		select {
		case err := <-ran:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Run did not return after Stop")
		}
	})
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
	deadline := time.Now().Add(10 * time.Second)
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

// event feeds an event to the loop.
func (r *rig) event(ev event.Event) { r.host.events <- ev }

// settle waits until the loop and tview have handled everything sent so
// far: a no-op on the loop, then one on tview's goroutine after the frame.
func (r *rig) settle() {
	deadline := time.Now().Add(10 * time.Second)
	for {
		r.host.mu.Lock()
		done := r.host.handled == len(r.host.queued) && len(r.host.lines) == 0
		r.host.mu.Unlock()
		if done {
			break
		}
		if time.Now().After(deadline) {
			r.t.Fatal("queued lines were not run")
		}
		time.Sleep(time.Millisecond)
	}
	r.host.onLoop(func() {})
	for {
		r.u.mu.Lock()
		done := r.u.drawn == r.u.posted
		r.u.mu.Unlock()
		if done {
			break
		}
		if time.Now().After(deadline) {
			r.t.Fatal("frames were not drawn")
		}
		time.Sleep(time.Millisecond)
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
	deadline := time.Now().Add(10 * time.Second)
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
