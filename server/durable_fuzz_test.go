package server

import (
	"testing"
)

// FuzzMAMQuery: any archive query a client sends is either refused with a
// reason or gives a page size within bounds; nothing panics.
func FuzzMAMQuery(f *testing.F) {
	f.Add([]byte("<iq type='set' id='1'><query xmlns='urn:xmpp:mam:2' queryid='q'><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>urn:xmpp:mam:2</value></field><field var='with'><value>bob@localhost</value></field><field var='start'><value>2026-01-01T00:00:00Z</value></field></x><set xmlns='http://jabber.org/protocol/rsm'><max>10</max><before/></set></query></iq>"))
	f.Add([]byte("<iq type='set' id='1'><query xmlns='urn:xmpp:mam:2'><set xmlns='http://jabber.org/protocol/rsm'><max>-1</max><after>x</after></set></query></iq>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := parseStanza(b)
		if err != nil {
			return
		}
		q := n.child(nsMAM, "query")
		if q == nil {
			return
		}
		aq, bad := parseMAMQuery(q)
		if bad == "" && (aq.Max < 0 || aq.Max > mamMaxPage) {
			t.Fatalf("page size %d accepted", aq.Max)
		}
	})
}

// FuzzSMAck: whatever counts a client acknowledges, the server never
// forgets a stanza that was not acknowledged and never accepts more
// acknowledgements than stanzas sent, across the 2^32 wrap.
func FuzzSMAck(f *testing.F) {
	f.Add(uint32(0), uint8(3), uint32(2))
	f.Add(uint32(1<<32-1), uint8(5), uint32(3))
	f.Fuzz(func(t *testing.T, start uint32, sent uint8, h uint32) {
		m := smState{enabled: true, out: start}
		for i := 0; i < int(sent); i++ {
			m.sent(item{b: []byte{byte(i)}})
		}
		acked, ok := m.ack(h)
		n := h - start
		switch {
		case n > uint32(sent) && ok:
			t.Fatalf("ack of %d with %d sent accepted", n, sent)
		case n <= uint32(sent) && (!ok || len(acked) != int(n) || len(m.unacked) != int(sent)-int(n)):
			t.Fatalf("ack of %d with %d sent: ok %v, %d acked, %d left", n, sent, ok, len(acked), len(m.unacked))
		}
	})
}
