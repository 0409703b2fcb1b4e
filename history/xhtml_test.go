package history

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"
)

func TestXHTMLKeptAndOldDatabasesUpgraded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.db")
	// A database at schema 1, as the first release wrote it.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	tx, _ := db.Begin()
	if _, err := tx.Exec(migrations[0]); err != nil {
		t.Fatal(err)
	}
	tx.Exec("PRAGMA user_version = 1")
	tx.Exec(`INSERT INTO messages (account, peer, direction, stamp, received, body) VALUES ('a@x', 'b@x', 'in', 1, 1, 'old')`)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err := Open(path)
	if err != nil {
		t.Fatalf("open a schema-1 database: %v", err)
	}
	defer s.Close()
	ctx := context.Background()
	if _, err := s.Append(ctx, Message{Account: "a@x", Peer: "b@x", Body: "hi bold", XHTML: "<p>hi <strong>bold</strong></p>"}); err != nil {
		t.Fatal(err)
	}
	msgs, err := s.Last(ctx, "a@x", "b@x", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || msgs[0].Body != "old" || msgs[0].XHTML != "" || msgs[1].XHTML != "<p>hi <strong>bold</strong></p>" {
		t.Fatalf("messages after upgrade = %+v", msgs)
	}
}
