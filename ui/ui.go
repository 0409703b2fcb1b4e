// Package ui is the full-screen terminal front end: a roster pane, chat
// buffers (window 1 is the console, then one per conversation), a title
// bar, a status bar listing the buffers with activity, and an input line
// with readline keys, history and completion. It is built on tview and
// tcell and implements app.View.
//
// Two goroutines touch a UI, and each owns its half:
//
//   - The app's loop calls Show and Flush and runs the UI's /commands.
//     They read state and update a plain-data model (buffers, lines,
//     unread counts); they never touch a widget. Once per batch, Flush
//     renders what changed into a frame (tagged text lines, a roster
//     snapshot, the status) and hands it over with one QueueUpdateDraw.
//     Frames not yet drawn are merged, so a burst of messages costs one
//     redraw and intermediate roster snapshots are dropped.
//   - tview's goroutine owns every widget. It reads keys and the mouse and
//     sends what the person asked for back to the loop as command lines
//     with Host.Queue ("/win 2", or the typed text); it never reads state.
//     Queue never blocks, so a busy loop never holds tview's goroutine up
//     (the loop may itself be waiting on tview, in Suspended).
//
// Network text reaches widgets only through package sanitize (Tview for
// text views, Line for one-line fields), so colour tags and escape
// sequences in a message are shown, not obeyed. Messages are drawn from
// package xhtml's spans (XHTML-IM, else message styling; the raw body with
// /set styling off), each span escaped and followed by a full reset.
//
// Protocol and storage code never import this package.
package ui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"chat/app"
	"chat/client"
	"chat/command"
	"chat/history"
	"chat/state"
	"chat/themes"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// Host is what the UI needs from the event loop; *app.App implements it.
// Queue is safe from any goroutine and never blocks (tview's goroutine
// calls it); the other methods run on the loop only. History reads a page
// off the loop and calls done on the loop with it.
type Host interface {
	Queue(line string)
	State() *state.State
	Current() string
	SetCurrent(account string) bool
	Peer() string
	SetPeer(jid string)
	History(account, peer string, before int64, n int, done func([]history.Message, error))
	Commands() *command.Table[*app.App]
	// PeerChatState is the contact's XEP-0085 chat state (loop only);
	// Typing tells the loop ours, from any goroutine.
	PeerChatState(account, peer string) string
	Typing(peer, state string)
	// OwnPresence is the presence we send on account, if it is connected.
	OwnPresence(account string) (client.Presence, bool)
}

// Options configure a UI.
type Options struct {
	// Screen is drawn on; nil means the terminal (tests pass a
	// tcell.SimulationScreen).
	Screen tcell.Screen
	// Theme names the theme ("" = themes.Default); ThemeDir holds user
	// themes.
	Theme    string
	ThemeDir string
	// Config holds key bindings and notification settings.
	Config Config
	// Editor is the command Alt+C runs on a file with the message; "" means
	// $VISUAL, $EDITOR or vi.
	Editor string
	// Getenv reads the environment (nil: os.Getenv).
	Getenv func(string) string
	// TTY receives desktop notification escapes; nil means the terminal.
	TTY io.Writer
}

// UI is the full-screen view. Create it with New, pass it to app.New as
// the View with its Commands and HelpTopics, Attach the app, then Run.
type UI struct {
	opts    Options
	keys    keymap
	focused atomic.Bool  // the terminal has focus (set by tview's goroutine)
	colors  atomic.Int32 // the terminal's colour count, once known (0 before)

	m *model // loop only

	mu       sync.Mutex
	pending  frame    // merged frames not yet drawn
	suspends []func() // functions to run with the terminal handed back
	posted   uint64   // frames posted …
	drawn    uint64   // … and how many of them were drawn
	kick     chan struct{}
	done     chan struct{} // closed by Stop
	pumped   chan struct{} // closed when the pump ends
	ran      chan struct{} // closed when Run returns
	started  atomic.Bool   // Run was called
	stop     sync.Once

	s  *screen // tview's goroutine only (after Run starts)
	tv *tview.Application

	notifier *notifier

	openMu   sync.Mutex
	openErrs []string // opener failures not yet shown
}

