package client

import (
	"encoding/xml"
	"sync"
	"time"

	"chat/event"

	"mellium.im/xmpp/jid"
)

// This file is the engine's XEP-0198 stream management state: what
// outlives one connection so that the next can resume the stream, or, when
// the server refuses, resend what it never confirmed. The counting itself
// happens where every stanza is written and read (smsession.go); the
// resumption is a stream feature negotiated before binding (smfeature.go).

const nsSM = "urn:xmpp:sm:3"

// sentStanza is a stanza written on a stream with stream management and not
// yet acknowledged: kept, as tokens, to be resent.
type sentStanza struct {
	toks   []xml.Token
	size   int
	msgID  string // a message's id: its state is reported
	to     string
	resend bool // a message or a directed presence: sent again as new when the stream cannot be resumed
	iq     bool
}

// smState is one account's stream management state. The engine keeps one
// for its whole life; sessions come and go.
type smState struct {
	mu       sync.Mutex
	maxBytes int // bound of the bytes kept in unacked

	on       bool   // this stream has stream management (enable sent, no failure since)
	counting bool   // <enabled/> arrived: inbound stanzas are counted
	id       string // resumption id; "" if the stream cannot be resumed
	max      time.Duration
	bound    jid.JID // the full JID of the stream to resume
	lostAt   time.Time
	inH      uint32 // stanzas received and handled (mod 2^32)
	outH     uint32 // stanzas written (mod 2^32)
	ackedH   uint32 // the server's last h
	unacked  []sentStanza
	bytes    int
	carry    []sentStanza // queued but never written when the last session ended
	rOut     bool         // an <r/> is outstanding
	sinceR   int          // stanzas written since the last <r/>
	ackWake  chan struct{}
}

func newSMState(maxBytes int) *smState {
	return &smState{maxBytes: maxBytes, ackWake: make(chan struct{}, 1)}
}

// startFresh begins a new stream (after bind): counters from zero; what
// was never acknowledged on the last stream comes back to be resent as new
// stanzas (messages and directed presence; IQs died with their session).
func (m *smState) startFresh(offered bool) (resend []sentStanza) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, st := range m.unacked {
		if st.resend {
			resend = append(resend, st)
		}
	}
	m.unacked, m.bytes = nil, 0
	m.on, m.counting, m.id = offered, false, ""
	m.inH, m.outH, m.ackedH = 0, 0, 0
	m.rOut, m.sinceR = false, 0
	return resend
}

// resumable returns what a <resume/> needs, if the last stream can be
// resumed.
func (m *smState) resumable() (id string, h uint32, bound jid.JID, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.id == "" || (m.max > 0 && !m.lostAt.IsZero() && time.Since(m.lostAt) > m.max) {
		return "", 0, jid.JID{}, false
	}
	return m.id, m.inH, m.bound, true
}

// resumed takes the server's count from <resumed h/>: what it has is
// dropped, and the rest is returned to be written again, in order, on the
// resumed stream (where it is counted again).
func (m *smState) resumed(h uint32) (acked, again []sentStanza) {
	m.mu.Lock()
	defer m.mu.Unlock()
	acked = m.ackLocked(h)
	again = m.unacked
	m.unacked, m.bytes = nil, 0
	m.outH = h
	m.rOut, m.sinceR = false, 0
	m.on, m.counting = true, true
	return acked, again
}

// refused records a resumption the server refused; h, if it sent one, says
// what it did receive.
func (m *smState) refused(h uint32, hasH bool) (acked []sentStanza) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if hasH {
		acked = m.ackLocked(h)
	}
	m.id = ""
	return acked
}

// enabled records the server's <enabled/>.
func (m *smState) enabled(id string, resume bool, max time.Duration, bound jid.JID) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.counting = true
	m.inH = 0
	if resume {
		m.id, m.max, m.bound = id, max, bound
	}
}

// disable records that the server refused to enable stream management:
// what was kept is handed back (it was written; there is nothing more to
// wait for).
func (m *smState) disable() []sentStanza {
	m.mu.Lock()
	defer m.mu.Unlock()
	kept := m.unacked
	m.unacked, m.bytes = nil, 0
	m.on, m.counting, m.id = false, false, ""
	return kept
}

// record notes a stanza written: with stream management it is kept until
// acknowledged. It reports whether it was kept.
func (m *smState) record(st sentStanza) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.on {
		return false
	}
	m.outH++
	m.sinceR++
	m.unacked = append(m.unacked, st)
	m.bytes += st.size
	return true
}

// ack takes the server's count from <a h/> and returns the stanzas it
// confirms.
func (m *smState) ack(h uint32) []sentStanza {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.rOut = false
	acked := m.ackLocked(h)
	select {
	case m.ackWake <- struct{}{}:
	default:
	}
	return acked
}

