package history

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestAppendRoundTrip(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	in := Message{
		Account: "alice@example.org", Peer: "bob@example.org", Outgoing: true,
		Stamp: base, Received: base.Add(time.Second), From: "alice@example.org/laptop",
		Type: "chat", Thread: "t1", StanzaID: "s1", OriginID: "o1", Body: "hello\x00 wörld",
	}
	ok, err := s.Append(ctx, in)
	if err != nil || !ok {
		t.Fatalf("Append = %v, %v", ok, err)
	}
	ms, err := s.Last(ctx, in.Account, in.Peer, 1)
	if err != nil || len(ms) != 1 {
		t.Fatalf("Last = %v, %v", ms, err)
	}
	got := ms[0]
	if got.ID == 0 {
		t.Error("no ID")
	}
	if !got.Stamp.Equal(in.Stamp) || !got.Received.Equal(in.Received) {
		t.Errorf("times %v %v, want %v %v", got.Stamp, got.Received, in.Stamp, in.Received)
	}
	got.ID, got.Stamp, got.Received = 0, in.Stamp, in.Received
	if got != in {
		t.Errorf("round trip\n got %+v\nwant %+v", got, in)
	}
}

func TestAppendDefaultsTimes(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	before := time.Now()
	mustAppend(t, s, Message{Account: "a@x", Peer: "b@x", Body: "no times"})
	ms, _ := s.Last(ctx, "a@x", "b@x", 1)
	if len(ms) != 1 || ms[0].Received.Before(before) || !ms[0].Stamp.Equal(ms[0].Received) {
		t.Fatalf("defaults not applied: %+v", ms)
	}
}

func TestDedup(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	const bob = "bob@example.org"
	cases := []struct {
		name string
		m    Message
		want bool
	}{
		// Incoming: only our server's stanza-id finds a copy.
		{"incoming with origin-id", withIDs(msg(bob, 1, "PAY 10 EUR"), "o1", "s1"), true},
		{"same origin-id, other stanza-id and body", withIDs(msg(bob, 2, "CORRECTION: PAY 1000 EUR"), "o1", "s2"), true},
		{"same origin-id and body, other stanza-id", withIDs(msg(bob, 3, "PAY 10 EUR"), "o1", "s3"), true},
		{"same origin-id, no stanza-id", withIDs(msg(bob, 4, "PAY 10 EUR"), "o1", ""), true},
		{"same stanza-id and body", withIDs(msg(bob, 5, "PAY 10 EUR"), "o1", "s1"), false},
		{"same stanza-id and body, no origin-id", withIDs(msg(bob, 6, "PAY 10 EUR"), "", "s1"), false},
		{"same stanza-id, other body", withIDs(msg(bob, 7, "something else"), "", "s1"), true},
		{"same stanza-id other peer", withIDs(msg("carol@example.org", 8, "PAY 10 EUR"), "o1", "s1"), true},
		{"same stanza-id other account", withAccount(withIDs(msg(bob, 9, "PAY 10 EUR"), "o1", "s1"), "zed@example.org"), true},
		{"same stanza-id other direction", outgoing(withIDs(msg(bob, 10, "PAY 10 EUR"), "", "s1")), true},
		// Our own: origin-id finds a copy too, and lends it the stanza-id.
		{"sent", outgoing(withIDs(msg(bob, 11, "mine"), "m1", "")), true},
		{"sent, again", outgoing(withIDs(msg(bob, 12, "mine"), "m1", "")), false},
		{"sent, archived copy", outgoing(withIDs(msg(bob, 13, "mine"), "m1", "s9")), false},
		{"sent, by stanza-id now filled in", outgoing(withIDs(msg(bob, 14, "mine"), "", "s9")), false},
		{"sent, same origin-id other body", outgoing(withIDs(msg(bob, 15, "not mine"), "m1", "")), true},
		{"no ids", msg(bob, 16, "g"), true},
		{"no ids, identical", msg(bob, 16, "g"), true},
	}
	for _, c := range cases {
		got, err := s.Append(ctx, c.m)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.want {
			t.Errorf("%s: inserted %v, want %v", c.name, got, c.want)
		}
	}
	ms, err := s.Last(ctx, "alice@example.org", bob, 100)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"PAY 10 EUR", "CORRECTION: PAY 1000 EUR", "PAY 10 EUR", "PAY 10 EUR", "something else", "PAY 10 EUR", "mine", "not mine", "g", "g"}
	if !equal(bodies(ms), want) {
		t.Errorf("stored %q, want %q", bodies(ms), want)
	}
	for _, m := range ms {
		if m.Body == "mine" && m.StanzaID != "s9" {
			t.Errorf("stanza-id of our sent message %q, want s9 filled in from the archived copy", m.StanzaID)
		}
	}
}

