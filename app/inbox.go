package app

import "sync"

// inbox holds the command lines front ends hand to the loop. It has no
// fixed size, so that Queue never blocks (tview's goroutine calls it, and
// the loop may be waiting on tview); readers that can wait (standard input)
// use wait, which holds them back while inboxHigh lines are pending.
type inbox struct {
	mu     sync.Mutex
	lines  []string
	closed bool
	wake   chan struct{} // one token: lines are waiting
	room   chan struct{} // one token: the loop took lines
	gone   chan struct{} // closed with close: nobody will take lines again
}

// inboxHigh is how many pending lines make wait hold a reader back;
// inboxBatch is how many the loop takes before it draws.
const (
	inboxHigh  = 256
	inboxBatch = 64
)

func newInbox() *inbox {
	return &inbox{wake: make(chan struct{}, 1), room: make(chan struct{}, 1), gone: make(chan struct{})}
}

// put adds a line and reports whether it was taken (false once closed).
// It never blocks.
func (in *inbox) put(line string) bool {
	in.mu.Lock()
	if in.closed {
		in.mu.Unlock()
		return false
	}
	in.lines = append(in.lines, line)
	in.mu.Unlock()
	signal(in.wake)
	return true
}

// wait adds a line once fewer than inboxHigh are pending; it reports false,
// without adding it, once the inbox is closed.
func (in *inbox) wait(line string) bool {
	for {
		in.mu.Lock()
		switch {
		case in.closed:
			in.mu.Unlock()
			return false
		case len(in.lines) < inboxHigh:
			in.lines = append(in.lines, line)
			in.mu.Unlock()
			signal(in.wake)
			return true
		}
		in.mu.Unlock()
		select {
		case <-in.room:
		case <-in.gone:
		}
	}
}

// take removes up to n pending lines, oldest first. Loop only.
func (in *inbox) take(n int) []string {
	in.mu.Lock()
	k := min(n, len(in.lines))
	got := append([]string(nil), in.lines[:k]...)
	in.lines = in.lines[k:]
	more := len(in.lines) > 0
	if !more {
		in.lines = nil // let a burst's backing array go
	}
	in.mu.Unlock()
	if more {
		signal(in.wake)
	}
	signal(in.room)
	return got
}

// close refuses further lines and releases every waiting reader.
func (in *inbox) close() {
	in.mu.Lock()
	defer in.mu.Unlock()
	if !in.closed {
		in.closed = true
		close(in.gone)
	}
}

// signal leaves a token in a one-slot channel without waiting.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}
