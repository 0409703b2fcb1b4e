package app

import (
	"context"
	"time"

	"chat/client"
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
	if j != "" && !a.isOccupant(j) { // rooms.go: a private conversation through a room keeps its nick
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

// History loads up to n stored messages of account's conversation with
// peer, oldest first: the last n if before is 0, else the n just before the
// message with id before. It runs on a worker and calls done on the loop
// with the page. Messages still queued for writing are committed first, so
// a message just shown is included.
func (a *App) History(account, peer string, before int64, n int, done func([]history.Message, error)) {
	store, writer, peer := a.opts.Store, a.writer, bare(peer)
	a.work("", func(ctx context.Context) result {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		msgs, err := flushed(ctx, writer, func(ctx context.Context) ([]history.Message, error) {
			if before == 0 {
				return store.Last(ctx, account, peer, n)
			}
			return store.Before(ctx, account, peer, before, n)
		})
		return func() { done(msgs, err) }
	})
}

// OwnPresence is the presence we send on account (Show "" is available),
// if the account has an engine. Loop only.
func (a *App) OwnPresence(account string) (client.Presence, bool) {
	e, ok := a.engines[account]
	if !ok {
		return client.Presence{}, false
	}
	return e.CurrentPresence(), true
}
