package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
	"unsafe"
)

// maxBatch is the most messages the Writer commits in one transaction.
const maxBatch = 5000

// DefaultQueueBytes bounds the messages a Writer holds before they are
// committed (see Writer): about 12,000 chat-sized messages, two full
// batches, enough to keep the Writer busy while the next batch fills.
const DefaultQueueBytes = 4 << 20

// ErrWriterClosed is reported for messages appended after Close.
var ErrWriterClosed = errors.New("history writer closed")

// ErrQueueFull is returned by TryAppend when the Writer holds as many
// bytes of messages as it may: the message was not queued.
var ErrQueueFull = errors.New("history writer queue full")

// Writer appends messages to a Store in order from one goroutine, so the
// caller (the event loop) never waits on disk. Messages that pile up while
// a write is in progress are committed together in one transaction.
//
// The queue is bounded (DefaultQueueBytes, or NewWriterSize's limit; one
// message is always accepted however large). Which call to use:
//   - the event loop uses TryAppend, which never blocks and returns
//     ErrQueueFull when the queue is full;
//   - the side that reads the network (the engine's reader, or a worker
//     it feeds) uses AppendContext, which waits for room, so a burst the
//     disk cannot keep up with stops reading from the server (TCP pushes
//     back) instead of growing memory;
//   - Append, the old call, never blocks and never refuses: it ignores the
//     bound, so a burst through it grows the queue without limit.
//
// A failed write keeps its messages queued, reports the error to onErr and
// is retried when the next message is appended, on Flush, or after
// retryDelay, so that callers waiting for room in AppendContext are not
// stuck behind a disk that has recovered. onErr is called
// from the Writer's goroutine (or from Append after Close) and must not
// block on anything that waits for the Writer.
type Writer struct {
	s     *Store
	onErr func(error)

	wake chan struct{} // buffered(1): there may be work
	stop chan struct{} // closed by Close
	done chan struct{} // closed when the goroutine returns

	limit int // most bytes queued (see size)

	mu        sync.Mutex
	queue     []Message     // not yet committed, in order
	queued    int           // bytes in queue, by size
	peak      int           // most bytes ever queued
	appended  uint64        // messages ever appended
	committed uint64        // messages ever committed
	started   uint64        // write attempts started
	finished  uint64        // write attempts finished
	lastErr   error         // result of the last finished attempt
	changed   chan struct{} // closed and replaced after each attempt
	closed    bool
}

// NewWriter starts a Writer for s. onErr receives write errors; nil
// discards them (Flush and Close still return them).
func NewWriter(s *Store, onErr func(error)) *Writer {
	return NewWriterSize(s, onErr, DefaultQueueBytes)
}

// NewWriterSize is NewWriter with a queue bound of limit bytes.
func NewWriterSize(s *Store, onErr func(error), limit int) *Writer {
	if onErr == nil {
		onErr = func(error) {}
	}
	w := &Writer{
		s:       s,
		onErr:   onErr,
		limit:   limit,
		wake:    make(chan struct{}, 1),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
		changed: make(chan struct{}),
	}
	go w.run()
	return w
}

// Append queues m to be stored. It never waits for the disk and ignores
// the queue's bound: use TryAppend on the event loop and AppendContext on
// the network's side instead.
// De-duplication happens when it is written; duplicates are dropped quietly.
func (w *Writer) Append(m Message) {
	if err := w.enqueue(withDefaults(m), true); err != nil {
		w.onErr(err)
	}
}

// TryAppend queues m unless the queue is full (ErrQueueFull) or the
// Writer is closed (ErrWriterClosed); it never blocks. This is the call
// for the event loop.
func (w *Writer) TryAppend(m Message) error {
	return w.enqueue(withDefaults(m), false)
}

// AppendContext queues m, waiting while the queue is full until there is
// room, ctx is done or the Writer stops. This is the call for the
// goroutine that reads from the network, never for the event loop: a
// disk that stalls stalls the caller.
func (w *Writer) AppendContext(ctx context.Context, m Message) error {
	m = withDefaults(m) // Received is when we got it, not when there was room
	for {
		w.mu.Lock()
		changed := w.changed
		w.mu.Unlock()
		err := w.enqueue(m, false)
		if !errors.Is(err, ErrQueueFull) {
			return err
		}
		select {
		case <-changed:
		case <-w.done:
			return fmt.Errorf("store message %s: %w", describe(m), ErrWriterClosed)
		case <-ctx.Done():
			return fmt.Errorf("store message %s: %w", describe(m), ctx.Err())
		}
	}
}

