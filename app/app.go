// Package app is the event loop: the one goroutine that owns the client's
// state. Engines post events to it, front ends post command lines to it,
// and it applies both in order: state first, then history, then the view.
//
// The rule, borrowed from senpai: Queue and the engines' channel are safe
// from any goroutine; everything else in this package runs on the loop.
// After each batch of events the view is flushed once, so a burst of
// messages costs one redraw. Nothing slow runs on the loop: password
// sources, the roster cache and history queries run on workers (work.go)
// that hand their result back to it. No sender can block forever: the
// front ends' lines go to an inbox without a fixed size, and the engines
// and workers stop sending once Run has returned.
//
// This package must not import a concrete UI: a front end implements View.
package app

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"chat/account"
	"chat/client"
	"chat/command"
	"chat/event"
	"chat/history"
	"chat/state"
)

// View is a front end. Both methods run on the loop goroutine.
type View interface {
	// Show presents one event; state has already been updated with it.
	Show(ev event.Event)
	// Flush is called after each batch of events (draw now).
	Flush()
}

// Options wires an App.
type Options struct {
	Config     *account.Config
	ConfigPath string // where Config is saved (pins, new accounts); "" = never saved
	Secrets    *account.Secrets
	Store      *history.Store
	View       View
	// Tune adjusts each engine's configuration before it is created
	// (tests shorten timeouts here).
	Tune func(*client.Config)
	// Commands are a front end's own commands (the TUI's /win, /close, …),
	// added to the table so they also work from scripts. One with the name
	// of a built-in replaces it.
	Commands []command.Command[*App]
	// HelpTopics are extra /help topics ("keys"): /help TOPIC prints what
	// the function returns.
	HelpTopics map[string]func() string
	// Passwords known up front (the embedded server's local account), by
	// bare JID; asked before Secrets.
	Passwords map[string]string
	// HistoryQueueBytes bounds the messages waiting to be written to
	// history (0: history.DefaultQueueBytes); past it the loop stops taking
	// engine events until the disk catches up (store.go).
	HistoryQueueBytes int
	// backlogHook, for tests, is called on the loop as the backlog grows.
	backlogHook func(n int)
	// Interactive says that queued lines come from a person typing: they
	// run at once, while lines from Queue are otherwise held, like Script's,
	// until the first login has got its roster or failed (standard input
	// carrying a script).
	Interactive bool
	// NewEngine makes the accounts' engines; nil means client.New. Tests
	// pass a stand-in that feeds the loop events through the engines' own
	// channel, so that a front end's tests run on the real loop.
	NewEngine NewEngine
}

// App is the loop and what it owns.
type App struct {
	opts        Options
	events      chan event.Event
	inbox       *inbox
	results     chan result
	gone        chan struct{} // closed when Run is done with engines and workers: nothing is read any more
	workCtx     context.Context
	running     int                      // jobs started whose result has not run yet
	lanes       map[string]chan struct{} // the last job of each lane
	held        map[string][]event.Event // events of an account held back while its roster cache loads
	looking     map[string]bool          // accounts whose password is being looked up
	state       *state.State
	engines     map[string]Engine
	writer      *history.Writer
	cmds        *command.Table[*App]
	current     string // account commands act on by default
	peer        string // conversation a plain line goes to (headless)
	waiting     []string
	ready       bool // the first connection attempt has ended: queued lines may run
	quit        bool
	code        int // exit code
	passwords   map[string]string
	backlog     []history.Message // messages waiting for room in the writer's queue (store.go)
	storing     bool              // a worker is handing the backlog over
	dropped     atomic.Int64      // events post could not queue
	savePending []string
	proto       *protoState     // the everyday protocol's memory (protocol_state.go)
	prompted    map[string]bool // accounts whose password was typed at a prompt
}

// New makes an App; nothing connects until Run.
func New(opts Options) (*App, error) {
	if opts.Config == nil || opts.Store == nil || opts.View == nil || opts.Secrets == nil {
		return nil, errors.New("app: Config, Store, Secrets and View are required")
	}
	if opts.NewEngine == nil {
		opts.NewEngine = realEngine
	}
	a := &App{
		opts:      opts,
		events:    make(chan event.Event, 256),
		inbox:     newInbox(),
		results:   make(chan result, 16),
		gone:      make(chan struct{}),
		workCtx:   context.Background(),
		lanes:     map[string]chan struct{}{},
		held:      map[string][]event.Event{},
		looking:   map[string]bool{},
		state:     state.New(),
		engines:   map[string]Engine{},
		passwords: map[string]string{},
	}
	queueBytes := opts.HistoryQueueBytes
	if queueBytes <= 0 {
		queueBytes = history.DefaultQueueBytes
	}
	a.writer = history.NewWriterSize(opts.Store, func(err error) {
		a.post(event.Error{Header: event.At(""), Context: "history", Text: err.Error()})
	}, queueBytes)
	cmds, err := commandTable(opts.Commands)
	if err != nil {
		return nil, err
	}
	a.cmds = cmds
	for _, acct := range opts.Config.Accounts {
		a.state.Account(bare(acct.JID))
		if a.current == "" {
			a.current = bare(acct.JID)
		}
	}
	return a, nil
}

