package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Pending inbound subscription requests (RFC 6121 §3.1.3) are kept apart
// from the roster: a contact asking to subscribe is not a roster item
// until the user answers. The original subscribe stanza is kept so it can
// be redelivered at each login until then.

// AddPendingIn records a subscription request from the bare JID of from
// to user, keeping stanza as sent. A second request from the same
// contact replaces the stanza but keeps its place in the order. At most
// s.MaxPendingIn requests are kept per user; beyond, ErrPendingFull.
func (s *Store) AddPendingIn(ctx context.Context, user, from string, stanza []byte) error {
	u, f, err := userAndBare(user, from)
	if err != nil {
		return fmt.Errorf("add pending request: %w", err)
	}
	if err := checkStanza(stanza); err != nil {
		return fmt.Errorf("add pending request from %s to %s: %w", f, u, err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := userID(ctx, tx, u)
		if err != nil {
			return err
		}
		var n, have int
		err = tx.QueryRowContext(ctx,
			"SELECT count(*), count(*) FILTER (WHERE from_jid = ?) FROM pending_in WHERE user_id = ?",
			f, id).Scan(&n, &have)
		if err != nil {
			return err
		}
		if have == 0 && n >= s.MaxPendingIn {
			return ErrPendingFull
		}
		_, err = tx.ExecContext(ctx, `
INSERT INTO pending_in (user_id, from_jid, stanza) VALUES (?, ?, ?)
ON CONFLICT (user_id, from_jid) DO UPDATE SET stanza = excluded.stanza`, id, f, stanza)
		return err
	})
	if err != nil {
		return fmt.Errorf("add pending request from %s to %s: %w", f, u, err)
	}
	return nil
}

// PendingIn returns the stanzas of the requests waiting for user's
// answer, oldest first.
func (s *Store) PendingIn(ctx context.Context, user string) ([][]byte, error) {
	u, err := canonicalUser(user)
	if err != nil {
		return nil, fmt.Errorf("read pending requests: %w", err)
	}
	var out [][]byte
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := userID(ctx, tx, u)
		if err != nil {
			return err
		}
		out, err = stanzas(ctx, tx, "SELECT stanza FROM pending_in WHERE user_id = ? ORDER BY id", id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read pending requests of %s: %w", u, err)
	}
	return out, nil
}

// RemovePendingIn forgets the request from the bare JID of from to user.
// Forgetting one that is not there is not an error.
func (s *Store) RemovePendingIn(ctx context.Context, user, from string) error {
	u, f, err := userAndBare(user, from)
	if err != nil {
		return fmt.Errorf("remove pending request: %w", err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := userID(ctx, tx, u)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM pending_in WHERE user_id = ? AND from_jid = ?", id, f)
		return err
	})
	if err != nil {
		return fmt.Errorf("remove pending request from %s to %s: %w", f, u, err)
	}
	return nil
}

// userAndBare canonicalises an account and the bare JID of a contact.
func userAndBare(user, contact string) (string, string, error) {
	u, err := canonicalUser(user)
	if err != nil {
		return "", "", err
	}
	c, err := canonicalBare(contact)
	if err != nil {
		return "", "", err
	}
	return u, c, nil
}
