package server

import (
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"mellium.im/xmpp/jid"
)

// session is one bound resource: the reader (which routes what it reads)
// runs on the connection's goroutine, the writer on its own, fed by a
// bounded queue.
type session struct {
	srv  *Server
	c    *conn
	jid  jid.JID
	full string // jid as text
	bare string // the account, as text

	qmu      sync.Mutex
	queue    []item        // serialised stanzas waiting for the writer
	qbytes   int           // bytes queued or being written, counted in srv.queued
	qclosed  bool          // the queue is released: nothing more is counted
	room     chan struct{} // closed and replaced when the writer makes progress
	sm       smState       // stream management (sm.go)
	offDone  []int64       // offline messages delivered, to delete
	wake     chan struct{} // signalled when queue grows
	detach   atomic.Bool   // kept for a resumption when the connection ends
	ended    chan struct{} // closed once detached or ended for good
	offLast  int64         // the last offline message queued; under the account lock
	offStart int64         // offline messages up to this one went to another session; under the account lock
	done     chan struct{} // closed when the session is ending
	endOnce  sync.Once
	endErr   *streamError  // sent before the connection closes, if any
	wdone    chan struct{} // closed when the writer has finished

	mu         sync.Mutex
	available  bool            // initial presence sent and not unavailable since
	priority   int             // of the last available presence
	presence   *node           // the last available presence, from stamped, no to
	interested bool            // asked for the roster: gets roster pushes
	directed   map[string]bool // JIDs sent directed presence outside the roster
	carbons    bool            // enabled XEP-0280 carbons
}

func newSession(c *conn, full jid.JID) *session {
	return &session{
		srv: c.srv, c: c, jid: full, full: full.String(), bare: full.Bare().String(),
		wake: make(chan struct{}, 1), done: make(chan struct{}), wdone: make(chan struct{}),
		room: make(chan struct{}), ended: make(chan struct{}),
	}
}

// end starts closing the session: the writer flushes, sends err (if any)
// and the stream's end tag, and closes the connection. hard closes the
// connection at once, for a client that does not read.
func (s *session) end(err *streamError, hard bool) {
	s.endOnce.Do(func() {
		s.endErr = err
		close(s.done)
	})
	if hard {
		_ = s.c.raw.Close()
	}
}

// run reads and routes stanzas until the stream ends, then unregisters the
// session, waits for its writer and reads what the client still sends
// until it closes, so that the stream error and end tag reach it.
func (s *session) run() {
	go s.writeLoop()
	for {
		n, err := s.c.r.next()
		if err != nil {
			s.readFailed(err)
			break
		}
		if !s.handle(n) {
			break
		}
	}
	<-s.wdone
	s.srv.detachOrEnd(s)
	s.c.drain()
}

// readFailed ends the session after a read error: a broken connection
// of a resumable session detaches it (see sm.go), a stream error is sent.
func (s *session) readFailed(err error) {
	if s.resumable() && s.c.r.in.err != nil && !errors.Is(err, errStreamClosed) {
		s.detach.Store(true)
		s.end(nil, false)
		return
	}
	var se *streamError
	if errors.As(err, &se) {
		s.srv.logf("%s: %v", s.full, se)
		s.end(se, false)
		return
	}
	s.end(nil, false)
}

// resumable reports whether the client enabled resumption.
func (s *session) resumable() bool {
	s.qmu.Lock()
	defer s.qmu.Unlock()
	return s.sm.id != ""
}

// handle routes one stanza; a panic in routing ends this session with an
// internal-server-error instead of the whole server.
func (s *session) handle(n *node) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			s.srv.logf("panic routing a stanza from %s: %v\n%s", s.full, r, debug.Stack())
			s.end(errStream("internal-server-error", ""), false)
			ok = false
		}
	}()
	select {
	case <-s.done:
		return false
	default:
	}
	if n.name.Space == nsSM {
		s.handleSM(n)
		return true
	}
	s.srv.route(s, n)
	s.sm.in++ // handled: routed or stored
	return true
}

// Presence state, guarded by mu.

func (s *session) isAvailable() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.available
}

// availablePriority returns the priority if the session is available.
func (s *session) availablePriority() (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.priority, s.available
}

func (s *session) lastPresence() *node {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.available {
		return nil
	}
	return s.presence
}

// setAvailable records an available presence and reports whether it is
// the session's initial presence.
func (s *session) setAvailable(p *node, prio int) (initial bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	initial = !s.available
	s.available, s.presence, s.priority = true, p, prio
	return initial
}

// goUnavailable marks the session unavailable and returns the JIDs it sent
// directed presence to; wasAvailable is false if it already was (so that
// only one caller broadcasts the unavailable presence).
func (s *session) goUnavailable() (wasAvailable bool, directed []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for j := range s.directed {
		directed = append(directed, j)
	}
	wasAvailable = s.available
	s.available, s.presence, s.directed = false, nil, nil
	return wasAvailable, directed
}

// noteDirected records (or forgets) a directed presence to j.
func (s *session) noteDirected(j string, available bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !available {
		delete(s.directed, j)
		return
	}
	if s.directed == nil {
		s.directed = map[string]bool{}
	}
	if len(s.directed) < 1000 {
		s.directed[j] = true
	}
}

func (s *session) setInterested() {
	s.mu.Lock()
	s.interested = true
	s.mu.Unlock()
}

func (s *session) isInterested() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.interested
}

func (s *session) String() string { return fmt.Sprintf("session %s", s.full) }
