package muc

import (
	"fmt"
	"testing"
)

// BenchmarkJoin2000 measures one join into a room that fills up to 2,000
// occupants (then a new room starts): parsing the join, the presences of
// everyone already there to the newcomer, the newcomer's to each of them,
// and their serialisation. ns/op and allocs/op are per join, averaged
// over rooms of 0 to 1,999 occupants; stanzas/op is what one join sends.
func BenchmarkJoin2000(b *testing.B) {
	const size = 2000
	s, err := New(Config{Domain: "conference.localhost", MaxOccupants: size, MaxRooms: 1 << 20})
	if err != nil {
		b.Fatal(err)
	}
	sent := 0
	s.send = func([]byte) error { sent++; return nil }
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		x := "<x xmlns='" + nsMUC + "'><history maxstanzas='0'/></x>"
		if i%size == 0 {
			x = "" // a plain presence makes an instant room
		}
		s.handle(fmt.Appendf(nil, "<presence from='user%d@localhost/r' to='r%d@conference.localhost/nick%d'><show>chat</show>%s</presence>",
			i%size, i/size, i%size, x))
		if i%size == 0 && len(s.rooms[fmt.Sprintf("r%d@conference.localhost", i/size)].order) != 1 {
			b.Fatal("the room was not made")
		}
	}
	b.ReportMetric(float64(sent)/float64(b.N), "stanzas/op")
}
