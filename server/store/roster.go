package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// Item is one roster entry of an account (RFC 6121 §2.1.2).
type Item struct {
	JID  string // the contact, canonical form
	Name string
	// Subscription is "none", "to", "from" or "both"; PutRosterItem
	// reads "" as "none".
	Subscription string
	Ask          bool // an outbound subscribe request is pending
	Approved     bool // the contact is pre-approved (RFC 6121 §3.4)
	Groups       []string
}

// validSubscription reports whether sub is a state a roster item can hold.
func validSubscription(sub string) bool {
	switch sub {
	case "none", "to", "from", "both":
		return true
	}
	return false
}

// Roster returns the account's roster version and items, sorted by JID,
// read together in one transaction.
func (s *Store) Roster(ctx context.Context, user string) (version string, items []Item, err error) {
	u, err := canonicalUser(user)
	if err != nil {
		return "", nil, fmt.Errorf("read roster: %w", err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		id, ver, err := userVersion(ctx, tx, u)
		if err != nil {
			return err
		}
		version = ver
		items, err = rosterItems(ctx, tx, id)
		return err
	})
	if err != nil {
		return "", nil, fmt.Errorf("read roster of %s: %w", u, err)
	}
	return version, items, nil
}

// rosterItems reads every item of the user with row id id.
func rosterItems(ctx context.Context, tx *sql.Tx, id int64) ([]Item, error) {
	rows, err := tx.QueryContext(ctx, `
SELECT jid, name, subscription, ask, approved, groups FROM roster_items
WHERE user_id = ? ORDER BY jid`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func scanItem(r scanner) (Item, error) {
	var it Item
	var groups string
	if err := r.Scan(&it.JID, &it.Name, &it.Subscription, &it.Ask, &it.Approved, &groups); err != nil {
		return Item{}, err
	}
	if err := json.Unmarshal([]byte(groups), &it.Groups); err != nil {
		return Item{}, fmt.Errorf("groups of %s: %w", it.JID, err)
	}
	if len(it.Groups) == 0 {
		it.Groups = nil
	}
	return it, nil
}

// RosterItem returns the account's item for contact, and whether there
// is one.
func (s *Store) RosterItem(ctx context.Context, user, contact string) (Item, bool, error) {
	u, c, err := userAndContact(user, contact)
	if err != nil {
		return Item{}, false, fmt.Errorf("read roster item: %w", err)
	}
	id, err := userID(ctx, s.db, u)
	if err != nil {
		return Item{}, false, fmt.Errorf("read roster item %s of %s: %w", c, u, err)
	}
	row := s.db.QueryRowContext(ctx, `
SELECT jid, name, subscription, ask, approved, groups FROM roster_items
WHERE user_id = ? AND jid = ?`, id, c)
	it, err := scanItem(row)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Item{}, false, nil
	case err != nil:
		return Item{}, false, fmt.Errorf("read roster item %s of %s: %w", c, u, err)
	}
	return it, true, nil
}

// PutRosterItem inserts or replaces the account's item for it.JID and
// bumps the roster version in the same transaction, returning the new
// version.
func (s *Store) PutRosterItem(ctx context.Context, user string, it Item) (version string, err error) {
	u, c, err := userAndContact(user, it.JID)
	if err != nil {
		return "", fmt.Errorf("put roster item: %w", err)
	}
	sub := it.Subscription
	if sub == "" {
		sub = "none"
	}
	if !validSubscription(sub) {
		return "", fmt.Errorf("put roster item %s of %s: invalid subscription %q", c, u, sub)
	}
	groups, err := encodeGroups(it.Groups)
	if err != nil {
		return "", fmt.Errorf("put roster item %s of %s: %w", c, u, err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := userID(ctx, tx, u)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `
INSERT OR REPLACE INTO roster_items (user_id, jid, name, subscription, ask, approved, groups)
VALUES (?, ?, ?, ?, ?, ?, ?)`, id, c, it.Name, sub, it.Ask, it.Approved, groups)
		if err != nil {
			return err
		}
		version, err = bumpVersion(ctx, tx, id)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("put roster item %s of %s: %w", c, u, err)
	}
	return version, nil
}

func encodeGroups(groups []string) (string, error) {
	if groups == nil {
		groups = []string{}
	}
	b, err := json.Marshal(groups)
	if err != nil {
		return "", fmt.Errorf("encode groups: %w", err)
	}
	return string(b), nil
}

// RemoveRosterItem deletes the account's item for contact and bumps the
// roster version, returning it. Removing an item that is not there
// changes nothing and returns the current version.
func (s *Store) RemoveRosterItem(ctx context.Context, user, contact string) (version string, err error) {
	u, c, err := userAndContact(user, contact)
	if err != nil {
		return "", fmt.Errorf("remove roster item: %w", err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		id, ver, err := userVersion(ctx, tx, u)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM roster_items WHERE user_id = ? AND jid = ?", id, c)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			version = ver
			return err
		}
		version, err = bumpVersion(ctx, tx, id)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("remove roster item %s of %s: %w", c, u, err)
	}
	return version, nil
}

// RosterVersion returns the account's current roster version: a decimal
// integer that grows with every change ("0" before the first).
func (s *Store) RosterVersion(ctx context.Context, user string) (string, error) {
	u, err := canonicalUser(user)
	if err != nil {
		return "", fmt.Errorf("read roster version: %w", err)
	}
	_, ver, err := userVersion(ctx, s.db, u)
	if err != nil {
		return "", fmt.Errorf("read roster version of %s: %w", u, err)
	}
	return ver, nil
}

// userVersion returns the row id and roster version of user.
func userVersion(ctx context.Context, q querier, user string) (int64, string, error) {
	var id, ver int64
	err := q.QueryRowContext(ctx, "SELECT id, roster_ver FROM users WHERE jid = ?", user).Scan(&id, &ver)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", ErrNoUser
	}
	return id, strconv.FormatInt(ver, 10), err
}

// bumpVersion gives the user the next value of the sequence shared by
// all rosters, so versions only grow, even across a deleted and
// re-created account.
func bumpVersion(ctx context.Context, tx *sql.Tx, id int64) (string, error) {
	var v int64
	err := tx.QueryRowContext(ctx,
		"UPDATE counters SET value = value + 1 WHERE name = 'roster' RETURNING value").Scan(&v)
	if err != nil {
		return "", fmt.Errorf("bump roster version: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE users SET roster_ver = ? WHERE id = ?", v, id); err != nil {
		return "", fmt.Errorf("bump roster version: %w", err)
	}
	return strconv.FormatInt(v, 10), nil
}

// userAndContact canonicalises an account and a contact address.
func userAndContact(user, contact string) (string, string, error) {
	u, err := canonicalUser(user)
	if err != nil {
		return "", "", err
	}
	c, err := canonicalJID(contact)
	if err != nil {
		return "", "", err
	}
	return u, c, nil
}
