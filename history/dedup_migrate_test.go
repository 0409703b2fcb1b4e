package history

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"chat/internal/sqlitedb"
)

// A database written at schema 2 (unique origin-id and stanza-id indexes)
// is upgraded: its rows stay, copies of them are still found, and two
// different messages with one origin-id are both kept from then on.
func TestDedupUpgradeFromSchema2(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.db")
	ctx := context.Background()
	db, _, err := sqlitedb.Open(ctx, path, migrations[:2])
	if err != nil {
		t.Fatal(err)
	}
	const ins = `INSERT INTO messages (account, peer, direction, stamp, received, stanza_id, origin_id, body)
		VALUES ('a@x', 'b@x', ?, 1, 1, ?, ?, ?)`
	for _, r := range [][]any{{"in", "s1", "o1", "PAY 10 EUR"}, {"out", "", "m1", "mine"}} {
		if _, err := db.Exec(ins, r...); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err := Open(path)
	if err != nil {
		t.Fatalf("open a schema-2 database: %v", err)
	}
	defer s.Close()
	var v int
	if err := s.db.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != len(migrations) {
		t.Fatalf("user_version %d (%v), want %d", v, err, len(migrations))
	}
	for _, c := range []struct {
		m    Message
		want bool
	}{
		{Message{Account: "a@x", Peer: "b@x", StanzaID: "s1", OriginID: "o1", Body: "PAY 10 EUR"}, false},
		{Message{Account: "a@x", Peer: "b@x", StanzaID: "s2", OriginID: "o1", Body: "CORRECTION: PAY 1000 EUR"}, true},
		{Message{Account: "a@x", Peer: "b@x", Outgoing: true, StanzaID: "s3", OriginID: "m1", Body: "mine"}, false},
	} {
		got, err := s.Append(ctx, c.m)
		if err != nil || got != c.want {
			t.Errorf("append %+v after upgrade: inserted %v (%v), want %v", c.m, got, err, c.want)
		}
	}
	ms, err := s.Last(ctx, "a@x", "b@x", 10)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"PAY 10 EUR", "mine", "CORRECTION: PAY 1000 EUR"}; !equal(bodies(ms), want) {
		t.Errorf("stored %q, want %q", bodies(ms), want)
	}
	if ms[1].StanzaID != "s3" {
		t.Errorf("our old sent message has stanza-id %q, want s3 from its archived copy", ms[1].StanzaID)
	}
	assertIndexUsed(t, s.db, `EXPLAIN QUERY PLAN `+copyByOriginIDSQL, "messages_origin_id")
	assertIndexUsed(t, s.db, `EXPLAIN QUERY PLAN `+copyByStanzaIDSQL, "messages_stanza_id")
}

// assertIndexUsed checks that SQLite plans q (with dummy arguments) with index.
func assertIndexUsed(t *testing.T, db *sql.DB, q, index string) {
	t.Helper()
	var args []any
	for range strings.Count(q, "?") {
		args = append(args, "x")
	}
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	plan := ""
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan += detail + "; "
	}
	if !strings.Contains(plan, index) {
		t.Errorf("plan %q does not use %s", plan, index)
	}
}
