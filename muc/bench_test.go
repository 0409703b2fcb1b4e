package muc

import (
	"fmt"
	"runtime"
	"strconv"
	"testing"

	"mellium.im/xmpp/jid"
)

const benchOccupants = 2000

// benchPresences are the presences of a 2,000-occupant room as Prosody
// sends them on join: each with caps, a muc#user item with a real JID.
func benchPresences() []string {
	out := make([]string, 0, benchOccupants+1)
	for i := range benchOccupants {
		n := "user" + strconv.Itoa(i)
		out = append(out, fmt.Sprintf(`<presence xmlns='jabber:client' from='%s/%s' to='me@localhost/x'><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://dino.im' ver='q07IKJEyjvHSyhy//CH0CxmKi8w='/><x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='none' role='participant' jid='%s@localhost/res'/></x></presence>`, coven, n, n))
	}
	return append(out, occ("thirdwitch", "participant", "none", `<status code='110'/>`))
}

func joinAll(b *testing.B, ps []Presence) *Rooms {
	rs := NewRooms()
	rs.Join(jid.MustParse(coven), "thirdwitch", JoinOptions{}, t0)
	for _, p := range ps {
		if _, err := rs.ApplyPresence(p, t0); err != nil {
			b.Fatal(err)
		}
	}
	return rs
}

// BenchmarkJoin2000 parses and applies the presences of a 2,000-occupant
// join: what the engine does per presence, with no disco, caps or storage.
func BenchmarkJoin2000(b *testing.B) {
	raw := benchPresences()
	b.ReportAllocs()
	for b.Loop() {
		rs := NewRooms()
		rs.Join(jid.MustParse(coven), "thirdwitch", JoinOptions{}, t0)
		for _, s := range raw {
			p, err := ParsePresence(dec(s))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := rs.ApplyPresence(p, t0); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchOccupants, "ns/occupant")
}

// BenchmarkApply2000 applies already parsed presences: the state's own cost.
func BenchmarkApply2000(b *testing.B) {
	raw := benchPresences()
	ps := make([]Presence, len(raw))
	for i, s := range raw {
		ps[i] = mustPresence(b, s)
	}
	b.ReportAllocs()
	for b.Loop() {
		joinAll(b, ps)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchOccupants, "ns/occupant")
	// Memory a joined room keeps per occupant.
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	rs := joinAll(b, ps)
	runtime.GC()
	runtime.ReadMemStats(&after)
	r, _ := rs.Room(coven)
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/float64(r.Len()), "retained-B/occupant")
	runtime.KeepAlive(rs)
	runtime.KeepAlive(raw)
	runtime.KeepAlive(ps)
}

// BenchmarkGroups sorts a 2,000-occupant list into role groups, as the
// occupant pane does when it redraws.
func BenchmarkGroups(b *testing.B) {
	raw := benchPresences()
	ps := make([]Presence, len(raw))
	for i, s := range raw {
		ps[i] = mustPresence(b, s)
	}
	r, _ := joinAll(b, ps).Room(coven)
	b.ReportAllocs()
	for b.Loop() {
		r.Groups()
	}
}