// Queue posts a command line (or text for the current conversation) to the
// loop. Safe from any goroutine, and it never blocks: the screen calls it
// from tview's goroutine, which the loop may be waiting on. Lines queued
// after Run has returned are dropped.
func (a *App) Queue(line string) { a.inbox.put(line) }

// QueueWait is Queue for a reader that can wait (standard input): it holds
// the caller back while many lines are pending, so that a large file is
// not read into memory at once. It reports false, dropping line, once Run
// has returned.
func (a *App) QueueWait(line string) bool { return a.inbox.wait(line) }

// Script hands the App lines to run once the first login has got its
// roster or failed (-c and --script). Call it before Run.
func (a *App) Script(lines []string) { a.waiting = append(a.waiting, lines...) }

// post sends an event to the loop from any goroutine without waiting: it
// is used by workers the loop itself may be waiting on, so when the queue
// is full the event is counted and dropped rather than deadlock.
func (a *App) post(ev event.Event) {
	select {
	case a.events <- ev:
	default:
		a.dropped.Add(1)
	}
}

// reportDropped says how many notices post had to drop, so that a flood
// of errors is at least counted on screen.
func (a *App) reportDropped() {
	if n := a.dropped.Swap(0); n > 0 {
		a.show(event.Error{Header: event.At(""), Context: "history", Text: fmt.Sprintf("%d more errors were not shown (too many at once)", n)})
	}
}

// State returns the state; read it only on the loop (from View methods).
func (a *App) State() *state.State { return a.state }

// Commands returns the command table (for help and completion).
func (a *App) Commands() *command.Table[*App] { return a.cmds }

// Run connects the accounts marked autoconnect and runs the loop until
// /quit or ctx ends. It returns the exit code: 0, or ExitLogin when the
// first login failed for good. Workers get a context that ends with ctx or
// when the loop stops; Run waits for them (within workerWait) and for the
// history writer before it returns.
func (a *App) Run(ctx context.Context, autoconnect bool) int {
	workCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	a.workCtx = workCtx
	if autoconnect {
		a.connectDefault()
	}
	if len(a.engines) == 0 && len(a.looking) == 0 {
		a.setReady()
	}
	for !a.quit {
		select {
		case <-ctx.Done():
			a.quit = true
		case ev := <-a.engineEvents():
			a.dispatch(ev)
		case <-a.inbox.wake:
			a.lines()
		case r := <-a.results:
			a.finish(r)
		}
		a.drain()
		a.reportDropped()
		a.opts.View.Flush()
	}
	a.inbox.close()
	cancel()
	a.shutdown()
	return a.code
}

// drain handles whatever else is already waiting, up to a bound, so that a
// burst is drawn once.
func (a *App) drain() {
	for i := 0; i < 512 && !a.quit; i++ {
		select {
		case ev := <-a.engineEvents():
			a.dispatch(ev)
		case r := <-a.results:
			a.finish(r)
		default:
			return
		}
	}
}

// lines runs a batch of queued input lines.
func (a *App) lines() {
	for _, l := range a.inbox.take(inboxBatch) {
		if a.quit {
			return
		}
		a.line(l)
	}
}

// Exit codes returned by Run.
const (
	ExitOK    = 0
	ExitError = 1
	ExitLogin = 3 // login failed: wrong password, untrusted certificate, no such server
)

// shutdown disconnects every engine, waiting for them (bounded), and
// commits history.
func (a *App) shutdown() {
	var waits []<-chan struct{}
	for _, e := range a.engines {
		waits = append(waits, e.Disconnect())
	}
	deadline := time.After(5 * time.Second)
	for _, w := range waits {
	wait:
		for {
			select {
			case <-w:
				break wait
			case ev := <-a.events: // keep the engines unblocked while they stop
				a.handle(ev)
			case <-deadline:
				break wait
			}
		}
	}
	for drained := false; !drained; { // what the engines said last
		select {
		case ev := <-a.events:
			a.handle(ev)
		default:
			drained = true
		}
	}
	if !a.waitWorkers() {
		a.show(event.Error{Header: event.At(""), Context: "shutdown", Text: "a background task (password prompt or keyring) did not end; leaving it"})
	}
	close(a.gone) // engines and jobs still running give up sending
	a.flushBacklog()
	if err := a.writer.Close(); err != nil {
		a.show(event.Error{Header: event.At(""), Context: "history", Text: fmt.Sprintf("not all messages were saved: %v", err)})
		if a.code == ExitOK {
			a.code = ExitError
		}
	}
	a.opts.View.Flush()
}

func (a *App) show(ev event.Event) { a.opts.View.Show(ev) }

func (a *App) info(account, format string, args ...any) {
	a.show(event.Info{Header: event.At(account), Text: fmt.Sprintf(format, args...)})
}