// enqueue adds m to the queue if there is room or force is set.
func (w *Writer) enqueue(m Message, force bool) error {
	n := size(m)
	w.mu.Lock()
	switch {
	case w.closed:
		w.mu.Unlock()
		return fmt.Errorf("store message %s: %w", describe(m), ErrWriterClosed)
	case !force && len(w.queue) > 0 && w.queued+n > w.limit:
		w.mu.Unlock()
		return fmt.Errorf("store message %s: %w", describe(m), ErrQueueFull)
	}
	w.queue = append(w.queue, m)
	w.queued += n
	w.peak = max(w.peak, w.queued)
	w.appended++
	w.mu.Unlock()
	w.kick()
	return nil
}

// size is what m counts against the queue's bound: the Message itself,
// the queue's slot for it, and its text.
func size(m Message) int {
	return 2*int(unsafe.Sizeof(m)) + len(m.Account) + len(m.Peer) + len(m.From) + len(m.Type) + len(m.Thread) +
		len(m.StanzaID) + len(m.OriginID) + len(m.Body) + len(m.XHTML) + len(m.MsgID) + len(m.Replaces)
}

// peakQueued reports the most bytes the queue ever held, for tests.
func (w *Writer) peakQueued() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.peak
}

// Flush returns once every message appended before the call is committed.
// If a write attempted after the call fails, Flush returns its error (the
// messages stay queued). It also returns when ctx is done.
func (w *Writer) Flush(ctx context.Context) error {
	w.mu.Lock()
	target, attempt := w.appended, w.started+1
	w.mu.Unlock()
	w.kick()
	for {
		w.mu.Lock()
		committed, finished, err, changed := w.committed, w.finished, w.lastErr, w.changed
		w.mu.Unlock()
		switch {
		case committed >= target:
			return nil
		case finished >= attempt && err != nil:
			return fmt.Errorf("flush history: %w", err)
		}
		select {
		case <-changed:
		case <-w.done:
			return w.unwritten()
		case <-ctx.Done():
			return fmt.Errorf("flush history: %w", ctx.Err())
		}
	}
}

// Close writes what is queued, stops the goroutine and returns an error
// naming how many messages could not be written. It does not close the
// Store. Messages appended afterwards are reported to onErr.
func (w *Writer) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	w.mu.Unlock()
	close(w.stop)
	<-w.done
	return w.unwritten()
}

// unwritten reports the messages left queued after the goroutine stopped.
func (w *Writer) unwritten() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.queue) == 0 {
		return nil
	}
	return fmt.Errorf("history writer stopped with %d messages not written, first %s: %w",
		len(w.queue), describe(w.queue[0]), w.lastErr)
}

func (w *Writer) kick() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *Writer) run() {
	defer close(w.done)
	retry := time.NewTimer(retryDelay)
	retry.Stop()
	defer retry.Stop()
	for {
		var failed bool
		select {
		case <-w.wake:
			failed = w.drain()
		case <-retry.C:
			failed = w.drain()
		case <-w.stop:
			w.drain()
			return
		}
		if failed {
			retry.Reset(retryDelay)
		}
	}
}

// retryDelay is how long the Writer waits to retry a failed write when
// nothing else asks it to.
const retryDelay = time.Second

// drain writes batches until the queue is empty or a write fails, and
// reports whether one failed.
func (w *Writer) drain() (failed bool) {
	for {
		batch := w.next()
		if len(batch) == 0 {
			return false
		}
		err := w.write(batch)
		w.finish(len(batch), err)
		if err != nil {
			w.onErr(err)
			return true
		}
	}
}

// next returns the oldest queued messages, up to maxBatch, and counts the
// attempt as started. The slice shares the queue's array; Append only
// writes beyond its end, so it stays valid.
func (w *Writer) next() []Message {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := min(len(w.queue), maxBatch)
	if n > 0 {
		w.started++
	}
	return w.queue[:n:n]
}

// finish records the outcome of writing the first n queued messages.
func (w *Writer) finish(n int, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err == nil {
		for _, m := range w.queue[:n] {
			w.queued -= size(m)
		}
		clear(w.queue[:n]) // let the bodies go before the array does
		w.queue = w.queue[n:]
		if len(w.queue) == 0 {
			w.queue = nil // let the array go
		}
		w.committed += uint64(n)
	}
	w.finished++
	w.lastErr = err
	close(w.changed)
	w.changed = make(chan struct{})
}

// write commits batch in one transaction.
func (w *Writer) write(batch []Message) error {
	ctx := context.Background()
	err := w.s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := storeMessages(ctx, tx, batch)
		return err
	})
	if err != nil {
		return fmt.Errorf("write %d messages to history, first %s: %w", len(batch), describe(batch[0]), err)
	}
	return nil
}
