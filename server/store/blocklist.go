package store

import (
	"context"
	"database/sql"
	"fmt"
)

// MaxBlocked bounds the blocklist of one account.
const MaxBlocked = 10000

// Blocklist returns the JIDs user blocks (XEP-0191), sorted.
func (s *Store) Blocklist(ctx context.Context, user string) ([]string, error) {
	u, err := canonicalUser(user)
	if err != nil {
		return nil, fmt.Errorf("read blocklist: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `
SELECT b.jid FROM blocklist b JOIN users u ON u.id = b.user_id WHERE u.jid = ? ORDER BY b.jid`, u)
	if err != nil {
		return nil, fmt.Errorf("read blocklist of %s: %w", u, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var j string
		if err := rows.Scan(&j); err != nil {
			return nil, fmt.Errorf("read blocklist of %s: %w", u, err)
		}
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read blocklist of %s: %w", u, err)
	}
	return out, nil
}

// Block adds the JIDs to user's blocklist (in canonical form) and returns
// them as stored.
func (s *Store) Block(ctx context.Context, user string, jids []string) ([]string, error) {
	return s.changeBlocks(ctx, user, jids, true)
}

// Unblock removes the JIDs from user's blocklist; none removes them all.
func (s *Store) Unblock(ctx context.Context, user string, jids []string) ([]string, error) {
	return s.changeBlocks(ctx, user, jids, false)
}

func (s *Store) changeBlocks(ctx context.Context, user string, jids []string, block bool) ([]string, error) {
	u, err := canonicalUser(user)
	if err != nil {
		return nil, fmt.Errorf("change blocklist: %w", err)
	}
	canon := make([]string, 0, len(jids))
	for _, j := range jids {
		c, err := canonicalJID(j)
		if err != nil {
			return nil, fmt.Errorf("change blocklist of %s: %w", u, err)
		}
		canon = append(canon, c)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := userID(ctx, tx, u)
		if err != nil {
			return err
		}
		if !block && len(canon) == 0 {
			_, err = tx.ExecContext(ctx, "DELETE FROM blocklist WHERE user_id = ?", id)
			return err
		}
		q := "DELETE FROM blocklist WHERE user_id = ? AND jid = ?"
		if block {
			q = "INSERT OR IGNORE INTO blocklist (user_id, jid) VALUES (?, ?)"
		}
		for _, c := range canon {
			if _, err := tx.ExecContext(ctx, q, id, c); err != nil {
				return err
			}
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM blocklist WHERE user_id = ?", id).Scan(&n); err != nil {
			return err
		}
		if n > MaxBlocked {
			return fmt.Errorf("more than %d blocked addresses", MaxBlocked)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("change blocklist of %s: %w", u, err)
	}
	return canon, nil
}