func withIDs(m Message, origin, stanza string) Message {
	m.OriginID, m.StanzaID = origin, stanza
	return m
}

func withAccount(m Message, a string) Message { m.Account = a; return m }

func outgoing(m Message) Message { m.Outgoing = true; return m }

func TestLastOrderAndN(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	const bob = "bob@example.org"
	// Stored out of order; two share a stamp and keep storage order.
	for _, c := range []struct {
		i    int
		body string
	}{{3, "3"}, {1, "1"}, {5, "5a"}, {2, "2"}, {5, "5b"}, {4, "4"}} {
		mustAppend(t, s, msg(bob, c.i, c.body))
	}
	mustAppend(t, s, msg("carol@example.org", 9, "other conversation"))
	mustAppend(t, s, withAccount(msg(bob, 9, "other account"), "zed@example.org"))

	for _, c := range []struct {
		n    int
		want []string
	}{
		{0, nil},
		{1, []string{"5b"}},
		{3, []string{"4", "5a", "5b"}},
		{100, []string{"1", "2", "3", "4", "5a", "5b"}},
	} {
		ms, err := s.Last(ctx, "alice@example.org", bob, c.n)
		if err != nil {
			t.Fatal(err)
		}
		if !equal(bodies(ms), c.want) {
			t.Errorf("Last(%d) = %q, want %q", c.n, bodies(ms), c.want)
		}
	}
}

func TestBeforeWalksWholeConversation(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	const bob, total = "bob@example.org", 103
	for i := 0; i < total; i++ {
		// Every third message shares its stamp with the previous one,
		// and some arrive out of order.
		stamp := i - i%3/2
		if i%10 == 7 {
			stamp -= 5
		}
		mustAppend(t, s, msg(bob, stamp, fmt.Sprint(i)))
		mustAppend(t, s, msg("carol@example.org", stamp, "noise"))
	}
	all, err := s.Last(ctx, "alice@example.org", bob, total+10)
	if err != nil || len(all) != total {
		t.Fatalf("Last: %d messages, %v", len(all), err)
	}
	const page = 10
	ms, _ := s.Last(ctx, "alice@example.org", bob, page)
	walked := ms
	for len(ms) > 0 {
		ms, err = s.Before(ctx, "alice@example.org", bob, ms[0].ID, page)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) > page {
			t.Fatalf("page of %d", len(ms))
		}
		walked = append(ms, walked...)
	}
	if len(walked) != total {
		t.Fatalf("walked %d messages, want %d", len(walked), total)
	}
	for i := range all {
		if walked[i].ID != all[i].ID {
			t.Fatalf("at %d: walked id %d, want %d", i, walked[i].ID, all[i].ID)
		}
	}
}

func TestBeforeUnknownID(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	mustAppend(t, s, msg("bob@example.org", 1, "a"))
	mustAppend(t, s, msg("carol@example.org", 2, "b"))
	ms, err := s.Before(ctx, "alice@example.org", "bob@example.org", 9999, 10)
	if err != nil || len(ms) != 0 {
		t.Errorf("unknown id: %v, %v", ms, err)
	}
	carol, _ := s.Last(ctx, "alice@example.org", "carol@example.org", 1)
	ms, err = s.Before(ctx, "alice@example.org", "bob@example.org", carol[0].ID, 10)
	if err != nil || len(ms) != 0 {
		t.Errorf("id of another conversation: %v, %v", ms, err)
	}
}

func TestAppendClampsAbsurdStamps(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	far := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	early := time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC)
	mustAppend(t, s, Message{Account: "a@x", Peer: "b@x", Stamp: far, Body: "future"})
	mustAppend(t, s, Message{Account: "a@x", Peer: "b@x", Stamp: early, Body: "past"})
	mustAppend(t, s, Message{Account: "a@x", Peer: "b@x", Stamp: base, Body: "now"})
	ms, err := s.Last(ctx, "a@x", "b@x", 10)
	if err != nil {
		t.Fatal(err)
	}
	if !equal(bodies(ms), []string{"past", "now", "future"}) {
		t.Errorf("order %q, want past, now, future", bodies(ms))
	}
	if ms[2].Stamp.Year() != 2262 || ms[0].Stamp.Year() != 1677 {
		t.Errorf("stamps %v and %v, want clamped to 1677 and 2262", ms[0].Stamp, ms[2].Stamp)
	}
}
