package history

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

func userVersion(t *testing.T, db *sql.DB) int {
	t.Helper()
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestReopenKeepsDataAndRunsMigrationsOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	mustAppend(t, s, msg("bob@example.org", 1, "kept"))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Re-running migration 1 would fail with "table already exists".
	s, err = Open(path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if v := userVersion(t, s.db); v != len(migrations) {
		t.Errorf("user_version %d after reopen", v)
	}
	ms, err := s.Last(context.Background(), "alice@example.org", "bob@example.org", 10)
	if err != nil {
		t.Fatal(err)
	}
	if !equal(bodies(ms), []string{"kept"}) {
		t.Errorf("after reopen got %q", bodies(ms))
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(path)
	if err == nil || !strings.Contains(err.Error(), "newer") || !strings.HasPrefix(err.Error(), "open history "+path+": ") {
		t.Fatalf("Open of a newer database: err %v, want an 'open history %s: … newer' error", err, path)
	}
}
