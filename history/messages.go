package history

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"time"
)

// Message is one stored message.
type Message struct {
	ID       int64     // row id, assigned by the store; ignored by Append
	Account  string    // bare JID of our account
	Peer     string    // bare JID of the other side: the conversation
	Outgoing bool      // sent by this account
	Stamp    time.Time // when it was sent; zero means Received
	Received time.Time // when we stored it; zero means now
	From     string    // full JID of the sender
	Type     string    // chat, normal, …
	Thread   string
	StanzaID string // XEP-0359 stanza-id given by our server; de-duplicates
	OriginID string // XEP-0359 origin-id given by the sender; de-duplicates
	Body     string
	XHTML    string // XEP-0071: the XML inside the XHTML-IM body, if the message had one
}

// columns is the select list scanMessage reads, in order.
const columns = `id, account, peer, direction, stamp, received, from_jid, type, thread, stanza_id, origin_id, body, xhtml`

// insertSQL stores a message unless one with the same origin-id (same
// account, peer and direction) or the same stanza-id (same account and
// peer) is already there. ON CONFLICT DO NOTHING ignores only those
// uniqueness conflicts; unlike INSERT OR IGNORE it does not also swallow
// NOT NULL or CHECK failures.
const insertSQL = `INSERT INTO messages
	(account, peer, direction, stamp, received, from_jid, type, thread, stanza_id, origin_id, body, xhtml)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT DO NOTHING`

// fillStanzaIDSQL records the server's stanza-id on a copy we already
// stored without one (typically our own sent message, later seen again
// through a carbon or the archive), so archive paging can find it.
const fillStanzaIDSQL = `UPDATE OR IGNORE messages SET stanza_id = ?
	WHERE account = ? AND peer = ? AND direction = ? AND origin_id = ? AND stanza_id = ''`

// Append stores m and reports whether it was new: false means a copy with
// the same origin-id or stanza-id was already stored.
func (s *Store) Append(ctx context.Context, m Message) (inserted bool, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		inserted, err = insertMessage(ctx, tx, m)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store message %s: %w", describe(m), err)
	}
	return inserted, nil
}

// insertMessage inserts m within tx.
func insertMessage(ctx context.Context, tx *sql.Tx, m Message) (bool, error) {
	m = withDefaults(m)
	dir := direction(m.Outgoing)
	res, err := tx.ExecContext(ctx, insertSQL,
		m.Account, m.Peer, dir, m.Stamp.UnixNano(), m.Received.UnixNano(),
		m.From, m.Type, m.Thread, m.StanzaID, m.OriginID, m.Body, m.XHTML)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	if n == 0 && m.StanzaID != "" && m.OriginID != "" {
		_, err = tx.ExecContext(ctx, fillStanzaIDSQL, m.StanzaID, m.Account, m.Peer, dir, m.OriginID)
	}
	return n > 0, err
}

// Times are stored as int64 Unix nanoseconds, which cover 1678 to 2262.
var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

// withDefaults fills in the times Append treats as "now" and clamps absurd
// stamps (a peer's delay element can say anything) to the storable range.
func withDefaults(m Message) Message {
	if m.Received.IsZero() {
		m.Received = time.Now()
	}
	if m.Stamp.IsZero() {
		m.Stamp = m.Received
	}
	m.Stamp = clamp(m.Stamp)
	m.Received = clamp(m.Received)
	return m
}

func clamp(t time.Time) time.Time {
	switch {
	case t.Before(minTime):
		return minTime
	case t.After(maxTime):
		return maxTime
	}
	return t
}

func direction(outgoing bool) string {
	if outgoing {
		return "out"
	}
	return "in"
}

// describe names a message in error reports without its body.
func describe(m Message) string {
	id := m.OriginID
	if id == "" {
		id = m.StanzaID
	}
	return fmt.Sprintf("%s/%s %s at %s id %q", m.Account, m.Peer, direction(m.Outgoing),
		m.Stamp.Format(time.RFC3339), id)
}

// Last returns the last n messages of the conversation with peer, oldest
// first, ordered by sending time then storage order.
func (s *Store) Last(ctx context.Context, account, peer string, n int) ([]Message, error) {
	if n <= 0 {
		return nil, nil
	}
	ms, err := s.query(ctx, `SELECT `+columns+` FROM messages
		WHERE account = ? AND peer = ?
		ORDER BY stamp DESC, id DESC LIMIT ?`, account, peer, n)
	if err != nil {
		return nil, fmt.Errorf("load last %d messages of %s/%s: %w", n, account, peer, err)
	}
	slices.Reverse(ms)
	return ms, nil
}

// Before returns the n messages of the conversation that come just before
// the message beforeID, oldest first: the next page when scrolling back.
// It returns nothing if beforeID is not a message of this conversation.
func (s *Store) Before(ctx context.Context, account, peer string, beforeID int64, n int) ([]Message, error) {
	if n <= 0 {
		return nil, nil
	}
	ms, err := s.query(ctx, `SELECT `+columns+` FROM messages
		WHERE account = ?1 AND peer = ?2 AND (stamp, id) <
			(SELECT stamp, id FROM messages WHERE id = ?3 AND account = ?1 AND peer = ?2)
		ORDER BY stamp DESC, id DESC LIMIT ?4`, account, peer, beforeID, n)
	if err != nil {
		return nil, fmt.Errorf("load %d messages of %s/%s before %d: %w", n, account, peer, beforeID, err)
	}
	slices.Reverse(ms)
	return ms, nil
}

// query runs a SELECT of columns and scans every row.
func (s *Store) query(ctx context.Context, q string, args ...any) ([]Message, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ms []Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	return ms, rows.Err()
}

func scanMessage(rows *sql.Rows) (Message, error) {
	var m Message
	var dir string
	var stamp, received int64
	err := rows.Scan(&m.ID, &m.Account, &m.Peer, &dir, &stamp, &received,
		&m.From, &m.Type, &m.Thread, &m.StanzaID, &m.OriginID, &m.Body, &m.XHTML)
	m.Outgoing = dir == "out"
	m.Stamp = time.Unix(0, stamp)
	m.Received = time.Unix(0, received)
	return m, err
}
