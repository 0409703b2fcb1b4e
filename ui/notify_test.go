package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
)

// beeper counts the terminal bells.
type beeper struct {
	tcell.SimulationScreen
	beeps atomic.Int32
}

func (b *beeper) Beep() error { b.beeps.Add(1); return nil }

// syncBuffer is a bytes.Buffer safe to read while tview writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestNotificationsOnlyWhenNotInView(t *testing.T) {
	var tty syncBuffer
	var bell *beeper
	r := newRig(t, 80, 24, func(o *Options) {
		bell = &beeper{SimulationScreen: o.Screen.(tcell.SimulationScreen)}
		o.Screen, o.TTY = bell, &tty
		o.Config = Config{Bell: BellAll, Desktop: DesktopOSC777}
	})
	r.event(incoming("bob@example.org", "hello; there"))
	r.waitFor("act: 2")
	r.settle()
	if want := "\x1b]777;notify;chat: bob;hello; there\x1b\\"; tty.String() != want || bell.beeps.Load() != 1 {
		t.Errorf("escape %q, %d bells; want %q and one bell", tty.String(), bell.beeps.Load(), want)
	}
	r.typ("/win 2")
	r.enter()
	r.waitTitle("2 bob")
	r.event(incoming("bob@example.org", "in view"))
	r.waitFor("<bob> in view")
	r.settle()
	if strings.Contains(tty.String(), "in view") || bell.beeps.Load() != 1 {
		t.Errorf("notified for a message in view: %q, %d bells", tty.String(), bell.beeps.Load())
	}
	r.sim.PostEvent(tcell.NewEventFocus(false))
	r.waitUntil("focus lost", func([]string) bool { return !r.u.Focused() })
	r.event(incoming("bob@example.org", "while away\x1b]0;x\x07"))
	r.waitFor("<bob> while away")
	r.settle()
	if !strings.Contains(tty.String(), "notify;chat: bob;while away\x1b\\") || bell.beeps.Load() != 2 {
		t.Errorf("no (clean) notification without focus: %q, %d bells", tty.String(), bell.beeps.Load())
	}
}

func TestBellOnHighlightOnlyAndNotifyCommand(t *testing.T) {
	var bell *beeper
	out := filepath.Join(t.TempDir(), "notes")
	r := newRig(t, 80, 24, func(o *Options) {
		bell = &beeper{SimulationScreen: o.Screen.(tcell.SimulationScreen)}
		o.Screen = bell
		o.Config = Config{Bell: BellHighlight, NotifyCommand: `printf '%s|%s\n' "$1" "$2" >> ` + out}
	})
	for i := range 20 { // a burst is one batch at most: rings at most once per frame
		r.event(incoming("bob@example.org", "plain "+string(rune('a'+i))))
	}
	r.waitFor("act: 2")
	r.settle()
	if n := bell.beeps.Load(); n != 0 {
		t.Errorf("%d bells for messages that do not mention us", n)
	}
	r.event(incoming("carol@example.org", "ME! look"))
	r.waitFor("act: 2,3")
	r.settle()
	if n := bell.beeps.Load(); n != 1 {
		t.Errorf("%d bells for a highlight, want 1", n)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, _ := os.ReadFile(out)
		if strings.Contains(string(data), "chat: carol|ME! look\n") {
			if n := strings.Count(string(data), "\n"); n > 21 {
				t.Errorf("notify command ran %d times for 21 messages", n)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("notify command output: %q", data)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestNotesFoldABatch(t *testing.T) {
	c := Config{Bell: BellAll, Desktop: DesktopOSC9}
	n, ok := c.note([]pendingNote{{who: "bob", text: "a"}, {who: "carol", text: "b"}, {who: "bob", text: "c"}})
	if !ok || !n.bell || n.title != "chat: 3 new messages" || n.body != "from bob, carol" {
		t.Errorf("note = %+v", n)
	}
	if _, ok := (Config{Bell: Off}).note([]pendingNote{{who: "bob", text: "a", high: true}}); ok {
		t.Error("bell off and no desktop notification still notified")
	}
}
