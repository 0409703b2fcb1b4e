package history

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// searchFixture stores n messages with the word "ping" (and "pong" in every
// third), many sharing a stamp and stored out of stamp order, and returns
// their bodies in the order Search must give them: newest stamp first,
// then last stored first among one millisecond.
func searchFixture(t *testing.T, s *Store, n int) (ping, pong []string) {
	t.Helper()
	type row struct {
		stamp time.Time
		order int
		body  string
	}
	r := rand.New(rand.NewPCG(7, 7))
	var rows []row
	for i := range n {
		// A stamp among 20 seconds: ties on stamp everywhere, and
		// stamps that go back as often as forward.
		stamp := base.Add(time.Duration(r.IntN(20)) * time.Second)
		body := fmt.Sprintf("ping %d", i)
		if i%3 == 0 {
			body += " pong"
		}
		mustAppend(t, s, Message{Account: "alice@example.org", Peer: fmt.Sprintf("p%d@x", i%4), Stamp: stamp, Body: body})
		rows = append(rows, row{stamp, i, body})
		if i%5 == 0 {
			mustAppend(t, s, Message{Account: "zed@example.org", Peer: "p@x", Stamp: stamp, Body: "ping other account"})
		}
	}
	slices.SortFunc(rows, func(a, b row) int {
		if c := b.stamp.Compare(a.stamp); c != 0 {
			return c
		}
		return b.order - a.order
	})
	for _, x := range rows {
		ping = append(ping, x.body)
		if x.order%3 == 0 {
			pong = append(pong, x.body)
		}
	}
	return ping, pong
}

// walk pages through SearchBefore page by page, checking that only the
// last page says there is no more.
func walk(t *testing.T, s *Store, account, text string, page int) []string {
	t.Helper()
	var got []string
	before := Newest
	for {
		ms, more, err := s.SearchBefore(context.Background(), account, text, before, page)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) > page || (more && len(ms) != page) {
			t.Fatalf("page of %d (more %v), want %d", len(ms), more, page)
		}
		got = append(got, bodies(ms)...)
		if !more {
			return got
		}
		before = ms[len(ms)-1].ID
	}
}

// Each page continues exactly where the last stopped: together they are
// every match once, newest first, ties on stamp included.
func TestSearchPagesContinueExactly(t *testing.T) {
	s := openTemp(t)
	ping, pong := searchFixture(t, s, 137)
	for _, page := range []int{1, 7, 50, 137, 500} {
		if got := walk(t, s, "alice@example.org", "ping", page); !equal(got, ping) {
			t.Errorf("pages of %d: got %q\nwant %q", page, got, ping)
		}
	}
	if got := walk(t, s, "alice@example.org", "pong ping", 10); !equal(got, pong) {
		t.Errorf("two words: got %q\nwant %q", got, pong)
	}
	all, err := s.Search(context.Background(), "", "ping", 1000)
	if err != nil || len(all) != 137+28 {
		t.Errorf("all accounts: %d matches (%v), want %d", len(all), err, 137+28)
	}
	first, err := s.Search(context.Background(), "alice@example.org", "ping", 50)
	if err != nil || !equal(bodies(first), ping[:50]) {
		t.Errorf("Search = %q (%v), want the first page %q", bodies(first), err, ping[:50])
	}
}

func TestSearchBeforeEdges(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	for i := range 3 {
		mustAppend(t, s, msg("bob@example.org", i, "word"))
	}
	ms, more, err := s.SearchBefore(ctx, "", "word", Newest, 3)
	if err != nil || len(ms) != 3 || more {
		t.Fatalf("exactly a page: %d, more %v, %v; want 3 and no more", len(ms), more, err)
	}
	ms, more, err = s.SearchBefore(ctx, "", "word", ms[2].ID, 3)
	if err != nil || len(ms) != 0 || more {
		t.Errorf("before the oldest: %d, more %v, %v; want nothing", len(ms), more, err)
	}
	for _, c := range []struct {
		text  string
		limit int
	}{{"word", 0}, {"", 5}, {`"`, 5}} {
		if ms, more, err := s.SearchBefore(ctx, "", c.text, Newest, c.limit); err != nil || ms != nil || more {
			t.Errorf("SearchBefore(%q, %d) = %v, %v, %v; want nothing", c.text, c.limit, ms, more, err)
		}
	}
}

