package history

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"chat/internal/sqlitedb"
)

// A schema-4 database gains the message id and correction link: its rows
// stay (with neither), and a correction is stored as a row of its own
// beside its original, naming it, both read back.
func TestCorrectionLinkFromSchema4(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.db")
	ctx := context.Background()
	db, _, err := sqlitedb.Open(ctx, path, migrations[:4])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO messages (id, account, peer, direction, stamp, received, from_jid, body)
		VALUES (1, 'a@x', 'b@x', 'in', 1, 1, 'b@x/phone', 'old')`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err := Open(path)
	if err != nil {
		t.Fatalf("open a schema-4 database: %v", err)
	}
	defer s.Close()
	now := time.Now()
	for _, m := range []Message{
		{Account: "a@x", Peer: "b@x", From: "b@x/phone", Stamp: now, Body: "helo", MsgID: "m1"},
		{Account: "a@x", Peer: "b@x", From: "b@x/phone", Stamp: now.Add(time.Second), Body: "hello", MsgID: "m2", Replaces: "m1"},
	} {
		if ok, err := s.Append(ctx, m); err != nil || !ok {
			t.Fatalf("append %+v: %v %v", m, ok, err)
		}
	}
	ms, err := s.Last(ctx, "a@x", "b@x", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 3 {
		t.Fatalf("got %d messages, want 3: %+v", len(ms), ms)
	}
	if ms[0].Body != "old" || ms[0].MsgID != "" || ms[0].Replaces != "" {
		t.Errorf("the old row came back as %+v", ms[0])
	}
	if ms[1].MsgID != "m1" || ms[1].Body != "helo" || ms[2].MsgID != "m2" || ms[2].Replaces != "m1" || ms[2].Body != "hello" {
		t.Errorf("original and correction came back as %+v and %+v", ms[1], ms[2])
	}
}
