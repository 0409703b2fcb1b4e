package client

import (
	"encoding/xml"
	"testing"
)

func stanzas(n int) []sentStanza {
	out := make([]sentStanza, n)
	for i := range out {
		out[i] = sentStanza{msgID: string(rune('a' + i%26)), size: 10, resend: true}
	}
	return out
}

// TestSMAckWrapsAround checks the counters mod 2^32: an ack that crosses
// zero confirms exactly the stanzas it counts.
func TestSMAckWrapsAround(t *testing.T) {
	m := newSMState(1 << 20)
	m.startFresh(true)
	m.outH, m.ackedH = ^uint32(0)-2, ^uint32(0)-2
	for _, st := range stanzas(6) {
		m.record(st)
	}
	if got := len(m.ack(1)); got != 4 { // from 2^32-3 to 1: four stanzas
		t.Fatalf("ack across zero confirmed %d stanzas, want 4", got)
	}
	if len(m.unacked) != 2 || m.bytes != 20 {
		t.Fatalf("left %d stanzas, %d bytes; want 2, 20", len(m.unacked), m.bytes)
	}
}

// TestSMAckBeyondWritten checks that a count beyond what we wrote (a
// broken or hostile server) confirms only what we have, and that later
// acks still line up.
func TestSMAckBeyondWritten(t *testing.T) {
	m := newSMState(1 << 20)
	m.startFresh(true)
	for _, st := range stanzas(3) {
		m.record(st)
	}
	if got := len(m.ack(1000)); got != 3 {
		t.Fatalf("ack of 1000 confirmed %d, want 3", got)
	}
	m.record(sentStanza{size: 1})
	if got := len(m.ack(4)); got != 1 {
		t.Fatalf("next ack confirmed %d, want 1", got)
	}
}

// TestSMResumeResendsUnacked checks <resumed h/>: what the server has is
// dropped, the rest comes back in order; and a refusal hands the
// messages (not IQs) to the next stream.
func TestSMResumeResendsUnacked(t *testing.T) {
	m := newSMState(1 << 20)
	m.startFresh(true)
	m.enabled("id1", true, 0, m.bound)
	sts := stanzas(5)
	sts[3].resend, sts[3].iq = false, true
	for _, st := range sts {
		m.record(st)
	}
	acked, again := m.resumed(2)
	if len(acked) != 2 || len(again) != 3 || again[0].msgID != sts[2].msgID {
		t.Fatalf("resumed h=2: acked %d, again %d (first %q); want 2, 3 (%q)", len(acked), len(again), again[0].msgID, sts[2].msgID)
	}
	for _, st := range again {
		m.record(st)
	}
	m.refused(0, false)
	resend := m.startFresh(true)
	if len(resend) != 2 {
		t.Fatalf("after a refusal %d stanzas to resend, want the 2 messages", len(resend))
	}
}

// TestSMBoundedBytes checks that the kept stanzas are bounded: full once
// the bound is reached, not full after an ack.
func TestSMBoundedBytes(t *testing.T) {
	m := newSMState(25)
	m.startFresh(true)
	for _, st := range stanzas(3) {
		m.record(st)
	}
	if !m.full() {
		t.Fatal("30 bytes kept under a bound of 25: not full")
	}
	m.ack(1)
	if m.full() {
		t.Fatal("20 bytes kept under a bound of 25: full")
	}
}

func TestDescribe(t *testing.T) {
	start := xml.StartElement{Name: xml.Name{Local: "message"}, Attr: []xml.Attr{
		{Name: xml.Name{Local: "to"}, Value: "b@x"}, {Name: xml.Name{Local: "id"}, Value: "i1"}}}
	st := describe([]xml.Token{start, start.End()}, 10)
	if st.msgID != "i1" || st.to != "b@x" || !st.resend || st.iq {
		t.Fatalf("describe message: %+v", st)
	}
	pres := xml.StartElement{Name: xml.Name{Local: "presence"}}
	if st := describe([]xml.Token{pres, pres.End()}, 1); st.resend {
		t.Fatal("broadcast presence marked for resending")
	}
}

// FuzzSMAck feeds the server's h values, as text, to the ack path: no
// panic, and the kept stanzas and their bytes stay consistent.
func FuzzSMAck(f *testing.F) {
	for _, s := range []string{"0", "1", "4294967295", "-1", "99999999999", "", "3x"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, h1, h2 string) {
		m := newSMState(1 << 20)
		m.startFresh(true)
		for _, st := range stanzas(5) {
			m.record(st)
		}
		for _, h := range []string{h1, h2} {
			if v, err := parseH(h); err == nil {
				m.ack(v)
			}
		}
		if m.bytes != 10*len(m.unacked) || len(m.unacked) > 5 {
			t.Fatalf("%d stanzas kept with %d bytes", len(m.unacked), m.bytes)
		}
	})
}
