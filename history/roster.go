package history

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"chat/event"
)

// SaveRoster replaces account's cached roster and its version in one
// transaction, after a full roster fetch.
func (s *Store) SaveRoster(ctx context.Context, account, version string, items []event.RosterItem) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM roster_items WHERE account = ?`, account); err != nil {
			return err
		}
		for _, it := range items {
			if err := upsertRosterItem(ctx, tx, account, it); err != nil {
				return err
			}
		}
		return setRosterVersion(ctx, tx, account, version)
	})
	if err != nil {
		return fmt.Errorf("save roster of %s: %w", account, err)
	}
	return nil
}

// LoadRoster returns account's cached roster version and items, ordered by
// JID. With nothing cached it returns "" and no items.
func (s *Store) LoadRoster(ctx context.Context, account string) (version string, items []event.RosterItem, err error) {
	version, items, err = s.loadRoster(ctx, account)
	if err != nil {
		return "", nil, fmt.Errorf("load roster of %s: %w", account, err)
	}
	return version, items, nil
}

func (s *Store) loadRoster(ctx context.Context, account string) (string, []event.RosterItem, error) {
	var version string
	err := s.db.QueryRowContext(ctx, `SELECT version FROM roster_versions WHERE account = ?`, account).Scan(&version)
	if err != nil && err != sql.ErrNoRows {
		return "", nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT jid, name, subscription, ask, groups
		FROM roster_items WHERE account = ? ORDER BY jid`, account)
	if err != nil {
		return "", nil, err
	}
	defer rows.Close()
	var items []event.RosterItem
	for rows.Next() {
		var it event.RosterItem
		var groups string
		if err := rows.Scan(&it.JID, &it.Name, &it.Subscription, &it.Ask, &groups); err != nil {
			return "", nil, err
		}
		if err := json.Unmarshal([]byte(groups), &it.Groups); err != nil {
			return "", nil, fmt.Errorf("groups of %s: %w", it.JID, err)
		}
		if len(it.Groups) == 0 {
			it.Groups = nil
		}
		items = append(items, it)
	}
	return version, items, rows.Err()
}

// ApplyRosterPush applies one roster push to account's cache: the item is
// added or replaced, or deleted if its subscription is "remove", and the
// cached version becomes version, all in one transaction.
func (s *Store) ApplyRosterPush(ctx context.Context, account, version string, item event.RosterItem) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if item.Subscription == "remove" {
			_, err = tx.ExecContext(ctx, `DELETE FROM roster_items WHERE account = ? AND jid = ?`, account, item.JID)
		} else {
			err = upsertRosterItem(ctx, tx, account, item)
		}
		if err != nil {
			return err
		}
		return setRosterVersion(ctx, tx, account, version)
	})
	if err != nil {
		return fmt.Errorf("apply roster push for %s on %s: %w", item.JID, account, err)
	}
	return nil
}

func upsertRosterItem(ctx context.Context, tx *sql.Tx, account string, it event.RosterItem) error {
	groups := it.Groups
	if groups == nil {
		groups = []string{}
	}
	g, err := json.Marshal(groups)
	if err != nil {
		return fmt.Errorf("groups of %s: %w", it.JID, err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO roster_items (account, jid, name, subscription, ask, groups)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (account, jid) DO UPDATE SET
			name = excluded.name, subscription = excluded.subscription,
			ask = excluded.ask, groups = excluded.groups`,
		account, it.JID, it.Name, it.Subscription, it.Ask, string(g))
	if err != nil {
		return fmt.Errorf("store roster item %s: %w", it.JID, err)
	}
	return nil
}

func setRosterVersion(ctx context.Context, tx *sql.Tx, account, version string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO roster_versions (account, version) VALUES (?, ?)
		ON CONFLICT (account) DO UPDATE SET version = excluded.version`, account, version)
	if err != nil {
		return fmt.Errorf("store roster version: %w", err)
	}
	return nil
}