// New makes a UI. A theme that fails to load is reported on the console
// and the built-in default is used.
func New(opts Options) (*UI, error) {
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	keys, err := newKeymap(opts.Config.Keys)
	if err != nil {
		return nil, err
	}
	if err := opts.Config.check(); err != nil {
		return nil, err
	}
	u := &UI{opts: opts, keys: keys, kick: make(chan struct{}, 1), done: make(chan struct{}), pumped: make(chan struct{}),
		ran: make(chan struct{})}
	u.focused.Store(true)
	u.tv = tview.NewApplication()
	th, themeErr := loadTheme(opts)
	u.m = newModel(u, th)
	if themeErr != nil {
		u.m.consoleLine(kindError, "theme: "+themeErr.Error()+" (using "+th.Name+")")
	}
	u.s = newScreen(u, th)
	return u, nil
}

func loadTheme(opts Options) (*themes.Theme, error) {
	name := opts.Theme
	if name == "" {
		name = themes.Default(opts.Getenv)
	}
	th, err := themes.Load(opts.ThemeDir, name)
	if err == nil {
		return th, nil
	}
	fallback, ferr := themes.Builtin(themes.Default(opts.Getenv))
	if ferr != nil {
		return nil, errors.Join(err, ferr)
	}
	return fallback, err
}

// Attach connects the UI to its loop. Call it before Run and before the
// loop starts.
func (u *UI) Attach(h Host) {
	u.m.host = h
	u.s.host = h
	u.s.complete.setCommands(h.Commands())
}

// HelpTopics returns the extra /help topics ("keys") for app.Options.
func (u *UI) HelpTopics() map[string]func() string {
	return map[string]func() string{"keys": u.keys.help}
}

// Run draws the screen and handles keys and the mouse until Stop. It runs
// tview's event loop on the calling goroutine, which then owns the
// widgets.
func (u *UI) Run() error {
	u.started.Store(true)
	defer close(u.ran)
	if err := u.s.initScreen(u.opts.Screen); err != nil {
		return fmt.Errorf("terminal: %w", err)
	}
	u.notifier = newNotifier(u.opts.Config.NotifyCommand)
	defer u.notifier.close()
	go u.pump()
	if err := u.tv.Run(); err != nil {
		return fmt.Errorf("terminal: %w", err)
	}
	return nil
}

// Stop ends Run. It is safe from any goroutine and may be called more
// than once.
func (u *UI) Stop() {
	u.stop.Do(func() {
		close(u.done)
		if !u.started.Load() {
			return
		}
		select { // let the last hand-over finish while tview still runs
		case <-u.pumped:
		case <-u.ran:
		case <-time.After(2 * time.Second):
		}
		u.tv.Stop()
	})
}

// Focused reports whether the terminal has focus (as far as it tells).
func (u *UI) Focused() bool { return u.focused.Load() }

// post merges a frame into the pending one and wakes the pump. Loop only.
func (u *UI) post(f frame) {
	u.mu.Lock()
	u.pending.merge(f)
	u.posted++
	u.mu.Unlock()
	select {
	case u.kick <- struct{}{}:
	default: // a hand-over is already due: it will take this frame too
	}
}

// pump hands pending frames to tview's goroutine, one QueueUpdateDraw at
// a time: while one waits to run, further frames merge into the next. It
// is the UI's only goroutine besides tview's and lives as long as Run.
func (u *UI) pump() {
	defer close(u.pumped)
	for {
		select {
		case <-u.done:
			return
		case <-u.kick:
		}
		select {
		case <-u.ran: // tview stopped on its own: nobody would run the update
			return
		default:
		}
		u.tv.QueueUpdateDraw(u.applyPending)
	}
}

// applyPending draws what the loop handed over. tview's goroutine only.
func (u *UI) applyPending() {
	u.mu.Lock()
	f, suspends := u.pending, u.suspends
	u.pending, u.suspends = frame{}, nil
	u.drawn = u.posted
	u.mu.Unlock()
	u.s.apply(f)
	for _, run := range suspends {
		run()
	}
}

// Notice adds a line to the console (for messages from the password
// sources and the like). Loop only.
func (u *UI) Notice(text string) { u.m.consoleLine(kindNotice, text) }

// Suspended runs f with the terminal handed back to the program (for a
// password prompt) and returns when f has; it reports false if the screen
// stopped before f could run. Call it from the loop (or any goroutine but
// tview's).
func (u *UI) Suspended(f func()) bool {
	done := make(chan struct{})
	u.mu.Lock()
	u.suspends = append(u.suspends, func() {
		u.tv.Suspend(f)
		close(done)
	})
	u.mu.Unlock()
	select {
	case u.kick <- struct{}{}:
	default:
	}
	select {
	case <-done:
		return true
	case <-u.ran:
		return false
	case <-u.done:
		return false
	}
}
