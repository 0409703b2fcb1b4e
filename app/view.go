package app

import (
	"context"
	"fmt"
	"time"

	"chat/history"
)

// What a full-screen front end needs from the loop besides events: which
// conversation plain lines go to, which account commands act on, and pages
// of stored history. Every method here runs on the loop only (from View
// methods or command handlers).

// Peer returns the conversation plain lines go to ("" if none).
func (a *App) Peer() string { return a.peer }

// SetPeer makes j the conversation plain lines go to; "" means none (the
// console). It prints nothing, unlike /msg JID.
func (a *App) SetPeer(j string) {
	if j != "" {
		j = bare(j)
	}
	a.peer = j
}

// Current returns the account commands act on by default.
func (a *App) Current() string { return a.current }

// SetCurrent makes j the account commands act on, if it is configured or
// connected; it reports whether it did. It prints nothing, unlike /account.
func (a *App) SetCurrent(j string) bool {
	j = bare(j)
	if _, ok := a.state.Lookup(j); !ok {
		return false
	}
	a.current = j
	return true
}

// History returns up to n stored messages of account's conversation with
// peer, oldest first: the last n if before is 0, else the n just before the
// message with id before. Messages still queued for writing are committed
// first, so a message just shown is included.
func (a *App) History(account, peer string, before int64, n int) ([]history.Message, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.writer.Flush(ctx); err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	if before == 0 {
		return a.opts.Store.Last(ctx, account, bare(peer), n)
	}
	return a.opts.Store.Before(ctx, account, bare(peer), before, n)
}
