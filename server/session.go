package server

import (
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

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

	qmu     sync.Mutex
	queue   [][]byte      // serialised stanzas waiting for the writer
	wake    chan struct{} // signalled when queue grows
	done    chan struct{} // closed when the session is ending
	endOnce sync.Once
	endErr  *streamError  // sent before the connection closes, if any
	wdone   chan struct{} // closed when the writer has finished

	mu         sync.Mutex
	available  bool            // initial presence sent and not unavailable since
	priority   int             // of the last available presence
	presence   *node           // the last available presence, from stamped, no to
	interested bool            // asked for the roster: gets roster pushes
	directed   map[string]bool // JIDs sent directed presence outside the roster
}

func newSession(c *conn, full jid.JID) *session {
	return &session{
		srv: c.srv, c: c, jid: full, full: full.String(), bare: full.Bare().String(),
		wake: make(chan struct{}, 1), done: make(chan struct{}), wdone: make(chan struct{}),
	}
}

// send queues a serialised stanza for the client without waiting. A full
// queue means the client does not read: it is dropped.
func (s *session) send(b []byte) bool {
	select {
	case <-s.done:
		return false
	default:
	}
	s.qmu.Lock()
	if len(s.queue) >= s.srv.cfg.QueueSize {
		s.qmu.Unlock()
		s.srv.logf("dropping %s: %d stanzas waiting, the client does not read", s.full, s.srv.cfg.QueueSize)
		s.end(errStream("policy-violation", "too slow: outgoing queue full"), true)
		return false
	}
	s.queue = append(s.queue, b)
	s.qmu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
	return true
}

// take empties the queue.
func (s *session) take() [][]byte {
	s.qmu.Lock()
	defer s.qmu.Unlock()
	q := s.queue
	s.queue = nil
	return q
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
// session and waits for its writer.
func (s *session) run() {
	go s.writeLoop()
	for {
		n, err := s.c.r.next()
		if err != nil {
			var se *streamError
			if errors.As(err, &se) {
				s.srv.logf("%s: %v", s.full, se)
				s.end(se, false)
			} else {
				s.end(nil, false)
			}
			break
		}
		if !s.handle(n) {
			break
		}
	}
	s.srv.unbindSession(s)
	<-s.wdone
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
	s.srv.route(s, n)
	return true
}

// writeLoop writes queued stanzas in batches, each write bounded by
// WriteTimeout, until the session ends.
func (s *session) writeLoop() {
	defer close(s.wdone)
	defer s.c.raw.Close()
	var buf []byte
	for {
		select {
		case <-s.wake:
			for _, b := range s.take() {
				buf = append(buf, b...)
				if len(buf) < 32<<10 {
					continue
				}
				if !s.write(buf) {
					return
				}
				buf = buf[:0]
			}
			if len(buf) > 0 && !s.write(buf) {
				return
			}
			if cap(buf) > 64<<10 {
				buf = nil
			}
			buf = buf[:0]
		case <-s.done:
			s.finish()
			return
		}
	}
}

func (s *session) write(b []byte) bool {
	_ = s.c.nc.SetWriteDeadline(time.Now().Add(s.srv.cfg.WriteTimeout))
	if _, err := s.c.nc.Write(b); err != nil {
		s.end(nil, true)
		return false
	}
	return true
}

// finish writes what is still queued, the stream error if any and the
// stream's end tag, within a short deadline.
func (s *session) finish() {
	var buf []byte
	for _, b := range s.take() {
		if len(buf) < 256<<10 {
			buf = append(buf, b...)
		}
	}
	if s.endErr != nil {
		buf = append(buf, s.endErr.bytes()...)
	} else {
		buf = append(buf, "</stream:stream>"...)
	}
	_ = s.c.nc.SetWriteDeadline(time.Now().Add(2 * time.Second))
	_, _ = s.c.nc.Write(buf)
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
