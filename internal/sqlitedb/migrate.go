package sqlitedb

import (
	"context"
	"database/sql"
	"fmt"
)

// migrate applies the migrations the database has not seen yet:
// migrations[i] brings it from user_version i to i+1. Each runs in its own
// transaction together with its user_version bump, so a crash leaves the
// database at a known version. The version is read inside the (immediate)
// transaction, so two programs opening the same file at once cannot both
// apply a migration.
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
