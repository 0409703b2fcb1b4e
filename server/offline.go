package server

import (
	"context"
	"errors"
	"time"

	"chat/server/store"
)

// Offline messages are read in pages and stay in the store until
// delivered: until the client acknowledged them with stream management,
// or, without it, until they were written to the socket. Only one
// session of an account delivers them at a time (the owner), so that two
// resources logging in one after the other do not both get them.

// offlinePage is how many offline messages are read at a time.
const offlinePage = 100

// storeOffline keeps a message for later, stamped with XEP-0203 delay. It
// returns once the store has committed it.
func (srv *Server) storeOffline(st *stanza, bare string) {
	err := srv.keepOffline(st.n, bare)
	switch {
	case errors.Is(err, store.ErrOfflineFull):
		srv.bounce(st, "cancel", "service-unavailable", "the recipient's offline storage is full")
	case errors.Is(err, store.ErrStanzaTooLarge):
		srv.bounce(st, "cancel", "service-unavailable", "too large to keep offline")
	case err != nil:
		srv.logf("store offline message for %s: %v", bare, err)
		srv.bounce(st, "wait", "internal-server-error", "")
	}
}

// keepOffline stores n for bare with a delay stamp.
func (srv *Server) keepOffline(n *node, bare string) error {
	c := *n
	c.kids = append(append([]any(nil), n.kids...), elem(nsDelay, "delay",
		"from", srv.domain, "stamp", time.Now().UTC().Format("2006-01-02T15:04:05.000Z")).add("Offline storage"))
	ctx, cancel := durableCtx()
	defer cancel()
	return srv.store.StoreOffline(ctx, bare, c.bytes())
}

// deliverOffline sends the messages stored for s's account, a page at a
// time, each send waiting for room in s's queue. The caller holds the
// account's lock and has just made s available.
func (srv *Server) deliverOffline(s *session) {
	srv.claimOffline(s)
	srv.deliverRange(s, s.offLast, 0, true)
}

// deliverRange sends s the stored messages with ids in (after, upto], or
// all after after if upto is 0; next says s.offLast follows. The caller
// holds the account's lock.
func (srv *Server) deliverRange(s *session, after, upto int64, next bool) {
	for {
		ctx, cancel := srv.storeCtx()
		msgs, err := srv.store.Offline(ctx, s.bare, after, offlinePage)
		cancel()
		if err != nil {
			srv.logf("read offline messages of %s: %v", s.bare, err)
			return
		}
		for _, m := range msgs {
			if upto > 0 && m.ID > upto {
				return
			}
			if !s.sendItem(item{b: m.Stanza, offline: m.ID}) {
				return
			}
			after = m.ID
			if next {
				s.offLast = m.ID
			}
		}
		srv.flushOffline(s)
		if len(msgs) < offlinePage {
			return
		}
	}
}

// claimOffline makes s the session delivering its account's offline
// messages. If another session of the account delivered some that are
// not deleted yet, s starts after them: they are on their way there, and
// if they never arrive that session gives them back to s when it ends
// (releaseOffline). The caller holds the account's lock, which guards
// offLast and offStart.
func (srv *Server) claimOffline(s *session) {
	srv.offMu.Lock()
	defer srv.offMu.Unlock()
	if o := srv.offOwner[s.bare]; o != nil && o != s {
		s.offLast = max(s.offLast, o.offLast)
		s.offStart = s.offLast
	}
	srv.offOwner[s.bare] = s
}

// releaseOffline ends s's claim, once what it delivered is deleted: the
// next login reads what is left from the start, and an available session
// that started after s's messages gets those still stored.
func (srv *Server) releaseOffline(s *session) {
	srv.flushOffline(s)
	srv.offMu.Lock()
	owner := srv.offOwner[s.bare] == s
	if owner {
		delete(srv.offOwner, s.bare)
	}
	srv.offMu.Unlock()
	unlock := srv.locks.lock(s.bare)
	defer unlock()
	for _, o := range srv.reg.available(s.bare) {
		if o != s && o.offStart > 0 {
			upto := o.offStart
			o.offStart = 0
			srv.deliverRange(o, 0, upto, false)
			return
		}
	}
}

// handOffline moves old's claim to its resumed successor.
func (srv *Server) handOffline(old, s *session) {
	srv.offMu.Lock()
	defer srv.offMu.Unlock()
	s.offLast = old.offLast
	if srv.offOwner[s.bare] == old {
		srv.offOwner[s.bare] = s
	}
}

// flushOffline deletes the offline messages s has delivered.
func (srv *Server) flushOffline(s *session) {
	s.qmu.Lock()
	ids := s.offDone
	s.offDone = nil
	s.qmu.Unlock()
	if len(ids) == 0 {
		return
	}
	ctx, cancel := durableCtx()
	defer cancel()
	if err := srv.store.DeleteOffline(ctx, s.bare, ids); err != nil {
		srv.logf("delete delivered offline messages of %s: %v", s.bare, err)
	}
}

// durableCtx bounds a store call that must happen even while the server
// is stopping: keeping a message or forgetting a delivered one.
func durableCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 10*time.Second)
}
