package server

import (
	"strconv"
	"sync"
	"time"
)

// resumes holds the resumable sessions by resumption id: attached ones
// and detached ones waiting for a <resume/> (see sm.go).
type resumes struct {
	mu   sync.Mutex
	byID map[string]*session
}

func (r *resumes) add(s *session) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byID == nil {
		r.byID = map[string]*session{}
	}
	r.byID[s.sm.id] = s
}

func (r *resumes) get(id string) *session {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.byID[id]
}

// take removes s if it is still listed, reporting whether it was: only
// one of a resumption and an expiry gets a detached session.
func (r *resumes) take(s *session) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byID[s.sm.id] != s {
		return false
	}
	delete(r.byID, s.sm.id)
	return true
}

// detaching reports whether the session is kept for a resumption.
func (s *session) detaching() bool { return s.detach.Load() }

// detachOrEnd runs when s's connection is over: a resumable session is
// kept for ResumeTimeout, anything else ends for good.
func (srv *Server) detachOrEnd(s *session) {
	defer close(s.ended)
	if s.detaching() && srv.ctx.Err() == nil {
		srv.reg.remove(s)
		srv.logf("%s detached, resumable for %v", s.full, srv.cfg.ResumeTimeout)
		time.AfterFunc(srv.cfg.ResumeTimeout, func() {
			if srv.ctx.Err() == nil && srv.resumes.take(s) {
				kept := srv.settle(s)
				srv.logf("%s was not resumed: %d unacknowledged messages kept offline", s.full, kept)
			}
		})
		return
	}
	srv.resumes.take(s)
	srv.unbindSession(s)
	if kept := srv.settle(s); kept > 0 {
		srv.logf("%s: %d unacknowledged messages kept offline", s.full, kept)
	}
}

// settleDetached ends every detached session for good, when the server
// stops: what their clients did not acknowledge is kept offline.
func (srv *Server) settleDetached() {
	srv.resumes.mu.Lock()
	var detached []*session
	for _, s := range srv.resumes.byID {
		if s.detaching() {
			detached = append(detached, s)
		}
	}
	srv.resumes.mu.Unlock()
	for _, s := range detached {
		if srv.resumes.take(s) {
			srv.settle(s)
		}
	}
}

// settle ends a session for good: the messages the client did not
// acknowledge are kept offline (those read from offline storage are
// still there) and its offline claim is released.
func (srv *Server) settle(s *session) (kept int) {
	s.qmu.Lock()
	unacked := s.sm.unacked
	s.sm.unacked, s.sm.ubytes = nil, 0
	s.qmu.Unlock()
	s.releaseQueue()
	for _, it := range unacked {
		if !it.msg || it.offline != 0 {
			continue
		}
		n, err := parseStanza(it.b)
		if err == nil {
			err = srv.keepOffline(n, s.bare)
		}
		if err != nil {
			srv.logf("keep an unacknowledged message of %s offline: %v", s.full, err)
			continue
		}
		kept++
	}
	if s.detaching() && srv.reg.session(s.bare, s.jid.Resourcepart()) == nil {
		srv.presenceGone(s) // unless a new session has the resource now
	}
	srv.releaseOffline(s)
	return kept
}

// resume handles <resume/> in place of resource binding; it returns the
// resumed session, or nil after answering <failed/>.
func (c *conn) resume(n *node) (*session, error) {
	old := c.srv.resumes.get(n.get("previd"))
	h, herr := strconv.ParseUint(n.get("h"), 10, 32)
	if old == nil || old.bare != c.user.Bare().String() || herr != nil {
		return nil, c.write(nonza(elem(nsSM, "failed").add(elem(nsStanzas, "item-not-found"))).b)
	}
	old.detach.Store(true)
	old.end(nil, true) // the old connection may not have noticed yet
	select {
	case <-old.ended:
	case <-time.After(10 * time.Second):
	}
	if !c.srv.resumes.take(old) {
		return nil, c.write(nonza(elem(nsSM, "failed").add(elem(nsStanzas, "item-not-found"))).b)
	}
	s := newSession(c, old.jid)
	s.takeOver(old)
	if !c.srv.markBound(c) {
		return nil, errStream("system-shutdown", "the server is stopping")
	}
	s.acked(uint32(h))
	s.requeue()
	if err := c.write(nonza(elem(nsSM, "resumed", "previd", s.sm.id, "h", strconv.FormatUint(uint64(s.sm.in), 10))).b); err != nil {
		return nil, err
	}
	c.srv.handOffline(old, s)
	c.srv.resumes.add(s)
	c.srv.bindSession(s)
	c.srv.logf("%s resumed with %d unacknowledged stanzas", s.full, len(s.sm.unacked))
	if s.isAvailable() {
		unlock := c.srv.locks.lock(s.bare)
		c.srv.deliverOffline(s)
		unlock()
	}
	return s, nil
}

// takeOver copies a detached session's state into its successor.
func (s *session) takeOver(old *session) {
	old.mu.Lock()
	s.available, s.priority, s.presence = old.available, old.priority, old.presence
	s.interested, s.directed, s.carbons = old.interested, old.directed, old.carbons
	old.mu.Unlock()
	old.qmu.Lock()
	s.sm = old.sm
	s.sm.unacked = append([]item(nil), old.sm.unacked...)
	s.offDone = old.offDone
	old.sm.unacked, old.sm.ubytes, old.offDone = nil, 0, nil
	old.qmu.Unlock()
	old.releaseQueue()
}

// requeue queues again what the client has not acknowledged.
func (s *session) requeue() {
	s.qmu.Lock()
	for _, it := range s.sm.unacked {
		s.queue = append(s.queue, it)
		s.qbytes += len(it.b)
		s.srv.queued.Add(int64(len(it.b)))
	}
	s.qmu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}
