package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// A message's id (the row id, also the full-text index's rowid) is its
// place in time: the millisecond of its stamp shifted left by seqBits,
// plus its rank among the messages stored with that millisecond. So id
// order is stamp order (to the millisecond, then storage order), and both
// the conversation index and the FTS5 index hand out the newest messages
// first without sorting. Ids are unique across the database.
//
// Int64 nanosecond stamps span ±2^63 ns, about ±9.3e12 ms, inside the
// ±2^44 ms the id leaves room for, so every storable stamp has a bucket
// and a bucket above it for overflow. More than 2^18 messages in one
// millisecond (only a flood with one forged stamp) spill into the next
// millisecond's bucket.
const seqBits = 18

// Newest is SearchBefore's cursor for the first page: every id is below
// it.
const Newest int64 = 1<<63 - 1

// bucket returns the first id of the millisecond of stamp.
func bucket(stamp time.Time) int64 {
	ns := stamp.UnixNano()
	ms := ns / 1e6
	if ns%1e6 < 0 {
		ms-- // floor, not truncation, before 1970
	}
	return ms << seqBits
}

// lastInBucketSQL finds the highest id in [?1, ?2): one descent of the
// rowid B-tree.
const lastInBucketSQL = `SELECT id FROM messages WHERE id >= ?1 AND id < ?2 ORDER BY id DESC LIMIT 1`

// topSQL is the highest id stored: the last row of the rowid B-tree.
const topSQL = `SELECT max(id) FROM messages`

// nextID returns the id for a message stamped stamp within the
// transaction of st. It remembers the highest id so far: a message newer
// than every stored one (a live stream) needs no query.
func (st *stmts) nextID(ctx context.Context, stamp time.Time) (int64, error) {
	if !st.topKnown {
		var top sql.NullInt64
		if err := st.scan(ctx, topSQL, nil, &top); err != nil {
			return 0, fmt.Errorf("find the last id: %w", err)
		}
		st.topID, st.topKnown = top.Int64, true
		if !top.Valid {
			st.topID = -1 << 63
		}
	}
	lo := bucket(stamp)
	switch {
	case lo > st.topID: // nothing at or after this millisecond
		st.topID = lo
		return lo, nil
	case lo>>seqBits == st.topID>>seqBits && st.topID+1 < lo+1<<seqBits: // the newest millisecond
		st.topID++
		return st.topID, nil
	}
	id, err := st.newID(ctx, stamp)
	st.topID = max(st.topID, id)
	return id, err
}

// newID returns the id for a message stamped stamp: the next free rank in
// its millisecond, or in the first later millisecond with room.
func (st *stmts) newID(ctx context.Context, stamp time.Time) (int64, error) {
	lo := bucket(stamp)
	for {
		hi := lo + 1<<seqBits
		var top int64
		err := st.scan(ctx, lastInBucketSQL, []any{lo, hi}, &top)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return lo, nil
		case err != nil:
			return 0, fmt.Errorf("find an id: %w", err)
		case top+1 < hi:
			return top + 1, nil
		}
		lo = hi
	}
}
