package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
)

// Message is one stored message.
type Message struct {
	ID       int64     // row id, assigned by the store in time order (see nextID); ignored by Append
	Account  string    // bare JID of our account
	Peer     string    // bare JID of the other side: the conversation
	Outgoing bool      // sent by this account
	Stamp    time.Time // when it was sent; zero means Received
	Received time.Time // when we stored it; zero means now
	From     string    // full JID of the sender
	Type     string    // chat, normal, …
	Thread   string
	StanzaID string // XEP-0359 stanza-id given by our server; de-duplicates
	OriginID string // XEP-0359 origin-id given by the sender; de-duplicates our own messages only
	Body     string
	XHTML    string // XEP-0071: the XML inside the XHTML-IM body, if the message had one
	MsgID    string // the stanza's id attribute, which a correction names
	Replaces string // XEP-0308: the MsgID of the message this one corrects, from the same sender; "" if none
}

// columns is the select list scanMessage reads, in order.
const columns = `id, account, peer, direction, stamp, received, from_jid, type, thread, stanza_id, origin_id, body, xhtml, msg_id, replaces`

const insertSQL = `INSERT INTO messages
	(id, account, peer, direction, stamp, received, from_jid, type, thread, stanza_id, origin_id, body, xhtml, msg_id, replaces)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// copyByStanzaIDSQL finds a stored copy of a message by the stanza-id our
// server gave it (the same message delivered again, by the archive or a
// carbon). The literal stanza_id <> ” lets SQLite use the partial index.
const copyByStanzaIDSQL = `SELECT id, stanza_id FROM messages
	WHERE account = ? AND peer = ? AND direction = ? AND stanza_id = ? AND body = ? AND stanza_id <> ''
	LIMIT 1`

// copyByOriginIDSQL finds a stored copy of one of our own messages by the
// origin-id we gave it. Never used for incoming messages: a peer chooses
// its origin-ids, and two different messages may share one.
const copyByOriginIDSQL = `SELECT id, stanza_id FROM messages
	WHERE account = ? AND peer = ? AND origin_id = ? AND body = ? AND origin_id <> '' AND direction = 'out'
	LIMIT 1`

// fillStanzaIDSQL records the server's stanza-id on a copy we stored
// without one (our sent message, seen again through the archive), so that
// later copies are found by it.
const fillStanzaIDSQL = `UPDATE messages SET stanza_id = ? WHERE id = ? AND stanza_id = ''`

// Append stores m and reports whether it was new: false means a copy of
// it was already stored (see insertMessage).
func (s *Store) Append(ctx context.Context, m Message) (inserted bool, err error) {
	var n int
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		n, err = storeMessages(ctx, tx, []Message{m})
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store %w", err)
	}
	return n == 1, nil
}

// indexSQL adds the messages whose ids are in the JSON array ?1 to the
// full-text index, in id order. It is one statement for a whole batch:
// FTS5 writes its pending terms to disk at every statement that opens a
// savepoint in a transaction it has joined, which an insert trigger on
// messages did for each message (three times slower, and a new index
// segment each time).
const indexSQL = `INSERT INTO messages_fts (rowid, body)
	SELECT m.id, m.body FROM json_each(?1) j JOIN messages m ON m.id = j.value ORDER BY m.id`

// storeMessages inserts ms in order within tx (see insertMessage), then
// indexes the new ones for search, and returns how many were new.
func storeMessages(ctx context.Context, tx *sql.Tx, ms []Message) (int, error) {
	st := prepare(tx)
	defer st.close()
	ids := []byte{'['}
	n := 0
	for _, m := range ms {
		id, err := st.insertMessage(ctx, m)
		if err != nil {
			return 0, fmt.Errorf("message %s: %w", describe(m), err)
		}
		if id == 0 {
			continue // a copy was stored
		}
		if n > 0 {
			ids = append(ids, ',')
		}
		ids = strconv.AppendInt(ids, id, 10)
		n++
	}
	if n == 0 {
		return 0, nil
	}
	if _, err := tx.ExecContext(ctx, indexSQL, string(append(ids, ']'))); err != nil {
		return 0, fmt.Errorf("index %d messages for search: %w", n, err)
	}
	return n, nil
}

// stmts are the statements of an insert, each prepared within the
// transaction the first time it is needed: the Writer runs them for every
// message of a batch, a single Append only the few it needs.
type stmts struct {
	tx       *sql.Tx
	prepared map[string]*sql.Stmt

	topID    int64 // highest id stored, once topKnown (see nextID)
	topKnown bool
}

func prepare(tx *sql.Tx) *stmts {
	return &stmts{tx: tx, prepared: map[string]*sql.Stmt{}}
}

func (st *stmts) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if p, ok := st.prepared[q]; ok {
		return p, nil
	}
	p, err := st.tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	st.prepared[q] = p
	return p, nil
}

// scan runs the query q, which returns at most one row, into dest.
func (st *stmts) scan(ctx context.Context, q string, args []any, dest ...any) error {
	p, err := st.stmt(ctx, q)
	if err != nil {
		return err
	}
	return p.QueryRowContext(ctx, args...).Scan(dest...)
}

func (st *stmts) exec(ctx context.Context, q string, args ...any) error {
	p, err := st.stmt(ctx, q)
	if err != nil {
		return err
	}
	_, err = p.ExecContext(ctx, args...)
	return err
}

func (st *stmts) close() {
	for _, p := range st.prepared {
		p.Close()
	}
}

// insertMessage inserts m unless a copy of it is stored: one with the
// same stanza-id from our server, or, for our own messages, the same
// origin-id; in both cases with the same direction and body. Two messages
// that differ are never merged, whatever ids they carry. The new row's id
// places it in time (see nextID); it returns that id, or 0 if a copy was
// stored. The caller indexes the new rows for search (storeMessages).
func (st *stmts) insertMessage(ctx context.Context, m Message) (int64, error) {
	m = withDefaults(m)
	found, err := st.findCopy(ctx, m)
	if err != nil || found {
		return 0, err
	}
	id, err := st.nextID(ctx, m.Stamp)
	if err != nil {
		return 0, err
	}
	err = st.exec(ctx, insertSQL, id,
		m.Account, m.Peer, direction(m.Outgoing), m.Stamp.UnixNano(), m.Received.UnixNano(),
		m.From, m.Type, m.Thread, m.StanzaID, m.OriginID, m.Body, m.XHTML, m.MsgID, m.Replaces)
	if err != nil {
		return 0, err
	}
	return id, nil
}

// findCopy reports whether a copy of m is stored, filling in m's
// stanza-id on a copy of our own message stored without one.
func (st *stmts) findCopy(ctx context.Context, m Message) (bool, error) {
	var id int64
	var stanzaID string
	if m.StanzaID != "" {
		err := st.scan(ctx, copyByStanzaIDSQL, []any{m.Account, m.Peer, direction(m.Outgoing), m.StanzaID, m.Body}, &id, &stanzaID)
		if !errors.Is(err, sql.ErrNoRows) {
			return err == nil, err
		}
	}
	if !m.Outgoing || m.OriginID == "" {
		return false, nil
	}
	err := st.scan(ctx, copyByOriginIDSQL, []any{m.Account, m.Peer, m.OriginID, m.Body}, &id, &stanzaID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, err
	}
	if m.StanzaID != "" && stanzaID == "" {
		err = st.exec(ctx, fillStanzaIDSQL, m.StanzaID, id)
	}
	return true, err
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

// lastSQL and beforeSQL read the conversation index backwards from its
// end or from a message: ids are in time order, so nothing is sorted.
const (
	lastSQL = `SELECT ` + columns + ` FROM messages
		WHERE account = ? AND peer = ?
		ORDER BY id DESC LIMIT ?`
	beforeSQL = `SELECT ` + columns + ` FROM messages
		WHERE account = ?1 AND peer = ?2 AND id < ?3
			AND EXISTS (SELECT 1 FROM messages WHERE id = ?3 AND account = ?1 AND peer = ?2)
		ORDER BY id DESC LIMIT ?4`
)

// Last returns the last n messages of the conversation with peer, oldest
// first, ordered by sending time (to the millisecond) then storage order.
// It reads n rows of the conversation index, however long the history.
func (s *Store) Last(ctx context.Context, account, peer string, n int) ([]Message, error) {
	if n <= 0 {
		return nil, nil
	}
	ms, err := s.query(ctx, lastSQL, account, peer, n)
	if err != nil {
		return nil, fmt.Errorf("load last %d messages of %s/%s: %w", n, account, peer, err)
	}
	slices.Reverse(ms)
	return ms, nil
}

// Before returns the n messages of the conversation that come just before
// the message beforeID, oldest first: the next page when scrolling back.
// It returns nothing if beforeID is not a message of this conversation.
// Paging is by key (ids are in time order), so a page costs the same at
// any depth.
func (s *Store) Before(ctx context.Context, account, peer string, beforeID int64, n int) ([]Message, error) {
	if n <= 0 {
		return nil, nil
	}
	ms, err := s.query(ctx, beforeSQL, account, peer, beforeID, n)
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
		&m.From, &m.Type, &m.Thread, &m.StanzaID, &m.OriginID, &m.Body, &m.XHTML, &m.MsgID, &m.Replaces)
	m.Outgoing = dir == "out"
	m.Stamp = time.Unix(0, stamp)
	m.Received = time.Unix(0, received)
	return m, err
}
