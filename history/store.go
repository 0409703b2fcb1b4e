// Package history is the client's on-disk store: the message archive of
// every conversation (with a full-text index for search) and the cached
// roster used for roster versioning (RFC 6121 §2.6). It is a single SQLite
// database, opened through the pure-Go modernc.org/sqlite driver.
//
// Store methods talk to the disk directly and may block; the event loop
// must go through a Writer for message appends so it never waits on disk.
// This package knows nothing of the network, the event loop or any UI: it
// stores and returns plain data, unsanitised.
package history

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// busyTimeoutMS is how long a statement waits for another connection's
// write lock before failing with SQLITE_BUSY.
const busyTimeoutMS = 10000

// Store is an open history database. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
}

// Open opens (creating if needed) the history database at path and brings
// its schema up to date. Parent directories are created with mode 0700.
// A database written by a newer version of the program is refused.
func Open(path string) (*Store, error) {
	s, err := open(path)
	if err != nil {
		return nil, fmt.Errorf("open history %s: %w", path, err)
	}
	return s, nil
}

func open(path string) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn(abs))
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := migrate(ctx, db, migrations); err != nil {
		db.Close()
		return nil, err
	}
	return &Store{db: db, path: abs}, nil
}

// dsn builds a file: URI for abs so that any character in the path ('?',
// '#', '%') is escaped, with the pragmas every pooled connection needs:
// WAL, a busy timeout and foreign keys. Transactions begin IMMEDIATE so a
// writer takes the write lock up front (and waits busy_timeout for it)
// instead of failing when upgrading a read lock. synchronous=NORMAL is the
// usual WAL setting: commits survive a crash of the program, and only the
// last ones may be lost on power failure.
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

// Path returns the absolute path of the database file.
func (s *Store) Path() string { return s.path }

// Close closes the database. Pending Writer appends must be flushed first.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close history %s: %w", s.path, err)
	}
	return nil
}

// inTx runs f in one transaction, committing if f returns nil.
func (s *Store) inTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
