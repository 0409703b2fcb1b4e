// Package sqlitedb opens the program's SQLite databases (the client's
// history, the embedded server's store) through the pure-Go
// modernc.org/sqlite driver, with the connection settings they share, and
// brings their schema up to date with PRAGMA user_version migrations.
//
// It knows no schema: each caller owns its migrations and its tables.
// It must not know about messages, accounts or anything XMPP.
package sqlitedb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// busyTimeoutMS is how long a statement waits for another connection's
// write lock before failing with SQLITE_BUSY.
const busyTimeoutMS = 10000

// Open opens (creating if needed) the database at path and applies the
// migrations it has not seen yet (see migrate). The databases hold
// messages, keys and credentials, so whatever the umask and whatever
// exists already, the database's folder is made mode 0700 (missing parents
// are created 0700) and the database and its -wal and -shm files 0600. A
// database written by a newer version of the program is refused. It
// returns the database and its absolute path.
//
// Errors are not wrapped with the path: callers say which database failed.
func Open(ctx context.Context, path string, migrations []string) (db *sql.DB, abs string, err error) {
	abs, err = filepath.Abs(path)
	if err != nil {
		return nil, "", err
	}
	if err := private(abs); err != nil {
		return nil, "", err
	}
	db, err = sql.Open("sqlite", dsn(abs))
	if err != nil {
		return nil, "", err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, "", err
	}
	if err := migrate(ctx, db, migrations); err != nil {
		db.Close()
		return nil, "", err
	}
	// SQLite gives the -wal and -shm files it creates the database's mode;
	// make sure of it.
	if err := privateFiles(abs); err != nil {
		db.Close()
		return nil, "", err
	}
	return db, abs, nil
}

// private makes the folder of the database at abs 0700 and the database
// and its companion files 0600, creating the folder and an empty database
// file (which SQLite takes as a new database) if missing. Creating the
// file here, not in SQLite, is what keeps the umask out of it.
func private(abs string) error {
	dir := filepath.Dir(abs)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("make %s private: %w", dir, err)
	}
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return privateFiles(abs)
}

// privateFiles chmods the database at abs and its -wal and -shm files, if
// present, to 0600.
func privateFiles(abs string) error {
	for _, p := range []string{abs, abs + "-wal", abs + "-shm", abs + "-journal"} {
		err := os.Chmod(p, 0o600)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("make %s private: %w", p, err)
		}
	}
	return nil
}

// dsn builds a file: URI for abs so that any character in the path ('?',
// '#', '%') is escaped, with the pragmas every pooled connection needs:
// WAL, a busy timeout and foreign keys (so ON DELETE CASCADE works).
// Transactions begin IMMEDIATE so a writer takes the write lock up front
// (and waits busy_timeout for it) instead of failing when upgrading a read
// lock. synchronous=NORMAL is the usual WAL setting: commits survive a
// crash of the program, and only the last ones may be lost on power
// failure.
func dsn(abs string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	u.RawQuery = q.Encode()
	return u.String()
}

// InTx runs f in one transaction on db, committing if f returns nil and
// rolling back otherwise.
func InTx(ctx context.Context, db *sql.DB, f func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
