package history

import (
	"context"
	"database/sql"
	"os"
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

func TestOpenCreatesDirsAndSetsPragmas(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	s, err := Open(filepath.Join(dir, "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, want 0700", fi.Mode().Perm())
	}
	if v := userVersion(t, s.db); v != len(migrations) {
		t.Errorf("user_version %d, want %d", v, len(migrations))
	}
	// Hold several connections at once so the pragmas are checked on more
	// than one pooled connection.
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		c, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var mode string
		var fk, busy int
		if err := c.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
			t.Fatal(err)
		}
		if mode != "wal" || fk != 1 || busy != busyTimeoutMS {
			t.Errorf("conn %d: journal_mode %q foreign_keys %d busy_timeout %d", i, mode, fk, busy)
		}
	}
}

func TestOpenOddPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "we?ird #dir %20", "h?story.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	mustAppend(t, s, msg("bob@example.org", 1, "hi"))
	s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at the path given: %v", err)
	}
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
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("Open of a newer database: err %v, want a 'newer' error", err)
	}
}

func TestFailedMigrationRollsBack(t *testing.T) {
	db, err := sql.Open("sqlite", dsn(filepath.Join(t.TempDir(), "m.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	steps := []string{
		`CREATE TABLE a (x INTEGER)`,
		`CREATE TABLE b (x INTEGER); INSERT INTO a VALUES (1); THIS IS NOT SQL`,
	}
	if err := migrate(ctx, db, steps); err == nil {
		t.Fatal("broken migration succeeded")
	}
	if v := userVersion(t, db); v != 1 {
		t.Errorf("user_version %d, want 1 (first migration only)", v)
	}
	var n int
	db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'b'`).Scan(&n)
	if n != 0 {
		t.Error("table b of the failed migration exists")
	}
	db.QueryRow(`SELECT count(*) FROM a`).Scan(&n)
	if n != 0 {
		t.Error("row inserted by the failed migration exists")
	}
	steps[1] = `CREATE TABLE b (x INTEGER)`
	if err := migrate(ctx, db, steps); err != nil {
		t.Fatalf("fixed migration: %v", err)
	}
	if v := userVersion(t, db); v != 2 {
		t.Errorf("user_version %d, want 2", v)
	}
}
