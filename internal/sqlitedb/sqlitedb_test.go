package sqlitedb

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// schema is a two-step schema for the tests.
var schema = []string{
	`CREATE TABLE parent (id INTEGER PRIMARY KEY)`,
	`CREATE TABLE child (parent INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE)`,
}

// mustOpen opens path with schema, closed when the test ends.
func mustOpen(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, _, err := Open(context.Background(), path, schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func userVersion(t *testing.T, db *sql.DB) int {
	t.Helper()
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// count runs a SELECT count(*) query.
func count(t *testing.T, db *sql.DB, query string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOpenCreatesDirsAndReturnsAbsPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	t.Chdir(filepath.Dir(filepath.Dir(dir)))
	db, abs, err := Open(context.Background(), filepath.Join("a", "b", "x.db"), schema)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if want := filepath.Join(dir, "x.db"); abs != want {
		t.Errorf("abs path %q, want %q", abs, want)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, want 0700", fi.Mode().Perm())
	}
	if v := userVersion(t, db); v != len(schema) {
		t.Errorf("user_version %d, want %d", v, len(schema))
	}
}

func TestPragmasOnEveryPooledConnection(t *testing.T) {
	db := mustOpen(t, filepath.Join(t.TempDir(), "x.db"))
	// Hold several connections at once so the pragmas are checked on more
	// than one pooled connection.
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		c, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var mode string
		var fk, busy, sync int
		for _, p := range []struct {
			name string
			dst  any
		}{{"journal_mode", &mode}, {"foreign_keys", &fk}, {"busy_timeout", &busy}, {"synchronous", &sync}} {
			if err := c.QueryRowContext(ctx, "PRAGMA "+p.name).Scan(p.dst); err != nil {
				t.Fatal(err)
			}
		}
		// synchronous NORMAL is 1.
		if mode != "wal" || fk != 1 || busy != busyTimeoutMS || sync != 1 {
			t.Errorf("conn %d: journal_mode %q foreign_keys %d busy_timeout %d synchronous %d", i, mode, fk, busy, sync)
		}
	}
	// foreign_keys is on: deleting a parent cascades.
	if _, err := db.Exec(`INSERT INTO parent (id) VALUES (1); INSERT INTO child (parent) VALUES (1); DELETE FROM parent`); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, `SELECT count(*) FROM child`); n != 0 {
		t.Errorf("%d child rows after deleting the parent, want 0", n)
	}
}

func TestOpenOddPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "we?ird #dir %20", "a?b#c%d.db")
	db := mustOpen(t, path)
	if _, err := db.Exec(`INSERT INTO parent (id) VALUES (7)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at the path given: %v", err)
	}
	var id int
	if err := mustOpen(t, path).QueryRow(`SELECT id FROM parent`).Scan(&id); err != nil || id != 7 {
		t.Fatalf("row after reopen: %d, %v; want 7", id, err)
	}
}

func TestReopenRunsMigrationsOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	mustOpen(t, path).Close()
	// Re-running migration 1 would fail with "table already exists".
	if v := userVersion(t, mustOpen(t, path)); v != len(schema) {
		t.Errorf("user_version %d after reopen, want %d", v, len(schema))
	}
	// A program with one more migration applies only that one.
	db, _, err := Open(context.Background(), path, append(schema[:2:2], `CREATE TABLE third (x INTEGER)`))
	if err != nil {
		t.Fatalf("open with a new migration: %v", err)
	}
	defer db.Close()
	if v := userVersion(t, db); v != 3 {
		t.Errorf("user_version %d, want 3", v)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	db := mustOpen(t, path)
	if _, err := db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, _, err := Open(context.Background(), path, schema)
	if err == nil {
		db.Close()
		t.Fatal("Open accepted a schema from a newer version")
	}
	if !strings.Contains(err.Error(), "newer") {
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
	if n := count(t, db, `SELECT count(*) FROM sqlite_master WHERE name = 'b'`); n != 0 {
		t.Error("table b of the failed migration exists")
	}
	if n := count(t, db, `SELECT count(*) FROM a`); n != 0 {
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

func TestInTxCommitsOrRollsBack(t *testing.T) {
	db := mustOpen(t, filepath.Join(t.TempDir(), "x.db"))
	ctx := context.Background()
	insert := func(id int, fail error) error {
		return InTx(ctx, db, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO parent (id) VALUES (?)`, id); err != nil {
				return err
			}
			return fail
		})
	}
	if err := insert(1, nil); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if err := insert(2, boom); !errors.Is(err, boom) {
		t.Fatalf("InTx returned %v, want f's error", err)
	}
	if n := count(t, db, `SELECT count(*) FROM parent`); n != 1 {
		t.Errorf("%d rows, want 1 (the failed transaction rolled back)", n)
	}
}
