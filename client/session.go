package client

import (
	"context"
	"crypto/tls"
	"encoding/xml"
	"errors"
	"fmt"
	"sync"
	"time"

	"chat/event"

	"mellium.im/xmpp"
	"mellium.im/xmpp/stanza"
)

// session is one logged-in stream and what belongs to it: the queue of
// stanzas waiting to be written, the IQs waiting for an answer, the
// goroutines working for it and the reason it ended.
type session struct {
	xs        *xmpp.Session
	mechanism string
	addr      string
	tlsInfo   string
	iqTimeout time.Duration // how long a request waits for its answer

	ctx    context.Context // done when the session is over
	cancel context.CancelCauseFunc

	mu      sync.Mutex
	pending []outgoing            // stanzas queued by the send methods
	wake    chan struct{}         // signalled when pending grows
	lastIn  time.Time             // when a stanza last arrived (for keepalive)
	replies map[string]*pendingIQ // IQs sent, by id, awaiting an answer (request.go)
	ended   bool                  // no more requests or goroutines: stop has begun
	wg      sync.WaitGroup        // the goroutines started with spawn

	closing   chan struct{} // closed to ask writeLoop to flush and stop
	flushed   chan struct{} // closed when writeLoop has stopped
	served    chan struct{} // closed when Serve has returned
	closeOnce sync.Once
	onLost    func(what string) // reports a queued stanza that was never sent

	sm      *smState     // the engine's stream management state (nil in some unit tests)
	smLogin smLogin      // what the login learnt about stream management
	resent  []sentStanza // messages the last stream never confirmed, sent again as new
	wmu     sync.Mutex   // held while a stanza is written and counted (smsession.go)
	onState func(sts []sentStanza, state event.MsgState, reason string)
}

// login dials, secures, authenticates and binds.
func (e *Engine) login(ctx context.Context) (*session, error) {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.DialTimeout)
	defer cancel()

	tlsCfg, err := e.cfg.TLS.config(e.cfg.JID.Domainpart())
	if err != nil {
		return nil, fatal(err)
	}
	conn, err := dialServer(ctx, &e.cfg, tlsCfg)
	if err != nil {
		return nil, err
	}
	var mech string
	features := []xmpp.StreamFeature{}
	_, direct := conn.(*tls.Conn)
	if !direct {
		features = append(features, xmpp.StartTLS(tlsCfg))
	}
	var cbTypes []string
	var sml smLogin
	features = append(features, channelBindingTypes(&cbTypes), recordingSASL(e.cfg.Password, &mech, &cbTypes),
		smFeature(e.sm, &sml), bindUnlessResumed(bindResource()))
	xs, err := e.newClientSession(ctx, conn, direct, features...) // guardconn.go: stanza limits
	if err != nil {
		conn.Close()
		return nil, classifyLoginError(err)
	}
	sctx, scancel := context.WithCancelCause(context.Background())
	s := &session{
		xs: xs, mechanism: mech, addr: conn.RemoteAddr().String(), iqTimeout: e.cfg.IQTimeout,
		ctx: sctx, cancel: scancel, wake: make(chan struct{}, 1), lastIn: time.Now(),
		closing: make(chan struct{}), flushed: make(chan struct{}), served: make(chan struct{}),
		onLost: func(what string) {
			e.emitError(what, ErrNotSent, "")
		},
		sm: e.sm, smLogin: sml, onState: e.emitStates,
	}
	if s.pending = e.smQueue(s); len(s.pending) > 0 {
		s.wake <- struct{}{} // written first, before anything queued later
	}
	s.tlsInfo = describeTLS(xs.ConnectionState())
	if direct {
		s.tlsInfo += ", direct TLS"
	} else {
		s.tlsInfo += ", STARTTLS"
	}
	return s, nil
}

// outgoing is a queued stanza; what names it in a "not sent" error, and
// iqID, for a request, finds who waits for its answer.
type outgoing struct {
	r    xml.TokenReader
	what string
	iqID string
}

// queue adds a stanza to the ordered outgoing queue. what, if not empty,
// names it for the error reported should the session end before it is
// written ("message to bob@example.org").
func (s *session) queue(r xml.TokenReader, what string) {
	s.queueOut(outgoing{r: r, what: what})
}

func (s *session) queueOut(o outgoing) {
	s.mu.Lock()
	s.pending = append(s.pending, o)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// spawn runs f on a goroutine that stop waits for. It refuses (false)
// once stop has begun.
func (s *session) spawn(f func()) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended {
		return false
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		f()
	}()
	return true
}

// writeLoop writes queued stanzas in order until the session ends. On a
// graceful close it writes what is still queued first.
func (s *session) writeLoop() {
	defer close(s.flushed)
	if err := s.startStream(); err != nil {
		s.fail(fmt.Errorf("write: %w", err))
		s.dropPending()
		return
	}
	for {
		select {
		case <-s.ctx.Done():
			s.dropPending()
			return
		case <-s.closing:
			s.writePending()
			return
		case <-s.wake:
		}
		if !s.writePending() {
			return
		}
	}
}