// ackLocked drops what h confirms. A count beyond what we wrote (a broken
// or hostile server) confirms only what we have.
func (m *smState) ackLocked(h uint32) []sentStanza {
	n := int(h - m.ackedH) // mod 2^32
	if n < 0 || n > len(m.unacked) {
		n = len(m.unacked)
		h = m.ackedH + uint32(n)
	}
	m.ackedH = h
	acked := m.unacked[:n:n]
	m.unacked = append([]sentStanza(nil), m.unacked[n:]...)
	for _, st := range acked {
		m.bytes -= st.size
	}
	return acked
}

// handled counts one inbound stanza, once stream management counts.
func (m *smState) handled() {
	m.mu.Lock()
	if m.counting {
		m.inH++
	}
	m.mu.Unlock()
}

func (m *smState) inbound() uint32 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.inH
}

// wantR reports whether to ask for an ack now: after a burst (idle) or
// every 32 stanzas, with none outstanding.
func (m *smState) wantR(idle bool) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.on || m.rOut || len(m.unacked) == 0 || (!idle && m.sinceR < 32) {
		return false
	}
	m.rOut, m.sinceR = true, 0
	return true
}

// full reports whether the kept stanzas reached the byte bound: the writer
// then waits for acks instead of keeping more.
func (m *smState) full() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.on && m.bytes >= m.maxBytes
}

func (m *smState) pendingAcks() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.unacked)
}

// lost records that the stream ended now, with the stanzas never written.
func (m *smState) lost(unsent []sentStanza) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lostAt = time.Now()
	m.carry = append(m.carry, unsent...)
	m.rOut = false
}

// takeCarry returns the stanzas queued on the last session but never
// written, to be written first on this one.
func (m *smState) takeCarry() []sentStanza {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.carry
	m.carry = nil
	return c
}

// abandon empties the state when the engine stops: what it returns will
// not be delivered by this engine.
func (m *smState) abandon() []sentStanza {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := append(m.unacked, m.carry...)
	m.unacked, m.carry, m.bytes = nil, nil, 0
	m.id, m.on, m.counting = "", false, false
	return out
}

// smQueue is what a new session writes first: after a resumption, what the
// server had not received, in order; on a new stream, the messages the
// last one never got confirmed (sent again as new stanzas with the same id
// and origin-id, so receivers and archives can drop a copy they already
// have). Then what was queued but never written.
func (e *Engine) smQueue(s *session) []outgoing {
	var first []sentStanza
	if s.smLogin.resumed {
		first = s.smLogin.again
	} else {
		first = e.sm.startFresh(s.smLogin.offered)
		s.resent = first
	}
	first = append(first, e.sm.takeCarry()...)
	out := make([]outgoing, 0, len(first))
	for _, st := range first {
		out = append(out, outgoing{r: &tokenSlice{toks: st.toks}})
	}
	return out
}

// emitStates reports the new state of the messages among sts.
func (e *Engine) emitStates(sts []sentStanza, state event.MsgState, reason string) {
	for _, st := range sts {
		if st.msgID == "" {
			continue
		}
		e.emit(event.MessageState{Header: event.At(e.account), ID: st.msgID, To: st.to, State: state,
			Resent: state == event.MsgQueued, Reason: reason})
	}
}

// smOnline reports, once online, what the login settled: messages the
// server confirmed while resuming, and those sent again as new.
func (e *Engine) smOnline(s *session) {
	e.emitStates(s.smLogin.acked, event.MsgSent, "")
	if len(s.resent) > 0 {
		why := "the server could not resume the stream"
		if s.smLogin.refused != "" {
			why += " (" + s.smLogin.refused + ")"
		}
		e.emitStates(s.resent, event.MsgQueued, why+"; sent again with the same origin-id (the archive catch-up that would find copies the server did deliver is a later step)")
	}
}

// smGiveUp reports, when the engine stops, the messages it will now never
// deliver: written but not confirmed, or never written.
func (e *Engine) smGiveUp(why string) {
	e.emitStates(e.sm.abandon(), event.MsgFailed, why)
}

// awaitAcks asks the server to confirm what it has and waits, at most d,
// until it confirmed everything (on a graceful close).
func (s *session) awaitAcks(d time.Duration) {
	if s.sm == nil {
		return
	}
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for s.sm.pendingAcks() > 0 {
		s.sm.mu.Lock()
		s.sm.rOut = false
		s.sm.mu.Unlock()
		if s.askAck(true) != nil {
			return
		}
		select {
		case <-s.sm.ackWake:
		case <-deadline.C:
			return
		case <-s.ctx.Done():
			return
		}
	}
}
