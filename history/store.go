// Package history is the client's on-disk store: the message archive of
// every conversation (with a full-text index for search) and the cached
// roster used for roster versioning (RFC 6121 §2.6). It is a single SQLite
// database, opened through the pure-Go modernc.org/sqlite driver.
//
// Store methods talk to the disk directly and may block; the event loop
// must go through a Writer for message appends so it never waits on disk
// (Writer.TryAppend on the loop, Writer.AppendContext on the side that
// reads the network). Message ids are in time order, so the newest
// messages of a conversation or of a search come first from the indexes,
// and paging (Before, SearchBefore) is by id, never by offset.
// This package knows nothing of the network, the event loop or any UI: it
// stores and returns plain data, unsanitised.
package history

import (
	"context"
	"database/sql"
	"fmt"

	"chat/internal/sqlitedb"
)

// Store is an open history database. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
}

// Open opens (creating if needed) the history database at path and brings
// its schema up to date. Parent directories are created with mode 0700.
// A database written by a newer version of the program is refused.
func Open(path string) (*Store, error) {
	db, abs, err := sqlitedb.Open(context.Background(), path, migrations)
	if err != nil {
		return nil, fmt.Errorf("open history %s: %w", path, err)
	}
	return &Store{db: db, path: abs}, nil
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
	return sqlitedb.InTx(ctx, s.db, f)
}