func (s *session) writePending() bool {
	for {
		s.mu.Lock()
		batch := s.pending
		s.pending = nil
		s.mu.Unlock()
		if len(batch) == 0 {
			return s.writeOrFail(s.askAck(true))
		}
		for i, o := range batch {
			if !s.waitRoom() {
				s.requeue(batch[i:])
				s.dropPending()
				return false
			}
			toks, size, err := collect(o.r)
			if err != nil { // a stanza that cannot be built: it alone is lost
				s.lose(o)
				continue
			}
			kept, err := s.writeStanza(describe(toks, size))
			if err == nil {
				err = s.askAck(false)
			}
			if err != nil {
				rest := batch[i+1:]
				if !kept { // not kept for a resend: it goes back to the queue
					o.r = &tokenSlice{toks: toks}
					rest = batch[i:]
				}
				s.requeue(rest)
				s.fail(fmt.Errorf("write: %w", err))
				s.dropPending()
				return false
			}
		}
	}
}

// writeOrFail fails the session on a write error.
func (s *session) writeOrFail(err error) bool {
	if err != nil {
		s.fail(fmt.Errorf("write: %w", err))
		s.dropPending()
		return false
	}
	return true
}

// requeue puts stanzas back at the head of the queue.
func (s *session) requeue(os []outgoing) {
	s.mu.Lock()
	s.pending = append(append([]outgoing(nil), os...), s.pending...)
	s.mu.Unlock()
}

// dropPending empties the queue when the session is over: IQs fail (their
// requesters report it); the other stanzas are kept for the next session
// (stream management state), or, without it, reported as never sent.
func (s *session) dropPending() {
	s.mu.Lock()
	lost := s.pending
	s.pending = nil
	s.mu.Unlock()
	var carry []sentStanza
	for _, o := range lost {
		if o.iqID != "" {
			s.failUnsent(o.iqID) // its requester reports it
			continue
		}
		if s.sm != nil {
			if toks, size, err := collect(o.r); err == nil {
				if st := describe(toks, size); st.resend {
					carry = append(carry, st)
				}
				continue
			}
		}
		s.lose(o)
	}
	if s.sm != nil {
		s.sm.lost(carry)
	}
}

func (s *session) lose(o outgoing) {
	if o.iqID != "" {
		s.failUnsent(o.iqID)
		return
	}
	if o.what != "" && s.onLost != nil {
		s.onLost(o.what)
	}
}

// isClosing reports whether a graceful close has begun.
func (s *session) isClosing() bool {
	select {
	case <-s.closing:
		return true
	default:
		return false
	}
}

// wrote records that a write went through: a server that reads what we
// write is slow perhaps, but not dead.
func (s *session) wrote() { s.touch() }

// touch records that the server sent something.
func (s *session) touch() {
	s.mu.Lock()
	s.lastIn = time.Now()
	s.mu.Unlock()
}

func (s *session) idle() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return time.Since(s.lastIn)
}

// fail ends the session because of err: the connection is torn down so
// that Serve returns and the engine reconnects.
func (s *session) fail(err error) {
	s.cancel(err)
	s.xs.Conn().Close()
}

// closeWhenCancelled closes the session gracefully when ctx (the
// engine's) is cancelled; it returns early if the session ends first.
func (s *session) closeWhenCancelled(ctx context.Context) {
	select {
	case <-ctx.Done():
		s.closeGracefully()
	case <-s.ctx.Done():
	}
}

// closeGracefully ends the session on purpose: what is still queued, then
// unavailable presence, then the closing stream tag; the connection is
// closed once the server has closed its side (Serve returned) or after a
// grace period.
func (s *session) closeGracefully() {
	s.closeOnce.Do(func() { close(s.closing) })
	waitAtMost(s.flushed, 5*time.Second) // let queued stanzas go out first: nothing typed is lost
	s.awaitAcks(3 * time.Second)         // and let the server confirm them, so they are "sent"
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel() // only once the connection is closed (see writePending)
	_ = s.xs.Send(ctx, stanza.Presence{Type: stanza.UnavailablePresence}.Wrap(nil))
	_ = s.xs.Close()
	s.cancel(errors.New("disconnected"))
	waitAtMost(s.served, 2*time.Second)
	s.xs.Conn().Close()
}

// waitAtMost waits until ch is closed or d has passed.
func waitAtMost(ch <-chan struct{}, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ch:
	case <-t.C:
	}
}

// stop releases the session after Serve has returned: it ends the
// connection, fails the requests still waiting, and waits for every
// goroutine the session started, so none outlives it.
func (s *session) stop() {
	close(s.served)
	s.cancel(errors.New("session ended"))
	s.xs.Conn().Close()
	<-s.flushed // writeLoop is the first goroutine serve starts; its unsent IQs fail as "not sent"
	s.failPending(ErrSessionEnded)
	s.wg.Wait()
}

// cause returns why the session was cancelled by us, if it was.
func (s *session) cause() error {
	err := context.Cause(s.ctx)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// fatalError marks errors that retrying cannot fix.
type fatalError struct{ err error }

func (f fatalError) Error() string { return f.err.Error() }
func (f fatalError) Unwrap() error { return f.err }

func fatal(err error) error { return fatalError{err} }

func isFatal(err error) bool {
	var f fatalError
	return errors.As(err, &f)
}

// classifyLoginError turns what mellium returns into a message a person
// can act on, and marks the ones not worth retrying.
func classifyLoginError(err error) error {
	var cert *UntrustedCertError
	if errors.As(err, &cert) {
		return fatal(cert)
	}
	var auth *AuthError
	if errors.As(err, &auth) && !auth.Temporary() {
		return fatal(fmt.Errorf("login refused: wrong JID or password (%w)", err))
	}
	if errors.Is(err, errNoMechanism) {
		return fatal(fmt.Errorf("login impossible: the server offers no SASL mechanism we trust (%w)", err))
	}
	return fmt.Errorf("login: %w", err)
}
