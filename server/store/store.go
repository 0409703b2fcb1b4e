// Package store is the embedded XMPP server's persistence: accounts with
// their SCRAM credentials, rosters with their versions, pending inbound
// subscription requests, offline messages and the message archive
// (XEP-0313), in one SQLite database
// opened through the pure-Go modernc.org/sqlite driver.
//
// It stores and returns plain data and serialised stanzas as opaque
// bytes. It must not know about streams, sessions, XML parsing or the
// chat client: routing and protocol rules belong to package server.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"chat/internal/sqlitedb"

	"mellium.im/xmpp/jid"
)

// Defaults for the tunable fields of Store.
const (
	DefaultIterations   = 4096
	DefaultMaxOffline   = 1000
	DefaultMaxPendingIn = 1000
	// MaxStanza is the largest stanza StoreOffline and AddPendingIn accept.
	MaxStanza = 256 << 10
)

// Errors callers may test for with errors.Is.
var (
	ErrNoUser         = errors.New("no such user")
	ErrInvalidJID     = errors.New("invalid JID")
	ErrOfflineFull    = errors.New("offline storage full")
	ErrPendingFull    = errors.New("too many pending subscription requests")
	ErrStanzaTooLarge = errors.New("stanza too large")
)

// Store is an open server database. Its methods are safe for concurrent
// use; the exported fields must be set right after Open, before the Store
// is shared.
type Store struct {
	// Iterations is the PBKDF2 iteration count SetUser uses for new
	// credentials (DefaultIterations). Existing credentials keep theirs.
	Iterations int
	// MaxOffline bounds the offline messages kept per user
	// (DefaultMaxOffline).
	MaxOffline int
	// MaxPendingIn bounds the pending subscription requests kept per
	// user (DefaultMaxPendingIn).
	MaxPendingIn int

	db   *sql.DB
	path string
}

// Open opens (creating if needed) the database at path and brings its
// schema up to date. Its folder is made 0700 and the database and its -wal
// and -shm files 0600, whatever the umask or older versions left
// (sqlitedb.Open does that for every database). A database written by a
// newer version of the program is refused.
func Open(path string) (*Store, error) {
	db, abs, err := sqlitedb.Open(context.Background(), path, migrations)
	if err != nil {
		return nil, fmt.Errorf("open server store %s: %w", path, err)
	}
	return &Store{Iterations: DefaultIterations, MaxOffline: DefaultMaxOffline, MaxPendingIn: DefaultMaxPendingIn, db: db, path: abs}, nil
}

// Path returns the absolute path of the database file.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close server store %s: %w", s.path, err)
	}
	return nil
}

// inTx runs f in one transaction, committing if f returns nil.
func (s *Store) inTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	return sqlitedb.InTx(ctx, s.db, f)
}

// querier is what both *sql.DB and *sql.Tx offer for reads.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// userID returns the row id of the canonical bare JID user, or ErrNoUser.
func userID(ctx context.Context, q querier, user string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, "SELECT id FROM users WHERE jid = ?", user).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNoUser
	}
	return id, err
}

// canonicalUser parses an account address: a bare JID with a localpart,
// returned in canonical form.
func canonicalUser(user string) (string, error) {
	j, err := jid.Parse(user)
	if err != nil {
		return "", fmt.Errorf("%w %q: %v", ErrInvalidJID, user, err)
	}
	if j.Localpart() == "" || j.Resourcepart() != "" {
		return "", fmt.Errorf("%w %q: an account is a bare JID with a localpart", ErrInvalidJID, user)
	}
	return j.String(), nil
}

// canonicalJID parses any address (a contact may be a domain or, rarely,
// a full JID) and returns its canonical form.
func canonicalJID(addr string) (string, error) {
	j, err := jid.Parse(addr)
	if err != nil {
		return "", fmt.Errorf("%w %q: %v", ErrInvalidJID, addr, err)
	}
	return j.String(), nil
}

// canonicalBare parses addr and returns its bare JID in canonical form.
func canonicalBare(addr string) (string, error) {
	j, err := jid.Parse(addr)
	if err != nil {
		return "", fmt.Errorf("%w %q: %v", ErrInvalidJID, addr, err)
	}
	return j.Bare().String(), nil
}
