package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are the schema changes, in order: migrations[i] brings the
// database from user_version i to i+1. Append new ones; never edit one
// that has shipped.
var migrations = []string{
	// 1: users and SCRAM credentials, rosters, pending requests, offline.
	`
CREATE TABLE users (
	id         INTEGER PRIMARY KEY,
	jid        TEXT    NOT NULL UNIQUE,
	roster_ver INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE credentials (
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	mechanism  TEXT    NOT NULL,
	salt       BLOB    NOT NULL,
	iterations INTEGER NOT NULL CHECK (iterations > 0),
	salted     BLOB    NOT NULL,
	PRIMARY KEY (user_id, mechanism)
);
-- One sequence for every roster version, so a deleted and re-created
-- account never hands out a version a client may have cached before.
CREATE TABLE counters (
	name  TEXT    PRIMARY KEY,
	value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('roster', 0);
CREATE TABLE roster_items (
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	jid          TEXT    NOT NULL,
	name         TEXT    NOT NULL DEFAULT '',
	subscription TEXT    NOT NULL CHECK (subscription IN ('none', 'to', 'from', 'both')),
	ask          INTEGER NOT NULL DEFAULT 0,
	approved     INTEGER NOT NULL DEFAULT 0,
	groups       TEXT    NOT NULL DEFAULT '[]',
	PRIMARY KEY (user_id, jid)
);
CREATE TABLE pending_in (
	id       INTEGER PRIMARY KEY,
	user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	from_jid TEXT    NOT NULL,
	stanza   BLOB    NOT NULL,
	UNIQUE (user_id, from_jid)
);
CREATE TABLE offline (
	id      INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	stanza  BLOB    NOT NULL
);
CREATE INDEX offline_user ON offline (user_id, id);
`,
}

// migrate applies the migrations the database has not seen yet, each in
// its own transaction together with its user_version bump, so a crash
// leaves the database at a known version. The version is read inside the
// (immediate) transaction, so two programs opening the same file at once
// cannot both apply a migration.
func migrate(ctx context.Context, db *sql.DB, migrations []string) error {
	for {
		done, err := migrateOne(ctx, db, migrations)
		if err != nil || done {
			return err
		}
	}
}

// migrateOne applies the next migration, or reports done when there is none.
func migrateOne(ctx context.Context, db *sql.DB, migrations []string) (done bool, err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("begin migration: %w", err)
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return false, fmt.Errorf("read schema version: %w", err)
	}
	switch {
	case v > len(migrations):
		return false, fmt.Errorf("schema version %d is newer than this program knows (%d): written by a newer version", v, len(migrations))
	case v == len(migrations):
		return true, nil
	}
	if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
		return false, fmt.Errorf("migrate schema to version %d: %w", v+1, err)
	}
	// PRAGMA takes no bound parameters; v+1 is our own integer.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
		return false, fmt.Errorf("set schema version %d: %w", v+1, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("commit migration to version %d: %w", v+1, err)
	}
	return false, nil
}