func TestCountMatches(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	searchFixture(t, s, 60)
	for _, c := range []struct {
		account, text string
		upTo, want    int
		atLeast       bool
	}{
		{"alice@example.org", "ping", 1000, 60, false},
		{"", "ping", 1000, 72, false},
		{"", "ping", 72, 72, true},
		{"", "ping", 10, 10, true},
		{"alice@example.org", "pong", 1000, 20, false},
		{"", "absent", 1000, 0, false},
		{"", `"`, 1000, 0, false},
	} {
		n, atLeast, err := s.CountMatches(ctx, c.account, c.text, c.upTo)
		if err != nil || n != c.want || atLeast != c.atLeast {
			t.Errorf("CountMatches(%q, %q, %d) = %d, %v, %v; want %d, %v",
				c.account, c.text, c.upTo, n, atLeast, err, c.want, c.atLeast)
		}
	}
}

// A millisecond that holds more messages than its bucket of ids spills
// into the next one, still in order, and ids stay unique.
func TestIDBucketOverflow(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	b := bucket(base)
	// Fill the bucket's last rank directly, as if 2^18 had been stored.
	if _, err := s.db.Exec(`INSERT INTO messages (id, account, peer, direction, stamp, received, body)
		VALUES (?, 'alice@example.org', 'bob@example.org', 'in', ?, ?, 'last of the bucket')`,
		b+1<<seqBits-1, base.UnixNano(), base.UnixNano()); err != nil {
		t.Fatal(err)
	}
	mustAppend(t, s, msg("bob@example.org", 0, "spilled"))
	mustAppend(t, s, msg("bob@example.org", 0, "spilled too"))
	mustAppend(t, s, Message{Account: "alice@example.org", Peer: "bob@example.org", Stamp: base.Add(-time.Millisecond), Body: "earlier"})
	ms, err := s.Last(ctx, "alice@example.org", "bob@example.org", 10)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"earlier", "last of the bucket", "spilled", "spilled too"}; !equal(bodies(ms), want) {
		t.Fatalf("order %q, want %q", bodies(ms), want)
	}
	if ms[2].ID != b+1<<seqBits || ms[3].ID != b+1<<seqBits+1 {
		t.Errorf("spilled ids %d, %d, want the next bucket's first", ms[2].ID-b, ms[3].ID-b)
	}
}

// Ids order messages by stamp, to the millisecond, across 1970 and the
// clamped extremes. (Within one millisecond they are in storage order.)
func TestIDsFollowStamps(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	stamps := []time.Time{
		minTime, time.Unix(-1, 0), time.Unix(0, -1), time.Unix(0, 0), time.Unix(0, 1000000),
		time.Unix(0, 1999999), base, maxTime,
	}
	for _, i := range rand.New(rand.NewPCG(1, 1)).Perm(len(stamps)) {
		mustAppend(t, s, Message{Account: "a@x", Peer: "b@x", Stamp: stamps[i], Body: fmt.Sprint(i)})
	}
	ms, err := s.Last(ctx, "a@x", "b@x", 100)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(ms); i++ {
		if ms[i].Stamp.Before(ms[i-1].Stamp) || ms[i].ID <= ms[i-1].ID {
			t.Errorf("message %d (stamp %v, id %d) before message %d (stamp %v, id %d)",
				i, ms[i].Stamp, ms[i].ID, i-1, ms[i-1].Stamp, ms[i-1].ID)
		}
	}
	if len(ms) != len(stamps) {
		t.Errorf("%d stored, want %d", len(ms), len(stamps))
	}
}
