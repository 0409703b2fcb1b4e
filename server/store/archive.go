package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Archived is one message of a user's archive (XEP-0313).
type Archived struct {
	StanzaID string    // the archive's id of the message, unique per user
	With     string    // the bare JID of the other party
	At       time.Time // when the server archived it
	Stanza   []byte
}

// ArchiveQuery selects archived messages: With (a bare JID, or "" for
// all), Start and End (zero for unbounded), and a page of at most Max
// after the message After or before the message Before (stanza ids). With
// Before set, or Last, the page is the newest that matches.
type ArchiveQuery struct {
	With          string
	Start, End    time.Time
	After, Before string
	Last          bool
	Max           int
}

// ErrNoSuchItem is returned for an After or Before that is not in the
// archive.
var ErrNoSuchItem = errors.New("no such archived message")

// Archive keeps messages for their owners (owners[i] owns msgs[i]), all
// in one transaction; owners that are not accounts are skipped.
func (s *Store) Archive(ctx context.Context, owners []string, msgs []Archived) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for i, owner := range owners {
			u, err := canonicalUser(owner)
			if err != nil {
				return err
			}
			if err := checkStanza(msgs[i].Stanza); err != nil {
				return err
			}
			id, err := userID(ctx, tx, u)
			if errors.Is(err, ErrNoUser) {
				continue // a message to an account that does not exist
			}
			if err != nil {
				return err
			}
			m := msgs[i]
			if _, err := tx.ExecContext(ctx,
				"INSERT INTO archive (user_id, stanza_id, with_jid, at, stanza) VALUES (?, ?, ?, ?, ?)",
				id, m.StanzaID, m.With, m.At.UnixMicro(), m.Stanza); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("archive a message: %w", err)
	}
	return nil
}

// QueryArchive returns a page of user's archive, oldest first, and
// whether it reaches the end of what matches (the newest one, or the
// oldest one for a page before).
func (s *Store) QueryArchive(ctx context.Context, user string, q ArchiveQuery) ([]Archived, bool, error) {
	u, err := canonicalUser(user)
	if err != nil {
		return nil, false, fmt.Errorf("query archive: %w", err)
	}
	var out []Archived
	complete := false
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := userID(ctx, tx, u)
		if err != nil {
			return err
		}
		out, complete, err = queryArchive(ctx, tx, id, q)
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("query archive of %s: %w", u, err)
	}
	return out, complete, nil
}

func queryArchive(ctx context.Context, tx *sql.Tx, user int64, q ArchiveQuery) ([]Archived, bool, error) {
	where, args := "user_id = ?", []any{user}
	if q.With != "" {
		where, args = where+" AND with_jid = ?", append(args, q.With)
	}
	if !q.Start.IsZero() {
		where, args = where+" AND at >= ?", append(args, q.Start.UnixMicro())
	}
	if !q.End.IsZero() {
		where, args = where+" AND at <= ?", append(args, q.End.UnixMicro())
	}
	for _, ref := range []struct{ id, op string }{{q.After, ">"}, {q.Before, "<"}} {
		if ref.id == "" {
			continue
		}
		var row int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM archive WHERE user_id = ? AND stanza_id = ?", user, ref.id).Scan(&row)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, false, ErrNoSuchItem
		}
		if err != nil {
			return nil, false, err
		}
		where, args = where+" AND id "+ref.op+" ?", append(args, row)
	}
	order := "ASC"
	if q.Before != "" || q.Last {
		order = "DESC"
	}
	rows, err := tx.QueryContext(ctx, "SELECT stanza_id, with_jid, at, stanza FROM archive WHERE "+where+
		" ORDER BY id "+order+" LIMIT ?", append(args, q.Max+1)...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []Archived
	for rows.Next() {
		var a Archived
		var at int64
		if err := rows.Scan(&a.StanzaID, &a.With, &at, &a.Stanza); err != nil {
			return nil, false, err
		}
		a.At = time.UnixMicro(at).UTC()
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	complete := len(out) <= q.Max
	if !complete {
		out = out[:q.Max]
	}
	if order == "DESC" {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out, complete, nil
}
