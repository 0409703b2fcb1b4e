package history

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"chat/internal/sqlitedb"
)

// A schema-3 database with data is upgraded to time-ordered ids: every row
// is kept with the same content, the order of Last is the old (stamp, id)
// order, ids increase along it, search finds the same matches newest
// first, and inserts, de-duplication and the FTS index keep working.
func TestTimeOrderedIDsUpgradeFromSchema3(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.db")
	ctx := context.Background()
	db, _, err := sqlitedb.Open(ctx, path, migrations[:3])
	if err != nil {
		t.Fatal(err)
	}
	// Stored out of stamp order, with ties on stamp, one stamp before
	// 1970, and two conversations.
	stamps := []int64{5e9, 1e9, 5e9, -3e9, 2e9 + 5e5, 2e9, 5e9, 4e9}
	var want []string
	for i, st := range stamps {
		_, err := db.Exec(`INSERT INTO messages (account, peer, direction, stamp, received, stanza_id, body, xhtml)
			VALUES ('a@x', ?, 'in', ?, ?, ?, ?, ?)`,
			fmt.Sprintf("p%d@x", i%2), st, 100+i, fmt.Sprint("s", i), fmt.Sprintf("word %d", i), fmt.Sprint("<b>", i, "</b>"))
		if err != nil {
			t.Fatal(err)
		}
	}
	// The order Last gave at schema 3: (stamp, id).
	rows, err := db.Query(`SELECT body FROM messages WHERE peer = 'p0@x' ORDER BY stamp, id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var b string
		rows.Scan(&b)
		want = append(want, b)
	}
	rows.Close()
	db.Close()

	s, err := Open(path)
	if err != nil {
		t.Fatalf("open a schema-3 database: %v", err)
	}
	defer s.Close()
	if v := userVersion(t, s.db); v != len(migrations) {
		t.Fatalf("user_version %d, want %d", v, len(migrations))
	}
	ms, err := s.Last(ctx, "a@x", "p0@x", 100)
	if err != nil {
		t.Fatal(err)
	}
	if !equal(bodies(ms), want) {
		t.Fatalf("after upgrade Last = %q, want the old order %q", bodies(ms), want)
	}
	for i, m := range ms {
		if i > 0 && m.ID <= ms[i-1].ID {
			t.Errorf("ids not increasing: %d after %d", m.ID, ms[i-1].ID)
		}
		if m.ID>>seqBits != bucket(m.Stamp)>>seqBits {
			t.Errorf("message %q id %d not in its stamp's bucket", m.Body, m.ID)
		}
		if m.XHTML == "" || m.StanzaID == "" || m.Received.UnixNano() < 100 {
			t.Errorf("message %q lost columns: %+v", m.Body, m)
		}
	}
	found, err := s.Search(ctx, "", "word", 100)
	if err != nil || len(found) != len(stamps) {
		t.Fatalf("search after upgrade: %d matches (%v), want %d", len(found), err, len(stamps))
	}
	for i := 1; i < len(found); i++ {
		if found[i].Stamp.After(found[i-1].Stamp) {
			t.Errorf("search not newest first at %d", i)
		}
	}
	if got, err := s.Append(ctx, Message{Account: "a@x", Peer: "p0@x", StanzaID: "s0", Body: "word 0"}); err != nil || got {
		t.Errorf("copy of an upgraded message stored again: %v, %v", got, err)
	}
	mustAppend(t, s, Message{Account: "a@x", Peer: "p0@x", Stamp: time.Unix(3, 0), Body: "word new"})
	ms, _ = s.Last(ctx, "a@x", "p0@x", 100)
	if len(ms) != len(want)+1 || ms[1].Body != "word new" {
		t.Errorf("new message at 3s not placed between the 2s and 5s ones: %q", bodies(ms))
	}
	if _, err := s.db.Exec(`INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')`); err != nil {
		t.Errorf("FTS index out of sync after upgrade: %v", err)
	}
	assertIndexUsed(t, s.db, `EXPLAIN QUERY PLAN `+copyByStanzaIDSQL, "messages_stanza_id")
	assertIndexUsed(t, s.db, `EXPLAIN QUERY PLAN `+copyByOriginIDSQL, "messages_origin_id")
	assertIndexUsed(t, s.db, `EXPLAIN QUERY PLAN SELECT id FROM messages WHERE account = ? AND peer = ? ORDER BY id DESC LIMIT 5`, "messages_conversation")
}

// More rows in one millisecond than a bucket holds spill into the next
// buckets in the migration too: ids stay unique and in order.
func TestTimeOrderedIDsUpgradeOverflow(t *testing.T) {
	if testing.Short() {
		t.Skip("stores 2^18+ rows")
	}
	path := filepath.Join(t.TempDir(), "h.db")
	ctx := context.Background()
	db, _, err := sqlitedb.Open(ctx, path, migrations[:3])
	if err != nil {
		t.Fatal(err)
	}
	const n = 1<<seqBits + 10
	_, err = db.Exec(`WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i + 1 < ?)
		INSERT INTO messages (account, peer, direction, stamp, received, from_jid)
		SELECT 'a@x', 'b@x', 'in', 7000000 + (i = ? - 1) * 1000000, 0, 'b' || i FROM c`, n, n)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(path)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer s.Close()
	var count, distinct int
	err = s.db.QueryRow(`SELECT count(*), count(DISTINCT id) FROM messages`).Scan(&count, &distinct)
	if err != nil || count != n || distinct != n {
		t.Fatalf("%d rows, %d ids (%v), want %d", count, distinct, err, n)
	}
	ms, err := s.Last(ctx, "a@x", "b@x", 12)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{}
	for i := n - 12; i < n; i++ {
		want = append(want, fmt.Sprint("b", i))
	}
	var got []string
	for _, m := range ms {
		got = append(got, m.From) // the label; empty bodies keep the index rebuild cheap
	}
	if !equal(got, want) {
		t.Errorf("last after overflow %q, want %q", got, want)
	}
	// The 2^18+1th row of the 7th millisecond and on spill into the 8th
	// bucket; the one row stamped in the 8th millisecond follows them.
	b8 := bucket(time.Unix(0, 8000000))
	if ms[1].ID != b8-1 || ms[2].ID != b8 || ms[11].ID != b8+9 {
		t.Errorf("ids around the spill %d, %d, %d; want %d, %d, %d", ms[1].ID, ms[2].ID, ms[11].ID, b8-1, b8, b8+9)
	}
}
