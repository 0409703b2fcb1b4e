package server

import (
	"errors"
	"net"
	"time"
)

// writeLoop writes queued stanzas in batches, each write bounded by
// WriteTimeout, until the session ends.
func (s *session) writeLoop() {
	defer close(s.wdone)
	var buf []byte
	for {
		select {
		case <-s.wake:
			if !s.flush(&buf) {
				return
			}
			s.srv.flushOffline(s)
		case <-s.done:
			s.finish()
			return
		}
	}
}

// flush writes what is queued, in writes of about 32 KiB, and asks a
// stream-management client to acknowledge what it got.
func (s *session) flush(buf *[]byte) bool {
	b, counted, from := (*buf)[:0], 0, 0
	items := s.take()
	stanzas := false
	for i, q := range items {
		b = append(b, q.b...)
		counted += len(q.b)
		stanzas = stanzas || !q.nonza
		if len(b) < 32<<10 {
			continue
		}
		if !s.write(b) {
			return false
		}
		s.written(items[from:i+1], counted)
		b, counted, from = b[:0], 0, i+1
	}
	if stanzas && s.smEnabled() {
		b = append(b, "<r xmlns='urn:xmpp:sm:3'/>"...)
	}
	if len(b) > 0 && !s.write(b) {
		return false
	}
	s.written(items[from:], counted)
	if cap(b) > 64<<10 {
		b = nil
	}
	*buf = b
	return true
}

func (s *session) write(b []byte) bool {
	_ = s.c.nc.SetWriteDeadline(time.Now().Add(s.srv.cfg.WriteTimeout))
	if _, err := s.c.nc.Write(b); err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			s.srv.logf("dropping %s: a write took longer than %v, the client does not read", s.full, s.srv.cfg.WriteTimeout)
		}
		s.end(nil, true)
		return false
	}
	return true
}

// finish writes what is still queued, the stream error if any and the
// stream's end tag, within a short deadline, and then closes our side of
// the connection so that the client can read all of it (the reader
// drains what the client still sends: see conn.drain). A session that
// may be resumed writes nothing more: what is queued waits for the
// resumption.
func (s *session) finish() {
	if s.detaching() {
		return
	}
	var buf []byte
	for _, it := range s.take() {
		if len(buf) < 256<<10 {
			buf = append(buf, it.b...)
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
