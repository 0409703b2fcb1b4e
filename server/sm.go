package server

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"time"
)

// Stream management (XEP-0198) on the server side. After <enable/> every
// stanza queued for the client is kept until the client acknowledges it
// (<a h/>, counted mod 2^32); the server asks with <r/> after each batch
// it writes. The server's own count of the client's stanzas goes up only
// once a stanza has been handled: routed to a session's queue or
// committed to the store, so that an acknowledged stanza is never lost to
// a crash. A resumable session whose connection breaks is kept for
// ResumeTimeout under an unguessable id bound to its account: a <resume/>
// from that account takes it over and gets the unacknowledged stanzas
// again; if nobody resumes it, its unacknowledged messages go to offline
// storage.

const nsSM = "urn:xmpp:sm:3"

// smState is a session's stream management, guarded by session.qmu
// (in by the reader alone).
type smState struct {
	enabled bool
	id      string // resumption id, "" if not resumable
	in      uint32 // the client's stanzas handled
	out     uint32 // stanzas queued since enable
	unacked []item // queued since enable and not acknowledged, oldest first
	ubytes  int
}

// sent notes a queued stanza.
func (m *smState) sent(it item) {
	if !m.enabled {
		return
	}
	m.out++
	m.unacked = append(m.unacked, it)
	m.ubytes += len(it.b)
}

// overflow bounds what waits for acknowledgement: twice the queue's
// bounds.
func (m *smState) overflow(cfg *Config) string {
	switch {
	case len(m.unacked) >= 2*cfg.QueueSize:
		return strconv.Itoa(len(m.unacked)) + " stanzas unacknowledged"
	case m.ubytes > 0 && m.ubytes >= 2*cfg.QueueBytes:
		return strconv.Itoa(m.ubytes) + " bytes unacknowledged"
	}
	return ""
}

// ack drops the stanzas the client's count h acknowledges and returns
// them; ok is false if h acknowledges more than was sent.
func (m *smState) ack(h uint32) (acked []item, ok bool) {
	base := m.out - uint32(len(m.unacked))
	n := h - base // mod 2^32
	if n > uint32(len(m.unacked)) {
		return nil, false
	}
	acked = m.unacked[:n]
	m.unacked = append([]item(nil), m.unacked[n:]...)
	for _, it := range acked {
		m.ubytes -= len(it.b)
	}
	return acked, true
}

func (s *session) smEnabled() bool {
	s.qmu.Lock()
	defer s.qmu.Unlock()
	return s.sm.enabled
}

// handleSM answers a stream management element from the client.
func (s *session) handleSM(n *node) {
	switch n.name.Local {
	case "enable":
		s.enableSM(n)
	case "r":
		s.sendItem(nonza(elem(nsSM, "a", "h", strconv.FormatUint(uint64(s.sm.in), 10))))
	case "a":
		h, err := strconv.ParseUint(n.get("h"), 10, 32)
		if err != nil {
			s.end(errStream("undefined-condition", "bad h in <a/>"), false)
			return
		}
		s.acked(uint32(h))
	default:
		s.end(errStream("unsupported-stanza-type", "<%s/> of stream management", n.name.Local), false)
	}
}

func nonza(n *node) item { return item{b: n.appendTo(nil, nsClient), nonza: true} }

func (s *session) enableSM(n *node) {
	s.qmu.Lock()
	if s.sm.enabled {
		s.qmu.Unlock()
		s.sendItem(nonza(elem(nsSM, "failed").add(elem(nsStanzas, "unexpected-request"))))
		return
	}
	s.sm.enabled, s.sm.in = true, 0
	resume := n.get("resume") == "true" || n.get("resume") == "1"
	if resume {
		s.sm.id = newResumeID()
	}
	s.qmu.Unlock()
	e := elem(nsSM, "enabled", "id", s.sm.id)
	if resume {
		e.set("resume", "true")
		e.set("max", strconv.Itoa(int(s.srv.cfg.ResumeTimeout/time.Second)))
		s.srv.resumes.add(s)
	}
	s.sendItem(nonza(e))
}

// acked handles the client's <a h/>.
func (s *session) acked(h uint32) {
	s.qmu.Lock()
	acked, ok := s.sm.ack(h)
	for _, it := range acked {
		if it.offline != 0 {
			s.offDone = append(s.offDone, it.offline)
		}
	}
	if ok {
		s.progressed()
	}
	s.qmu.Unlock()
	if !ok {
		s.end(errStream("undefined-condition", "h acknowledges more stanzas than were sent"), false)
		return
	}
	s.srv.flushOffline(s)
}

// newResumeID returns 128 random bits in hex.
func newResumeID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
