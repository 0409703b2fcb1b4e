package server

import (
	"fmt"
	"time"
)

// A session's outgoing queue is bounded twice: by stanzas (QueueSize) and
// by bytes (QueueBytes), counting what is queued and what the writer is
// writing. The bytes of all sessions together are bounded too
// (MaxQueuedBytes): past that, the session with the most bytes waiting is
// dropped. A client that reads keeps its queue near empty and is never
// dropped; one that does not read fills it and is.

// minShed is the least a session must have waiting to be dropped for the
// server's total: a reader briefly behind by a stanza or two is spared.
const minShed = 64 << 10

// send queues a serialised stanza for the client without waiting. A full
// queue means the client does not read: it is dropped.
func (s *session) send(b []byte) bool {
	select {
	case <-s.done:
		return false
	default:
	}
	s.qmu.Lock()
	if s.qclosed {
		s.qmu.Unlock()
		return false
	}
	if why := s.overflow(len(b)); why != "" {
		s.qmu.Unlock()
		s.drop(why)
		return false
	}
	s.queue = append(s.queue, b)
	s.qbytes += len(b)
	s.qmu.Unlock()
	if s.srv.queued.Add(int64(len(b))) > int64(s.srv.cfg.MaxQueuedBytes) {
		s.srv.shed()
	}
	select {
	case s.wake <- struct{}{}:
	default:
	}
	return true
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
	return ""
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
func (s *session) take() [][]byte {
	s.qmu.Lock()
	defer s.qmu.Unlock()
	q := s.queue
	s.queue = nil
	return q
}

// written uncounts n bytes the writer has written.
func (s *session) written(n int) {
	s.qmu.Lock()
	defer s.qmu.Unlock()
	if s.qclosed {
		return
	}
	s.qbytes -= n
	s.srv.queued.Add(-int64(n))
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

// writeLoop writes queued stanzas in batches, each write bounded by
// WriteTimeout, until the session ends.
func (s *session) writeLoop() {
	defer close(s.wdone)
	defer s.releaseQueue()
	var buf []byte
	for {
		select {
		case <-s.wake:
			if !s.flush(&buf) {
				return
			}
		case <-s.done:
			s.finish()
			return
		}
	}
}

// flush writes what is queued, in writes of about 32 KiB.
func (s *session) flush(buf *[]byte) bool {
	b, counted := (*buf)[:0], 0
	for _, q := range s.take() {
		b = append(b, q...)
		counted += len(q)
		if len(b) < 32<<10 {
			continue
		}
		if !s.write(b) {
			return false
		}
		s.written(counted)
		b, counted = b[:0], 0
	}
	if len(b) > 0 && !s.write(b) {
		return false
	}
	s.written(counted)
	if cap(b) > 64<<10 {
		b = nil
	}
	*buf = b
	return true
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
// stream's end tag, within a short deadline, and then closes our side of
// the connection so that the client can read all of it (the reader
// drains what the client still sends: see conn.drain).
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
	if _, err := s.c.nc.Write(buf); err != nil {
		_ = s.c.raw.Close()
		return
	}
	s.c.closeWrite()
}
