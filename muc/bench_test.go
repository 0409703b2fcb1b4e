package muc

import (
	"encoding/xml"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
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

// tokens reads a stanza into tokens once, so the benchmark measures the
// parse of a token stream (what the engine hands over), not the XML lexer.
func tokens(b *testing.B, s string) []xml.Token {
	d := xml.NewDecoder(strings.NewReader(s))
	var out []xml.Token
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, xml.CopyToken(tok))
	}
}

type sliceReader struct {
	toks []xml.Token
	i    int
}

func (r *sliceReader) Token() (xml.Token, error) {
	if r.i == len(r.toks) {
		return nil, io.EOF
	}
	r.i++
	return r.toks[r.i-1], nil
}

// BenchmarkJoin2000 parses and applies the presences of a 2,000-occupant
// join: what the engine does per presence, with no disco, caps or storage.
func BenchmarkJoin2000(b *testing.B) {
	raw := benchPresences()
	toks := make([][]xml.Token, len(raw))
	for i, s := range raw {
		toks[i] = tokens(b, s)
	}
	b.ReportAllocs()
	for b.Loop() {
		rs := NewRooms()
		rs.Join(jid.MustParse(coven), "thirdwitch", JoinOptions{}, t0)
		for _, ts := range toks {
			p, err := ParsePresence(&sliceReader{toks: ts})
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
