package server

import (
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
	ctx, cancel := srv.storeCtx()
	defer cancel()
	return srv.store.StoreOffline(ctx, bare, c.bytes())
}

// deliverOffline sends the messages stored for s's account, a page at a
// time, each send waiting for room in s's queue. The caller holds the
// account's lock and has just made s available.
func (srv *Server) deliverOffline(s *session) {
	if !srv.claimOffline(s) {
		return
	}
	for {
		ctx, cancel := srv.storeCtx()
		msgs, err := srv.store.Offline(ctx, s.bare, s.offLast, offlinePage)
		cancel()
		if err != nil {
			srv.logf("read offline messages of %s: %v", s.bare, err)
			return
		}
		for _, m := range msgs {
			if !s.sendItem(item{b: m.Stanza, offline: m.ID}) {
				return
			}
			s.offLast = m.ID
		}
		srv.flushOffline(s)
		if len(msgs) < offlinePage {
			return
		}
	}
}

// claimOffline makes s the session delivering its account's offline
// messages. If another session of the account delivered some that are
// not deleted yet, s starts after them: they are on their way there
// (and stay stored, for the next login, if they never arrive). The
// caller holds the account's lock, which guards offLast.
func (srv *Server) claimOffline(s *session) bool {
	srv.offMu.Lock()
	defer srv.offMu.Unlock()
	if o := srv.offOwner[s.bare]; o != nil && o != s {
		s.offLast = max(s.offLast, o.offLast)
	}
	srv.offOwner[s.bare] = s
	return true
}

// releaseOffline ends s's claim, once what it delivered is deleted: the
// next login reads what is left from the start.
func (srv *Server) releaseOffline(s *session) {
	srv.flushOffline(s)
	srv.offMu.Lock()
	defer srv.offMu.Unlock()
	if srv.offOwner[s.bare] == s {
		delete(srv.offOwner, s.bare)
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
	ctx, cancel := srv.storeCtx()
	defer cancel()
	if err := srv.store.DeleteOffline(ctx, s.bare, ids); err != nil {
		srv.logf("delete delivered offline messages of %s: %v", s.bare, err)
	}
}
