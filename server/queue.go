package server

import (
	"fmt"
	"time"
)

// A session's outgoing queue is bounded twice: by stanzas (QueueSize) and
// by bytes (QueueBytes), counting what is queued and what the writer is
// writing. The bytes of all sessions together are bounded too
// (MaxQueuedBytes): past that, the session with the most bytes waiting is
// dropped.
//
// A full queue is back-pressure, not a verdict: send waits for room, so
// the reader feeding it (a sender's read loop) stops reading until the
// recipient's writer makes progress. Only a session whose writer makes no
// progress at all for SendWait is dropped: a client that reads, however
// slowly, is never dropped, and its senders are slowed to its pace.

// minShed is the least a session must have waiting to be dropped for the
// server's total: a reader briefly behind by a stanza or two is spared.
const minShed = 64 << 10

// item is one serialised stanza (or stream-management nonza) waiting for
// the writer.
type item struct {
	b       []byte
	msg     bool  // a routed message: kept offline if never acknowledged
	offline int64 // the offline row it comes from: deleted once delivered
	nonza   bool  // not a stanza: not counted by stream management
}

// send queues a serialised stanza for the client, waiting for room (see
// above). It reports false if the session is gone or was dropped.
func (s *session) send(b []byte) bool { return s.sendItem(item{b: b}) }

// sendMsg queues a routed message, which stream management keeps until
// the client acknowledges it.
func (s *session) sendMsg(b []byte) bool { return s.sendItem(item{b: b, msg: true}) }

func (s *session) sendItem(it item) bool {
	var timer *time.Timer
	for {
		s.qmu.Lock()
		if s.qclosed {
			s.qmu.Unlock()
			return false
		}
		why := s.overflow(len(it.b))
		if why == "" {
			s.enqueue(it)
			s.qmu.Unlock()
			break
		}
		room := s.room
		s.qmu.Unlock()
		if timer == nil {
			timer = time.NewTimer(s.srv.cfg.SendWait)
			defer timer.Stop()
		}
		select {
		case <-room: // progress: wait afresh for room
			if !timer.Stop() {
				<-timer.C
			}
			timer.Reset(s.srv.cfg.SendWait)
		case <-s.done:
			return false
		case <-timer.C:
			s.drop(why)
			return false
		}
	}
	if s.srv.queued.Add(int64(len(it.b))) > int64(s.srv.cfg.MaxQueuedBytes) {
		s.srv.shed()
	}
	select {
	case s.wake <- struct{}{}:
	default:
	}
	return true
}

// enqueue adds it to the queue (and to stream management's unacknowledged
// stanzas). The caller holds qmu.
func (s *session) enqueue(it item) {
	s.queue = append(s.queue, it)
	s.qbytes += len(it.b)
	if !it.nonza {
		s.sm.sent(it)
	}
}

// overflow says why adding n bytes would overfill the queue, or "". A
// stanza larger than QueueBytes still goes to an empty queue. The caller
// holds qmu.
func (s *session) overflow(n int) string {
	cfg := &s.srv.cfg
	switch {
	case len(s.queue) >= cfg.QueueSize:
		return fmt.Sprintf("%d stanzas waiting", len(s.queue))
	case s.qbytes > 0 && s.qbytes+n > cfg.QueueBytes:
		return fmt.Sprintf("%d bytes waiting", s.qbytes)
	}
	return s.sm.overflow(cfg)
}

// progressed wakes the senders waiting for room. The caller holds qmu.
func (s *session) progressed() {
	close(s.room)
	s.room = make(chan struct{})
}

// drop ends a session that does not read, at once, and forgets its queue.
func (s *session) drop(why string) {
	s.srv.logf("dropping %s: %s, the client does not read", s.full, why)
	s.end(errStream("policy-violation", "too slow: outgoing queue full"), true)
	s.releaseQueue()
}

// pending returns the bytes queued or being written.
func (s *session) pending() int {
	s.qmu.Lock()
	defer s.qmu.Unlock()
	return s.qbytes
}

// take empties the queue; the bytes stay counted until written.
func (s *session) take() []item {
	s.qmu.Lock()
	defer s.qmu.Unlock()
	q := s.queue
	s.queue = nil
	if len(q) > 0 {
		s.progressed()
	}
	return q
}

// written uncounts the items the writer has written and notes the
// offline messages among them as delivered when stream management does
// not wait for the client's acknowledgement.
func (s *session) written(items []item, n int) {
	s.qmu.Lock()
	defer s.qmu.Unlock()
	if s.qclosed {
		return
	}
	s.qbytes -= n
	s.srv.queued.Add(-int64(n))
	if !s.sm.enabled {
		for _, it := range items {
			if it.offline != 0 {
				s.offDone = append(s.offDone, it.offline)
			}
		}
	}
	s.progressed()
}

// releaseQueue forgets the queue and uncounts its bytes; later sends are
// refused.
func (s *session) releaseQueue() {
	s.qmu.Lock()
	defer s.qmu.Unlock()
	if s.qclosed {
		return
	}
	s.qclosed = true
	s.srv.queued.Add(-int64(s.qbytes))
	s.qbytes, s.queue = 0, nil
	s.progressed()
}

// shed brings the bytes queued for all sessions back under MaxQueuedBytes
// by dropping the sessions with the most waiting.
func (srv *Server) shed() {
	for srv.queued.Load() > int64(srv.cfg.MaxQueuedBytes) {
		var worst *session
		most := minShed - 1
		for _, s := range srv.reg.all() {
			if n := s.pending(); n > most {
				worst, most = s, n
			}
		}
		if worst == nil {
			return
		}
		worst.drop(fmt.Sprintf("%d bytes waiting while the server holds more than %d", most, srv.cfg.MaxQueuedBytes))
	}
}
