package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// StoreOffline keeps a serialised message stanza for user until it is
// read with Offline and, once delivered, deleted with DeleteOffline. At
// most s.MaxOffline are kept per user: beyond, ErrOfflineFull (the server then bounces the message). A stanza larger
// than MaxStanza gives ErrStanzaTooLarge.
func (s *Store) StoreOffline(ctx context.Context, user string, stanza []byte) error {
	u, err := canonicalUser(user)
	if err != nil {
		return fmt.Errorf("store offline message: %w", err)
	}
	if err := checkStanza(stanza); err != nil {
		return fmt.Errorf("store offline message for %s: %w", u, err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := userID(ctx, tx, u)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM offline WHERE user_id = ?", id).Scan(&n); err != nil {
			return err
		}
		if n >= s.MaxOffline {
			return ErrOfflineFull
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO offline (user_id, stanza) VALUES (?, ?)", id, stanza)
		return err
	})
	if err != nil {
		return fmt.Errorf("store offline message for %s: %w", u, err)
	}
	return nil
}

// checkStanza refuses an empty or oversized stanza.
func checkStanza(stanza []byte) error {
	switch {
	case len(stanza) == 0:
		return errors.New("empty stanza")
	case len(stanza) > MaxStanza:
		return fmt.Errorf("%w: %d bytes, at most %d", ErrStanzaTooLarge, len(stanza), MaxStanza)
	}
	return nil
}

// stanzas runs a query selecting one blob column and returns the blobs.
func stanzas(ctx context.Context, tx *sql.Tx, query string, args ...any) ([][]byte, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// OfflineMessage is one stored offline message and its row id.
type OfflineMessage struct {
	ID     int64
	Stanza []byte
}

// Offline returns up to limit of user's offline messages with an id
// greater than after, oldest first, without deleting them: the server
// deletes each with DeleteOffline once it has been delivered, so that a
// message is never lost between storage and the client.
func (s *Store) Offline(ctx context.Context, user string, after int64, limit int) ([]OfflineMessage, error) {
	u, err := canonicalUser(user)
	if err != nil {
		return nil, fmt.Errorf("read offline messages: %w", err)
	}
	var out []OfflineMessage
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := userID(ctx, tx, u)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx,
			"SELECT id, stanza FROM offline WHERE user_id = ? AND id > ? ORDER BY id LIMIT ?", id, after, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m OfflineMessage
			if err := rows.Scan(&m.ID, &m.Stanza); err != nil {
				return err
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read offline messages of %s: %w", u, err)
	}
	return out, nil
}

// DeleteOffline deletes user's offline messages with the given ids, in
// one transaction. Ids already gone are ignored.
func (s *Store) DeleteOffline(ctx context.Context, user string, ids []int64) error {
	u, err := canonicalUser(user)
	if err != nil {
		return fmt.Errorf("delete offline messages: %w", err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := userID(ctx, tx, u)
		if err != nil {
			return err
		}
		for _, m := range ids {
			if _, err := tx.ExecContext(ctx, "DELETE FROM offline WHERE user_id = ? AND id = ?", id, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete offline messages of %s: %w", u, err)
	}
	return nil
}

// CountOffline returns how many offline messages are kept for user.
func (s *Store) CountOffline(ctx context.Context, user string) (int, error) {
	u, err := canonicalUser(user)
	if err != nil {
		return 0, fmt.Errorf("count offline messages: %w", err)
	}
	var n int
	err = s.db.QueryRowContext(ctx,
		"SELECT count(*) FROM offline JOIN users ON users.id = offline.user_id WHERE users.jid = ?", u).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count offline messages of %s: %w", u, err)
	}
	return n, nil
}
