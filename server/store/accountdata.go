package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Kinds of per-account data kept by PutData.
const (
	KindPrivate = "private" // XEP-0049: key is the element's namespace and name
	KindVCard   = "vcard"   // vcard-temp: key is ""
	KindPEP     = "pep"     // XEP-0163: key is node, newline, item id
	KindLast    = "last"    // XEP-0012: key is "", value the Unix time of logout
	KindPEPNode = "pepnode" // XEP-0163 node configuration: key is the node
)

// MaxData is the largest value PutData keeps.
const MaxData = 256 << 10

// ErrDataTooLarge is returned by PutData for a value over MaxData.
var ErrDataTooLarge = errors.New("account data too large")

// PutData stores value for user under kind and key, replacing what was
// there.
func (s *Store) PutData(ctx context.Context, user, kind, key string, value []byte) error {
	u, err := canonicalUser(user)
	if err != nil {
		return fmt.Errorf("put %s data: %w", kind, err)
	}
	if len(value) > MaxData {
		return fmt.Errorf("put %s data for %s: %w", kind, u, ErrDataTooLarge)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := userID(ctx, tx, u)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `
INSERT INTO account_data (user_id, kind, key, value) VALUES (?, ?, ?, ?)
ON CONFLICT (user_id, kind, key) DO UPDATE SET value = excluded.value`, id, kind, key, value)
		return err
	})
	if err != nil {
		return fmt.Errorf("put %s data for %s: %w", kind, u, err)
	}
	return nil
}

// Data returns what PutData stored for user under kind and key, and
// whether there was anything.
func (s *Store) Data(ctx context.Context, user, kind, key string) ([]byte, bool, error) {
	u, err := canonicalUser(user)
	if err != nil {
		return nil, false, fmt.Errorf("read %s data: %w", kind, err)
	}
	var v []byte
	err = s.db.QueryRowContext(ctx, `
SELECT d.value FROM account_data d JOIN users u ON u.id = d.user_id
WHERE u.jid = ? AND d.kind = ? AND d.key = ?`, u, kind, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read %s data for %s: %w", kind, u, err)
	}
	return v, true, nil
}

// DataWithPrefix returns user's values of kind whose key starts with
// prefix, by key, in key order.
func (s *Store) DataWithPrefix(ctx context.Context, user, kind, prefix string) ([]string, [][]byte, error) {
	u, err := canonicalUser(user)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s data: %w", kind, err)
	}
	rows, err := s.db.QueryContext(ctx, `
SELECT d.key, d.value FROM account_data d JOIN users u ON u.id = d.user_id
WHERE u.jid = ?1 AND d.kind = ?2 AND substr(d.key, 1, length(?3)) = ?3 ORDER BY d.key`, u, kind, prefix)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s data for %s: %w", kind, u, err)
	}
	defer rows.Close()
	var keys []string
	var vals [][]byte
	for rows.Next() {
		var k string
		var v []byte
		if err := rows.Scan(&k, &v); err != nil {
			return nil, nil, fmt.Errorf("read %s data for %s: %w", kind, u, err)
		}
		keys, vals = append(keys, k), append(vals, v)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("read %s data for %s: %w", kind, u, err)
	}
	return keys, vals, nil
}

// DeleteData removes user's value of kind under key, if any.
func (s *Store) DeleteData(ctx context.Context, user, kind, key string) error {
	u, err := canonicalUser(user)
	if err != nil {
		return fmt.Errorf("delete %s data: %w", kind, err)
	}
	_, err = s.db.ExecContext(ctx, `
DELETE FROM account_data WHERE kind = ? AND key = ? AND user_id = (SELECT id FROM users WHERE jid = ?)`, kind, key, u)
	if err != nil {
		return fmt.Errorf("delete %s data for %s: %w", kind, u, err)
	}
	return nil
}
