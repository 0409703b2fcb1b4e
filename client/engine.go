package client

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	"chat/event"
)

// ErrOffline is returned by the send methods while the account has no
// session.
var ErrOffline = errors.New("not connected")

// Engine is one account's connection. Its exported methods may be called
// from any goroutine and never wait on the network.
type Engine struct {
	cfg     Config
	account string // bare JID, stamped on every event
	out     chan<- event.Event
	gone    <-chan struct{} // closed when nobody will read out again; nil = never

	mu       sync.Mutex
	cancel   context.CancelFunc // stops the connection manager; nil when not running
	done     chan struct{}      // closed when the connection manager has stopped
	sess     *session           // the live session, nil when offline
	presence Presence           // our own presence, re-sent after every reconnect
	sm       *smState           // XEP-0198 state, outliving sessions (sm.go)

	caps       *capsCache // peers' XEP-0115 capabilities (caps.go)
	lastActive lastActive // when the user last did something (entity.go)
	rooms      roomSet    // MUC rooms (muc.go)
}

// Option adjusts an Engine made by New.
type Option func(*Engine)

// ReaderGone tells the engine that whoever reads its events closes gone
// when it stops reading for good; from then on events are dropped instead
// of waited on, so an engine that outlives its loop still winds down and
// its goroutines end. Without it the reader must read until Disconnect's
// channel is closed.
func ReaderGone(gone <-chan struct{}) Option {
	return func(e *Engine) { e.gone = gone }
}

// New returns an engine for cfg that posts its events to out. It does not
// connect until Connect is called.
func New(cfg Config, out chan<- event.Event, opts ...Option) (*Engine, error) {
	cfg.applyDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	e := &Engine{
		cfg:        cfg,
		account:    cfg.JID.Bare().String(),
		out:        out,
		presence:   Presence{Priority: cfg.Priority},
		caps:       newCapsCache(cfg.CapsStore),
		lastActive: lastActive{at: time.Now()},
		sm:         newSMState(cfg.SMBuffer),
	}
	for _, o := range opts {
		o(e)
	}
	return e, nil
}

// Account returns the bare JID of the engine's account.
func (e *Engine) Account() string { return e.account }

// Connect starts connecting, and keeps reconnecting after losses until
// Disconnect. It does nothing if the engine is already running.
func (e *Engine) Connect() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cancel != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	e.cancel = cancel
	e.done = make(chan struct{})
	go e.run(ctx, e.done)
}

// Disconnect sends unavailable presence, closes the stream and stops
// reconnecting. It returns a channel closed once the engine is offline.
func (e *Engine) Disconnect() <-chan struct{} {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cancel == nil {
		done := make(chan struct{})
		close(done)
		return done
	}
	e.cancel()
	e.cancel = nil
	return e.done
}

// Running reports whether the engine is connected or trying to be.
func (e *Engine) Running() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.cancel != nil
}

// run is the connection manager: log in, serve until the stream ends,
// back off, try again; until ctx is cancelled or an error is fatal.
func (e *Engine) run(ctx context.Context, done chan struct{}) {
	defer close(done)
	failures := 0
	for {
		e.emit(event.ConnState{Header: event.At(e.account), State: event.Connecting})
		s, err := e.login(ctx)
		if err == nil {
			failures = 0
			err = e.serve(ctx, s)
		}
		if ctx.Err() != nil {
			e.smGiveUp("disconnected before the server confirmed it")
			e.emit(event.ConnState{Header: event.At(e.account), State: event.Offline})
			return
		}
		if isFatal(err) {
			e.smGiveUp("the connection cannot be restored: " + err.Error())
			e.mu.Lock()
			e.cancel = nil // before the event: who sees it must find the engine stopped
			e.mu.Unlock()
			e.emit(event.ConnState{Header: event.At(e.account), State: event.Offline, Err: err.Error(), Fatal: true})
			return
		}
		wait := backoff(failures, e.cfg.MinBackoff, e.cfg.MaxBackoff)
		failures++
		e.emit(event.ConnState{Header: event.At(e.account), State: event.Reconnecting, Err: errText(err), Retry: wait})
		select {
		case <-ctx.Done():
			e.smGiveUp("disconnected before the server confirmed it")
			e.emit(event.ConnState{Header: event.At(e.account), State: event.Offline})
			return
		case <-time.After(wait):
		}
	}
}

// serve runs a logged-in session until it ends, with the post-login work
// (roster, initial presence, keepalive) on goroutines of the session,
// which s.stop waits for.
func (e *Engine) serve(ctx context.Context, s *session) error {
	e.mu.Lock()
	e.sess = s
	pres := e.presence
	e.mu.Unlock()
	defer func() {
		e.mu.Lock()
		e.sess = nil
		e.mu.Unlock()
		s.stop()
	}()

	if !s.smLogin.resumed { // a resumed stream is still in its rooms
		e.prepareRejoin() // muc.go: before anyone can join on this session
	}
	e.emit(event.ConnState{Header: event.At(e.account), State: event.Online,
		JID: s.xs.LocalAddr().String(), Mechanism: s.mechanism, Server: s.addr, TLS: s.tlsInfo, Resumed: s.smLogin.resumed})
	e.smOnline(s)

	s.spawn(s.writeLoop)    // first: stop waits for it
	if !s.smLogin.resumed { // a resumed stream keeps its roster, presence and carbons
		s.spawn(func() { e.afterLogin(s, pres) })
	}
	s.spawn(func() { e.keepalive(s) })
	s.spawn(func() { e.selfPing(s) })
	s.spawn(func() { s.closeWhenCancelled(ctx) })
	err := s.xs.Serve(s.smHandler(e.newHandler(s).handle)) // smsession.go: every stanza read is counted there
	if err == nil {
		err = errors.New("server closed the stream")
	}
	if s.ctx.Err() != nil && s.cause() != nil {
		err = s.cause()
	}
	return err
}

// afterLogin fetches the roster, then sends initial presence: RFC 6121
// asks for the roster first so that no presence arrives for unknown
// contacts.
func (e *Engine) afterLogin(s *session, p Presence) {
	if err := e.fetchRoster(s); err != nil {
		e.emitError("fetch roster", err, "")
	}
	s.queue(e.presenceStanza(p), "")
	e.rejoinRooms(s)
	enableCarbons(s)
}

// emit posts ev to the loop; it gives up if nobody will ever read it
// (see ReaderGone).
func (e *Engine) emit(ev event.Event) {
	select {
	case e.out <- ev:
	case <-e.gone:
	}
}

func (e *Engine) emitError(context string, err error, from string) {
	e.emit(event.Error{Header: event.At(e.account), Context: context, Text: err.Error(), From: from})
}

// backoff returns the wait before reconnect attempt n (0-based): doubling
// from min up to max, with ±25% jitter so that many clients cut off at
// once do not return at once.
func backoff(n int, min, max time.Duration) time.Duration {
	d := min
	for i := 0; i < n && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	jitter := time.Duration(rand.Int64N(int64(d)/2+1)) - d/4
	return d + jitter
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
