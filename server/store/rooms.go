package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
)

// Room is a persistent multi-user chat room as the MUC service keeps it:
// its configuration, subject and affiliations (bare JID → owner, admin,
// member or outcast). Occupants and history are not kept.
type Room struct {
	JID          string
	Name         string
	Description  string
	Password     string
	MembersOnly  bool
	Moderated    bool
	Public       bool
	Subject      string
	SubjectNick  string
	Affiliations map[string]string
}

// PutRoom creates or replaces a room with all its affiliations.
func (s *Store) PutRoom(ctx context.Context, r Room) error {
	j, err := canonicalBare(r.JID)
	if err != nil {
		return fmt.Errorf("put room: %w", err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO muc_rooms (jid, name, description, password, members_only, moderated, public, subject, subject_nick)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (jid) DO UPDATE SET name = excluded.name, description = excluded.description, password = excluded.password,
	members_only = excluded.members_only, moderated = excluded.moderated, public = excluded.public,
	subject = excluded.subject, subject_nick = excluded.subject_nick
RETURNING id`, j, r.Name, r.Description, r.Password, r.MembersOnly, r.Moderated, r.Public, r.Subject, r.SubjectNick).Scan(&id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM muc_affiliations WHERE room_id = ?", id); err != nil {
			return err
		}
		for who, aff := range r.Affiliations {
			if _, err := tx.ExecContext(ctx, "INSERT INTO muc_affiliations (room_id, jid, affiliation) VALUES (?, ?, ?)", id, who, aff); err != nil {
				return fmt.Errorf("affiliation %s of %s: %w", aff, who, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("put room %s: %w", j, err)
	}
	return nil
}

// DeleteRoom removes a room; a room that is not there is no error.
func (s *Store) DeleteRoom(ctx context.Context, room string) error {
	j, err := canonicalBare(room)
	if err != nil {
		return fmt.Errorf("delete room: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, "DELETE FROM muc_rooms WHERE jid = ?", j); err != nil {
		return fmt.Errorf("delete room %s: %w", j, err)
	}
	return nil
}

// Rooms returns every stored room, in JID order.
func (s *Store) Rooms(ctx context.Context) ([]Room, error) {
	var out []Room
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, jid, name, description, password, members_only, moderated, public, subject, subject_nick
FROM muc_rooms ORDER BY jid`)
		if err != nil {
			return err
		}
		ids := map[int64]int{}
		for rows.Next() {
			var id int64
			var r Room
			if err := rows.Scan(&id, &r.JID, &r.Name, &r.Description, &r.Password, &r.MembersOnly, &r.Moderated, &r.Public, &r.Subject, &r.SubjectNick); err != nil {
				rows.Close()
				return err
			}
			r.Affiliations = map[string]string{}
			ids[id] = len(out)
			out = append(out, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		return roomAffiliations(ctx, tx, ids, out)
	})
	if err != nil {
		return nil, fmt.Errorf("list rooms: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].JID < out[j].JID })
	return out, nil
}

func roomAffiliations(ctx context.Context, tx *sql.Tx, ids map[int64]int, out []Room) error {
	rows, err := tx.QueryContext(ctx, "SELECT room_id, jid, affiliation FROM muc_affiliations")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var who, aff string
		if err := rows.Scan(&id, &who, &aff); err != nil {
			return err
		}
		if i, ok := ids[id]; ok {
			out[i].Affiliations[who] = aff
		}
	}
	return rows.Err()
}
