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

// BenchmarkGroupchat2000 measures one groupchat message reflected to a
// room of 2,000 occupants (with its stanza-id and a place in the history).
func BenchmarkGroupchat2000(b *testing.B) {
	const size = 2000
	s, err := New(Config{Domain: "conference.localhost", MaxOccupants: size})
	if err != nil {
		b.Fatal(err)
	}
	s.send = func([]byte) error { return nil }
	for i := range size {
		s.handle(fmt.Appendf(nil, "<presence from='user%d@localhost/r' to='r@conference.localhost/nick%d'/>", i, i))
	}
	if n := len(s.rooms["r@conference.localhost"].order); n != size {
		b.Fatalf("%d occupants, want %d", n, size)
	}
	msg := []byte("<message from='user1@localhost/r' to='r@conference.localhost' type='groupchat' id='m1'><body>hello everyone</body></message>")
	b.ReportAllocs()
	for b.Loop() {
		s.handle(msg)
	}
}
