package server

import (
	"hash/maphash"
	"sort"
	"sync"
)

// registry holds the bound sessions: account (bare JID) → resource →
// session.
type registry struct {
	mu    sync.RWMutex
	users map[string]map[string]*session
	count int
}

func newRegistry() *registry {
	return &registry{users: map[string]map[string]*session{}}
}

// add registers s and returns the session it replaces (same full JID), if
// any.
func (r *registry) add(s *session) (old *session) {
	r.mu.Lock()
	defer r.mu.Unlock()
	res := r.users[s.bare]
	if res == nil {
		res = map[string]*session{}
		r.users[s.bare] = res
	}
	old = res[s.jid.Resourcepart()]
	if old == nil {
		r.count++
	}
	res[s.jid.Resourcepart()] = s
	return old
}

// remove unregisters s unless it has been replaced already.
func (r *registry) remove(s *session) {
	r.mu.Lock()
	defer r.mu.Unlock()
	res := r.users[s.bare]
	if res[s.jid.Resourcepart()] != s {
		return
	}
	delete(res, s.jid.Resourcepart())
	r.count--
	if len(res) == 0 {
		delete(r.users, s.bare)
	}
}

// sessions returns the connected resources of an account, in resource
// order.
func (r *registry) sessions(bare string) []*session {
	r.mu.RLock()
	res := r.users[bare]
	out := make([]*session, 0, len(res))
	for _, s := range res {
		out = append(out, s)
	}
	r.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].full < out[j].full })
	return out
}

// session returns the session bound to a full JID, or nil.
func (r *registry) session(bare, resource string) *session {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.users[bare][resource]
}

// available returns the available resources of an account.
func (r *registry) available(bare string) []*session {
	var out []*session
	for _, s := range r.sessions(bare) {
		if s.isAvailable() {
			out = append(out, s)
		}
	}
	return out
}

func (r *registry) all() []*session {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []*session
	for _, res := range r.users {
		for _, s := range res {
			out = append(out, s)
		}
	}
	return out
}

func (r *registry) len() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.count
}

// userLocks serialise the read-modify-write work on one account (roster
// and subscription changes, offline storage against initial presence).
// A fixed set of stripes bounds memory; a goroutine holds one at a time.
type userLocks struct {
	seed    maphash.Seed
	stripes [64]sync.Mutex
}

func newUserLocks() *userLocks { return &userLocks{seed: maphash.MakeSeed()} }

func (l *userLocks) lock(bare string) func() {
	m := &l.stripes[maphash.String(l.seed, bare)%uint64(len(l.stripes))]
	m.Lock()
	return m.Unlock
}

// bindSession registers a freshly bound session. A session already bound
// to the same full JID is replaced: it gets a conflict stream error, and
// its unavailable presence goes out now, before the new one can announce
// itself.
func (srv *Server) bindSession(s *session) {
	old := srv.reg.add(s)
	srv.logf("bound %s from %s", s.full, s.c.ip)
	if srv.ctx.Err() != nil {
		s.end(errStream("system-shutdown", "the server is stopping"), false)
	}
	if old == nil {
		return
	}
	srv.logf("%s replaced by a new session", old.full)
	old.end(errStream("conflict", "replaced by a new connection"), false)
	srv.presenceGone(old)
}

// unbindSession removes an ended session and tells whoever saw it
// available that it is gone.
func (srv *Server) unbindSession(s *session) {
	srv.reg.remove(s)
	srv.presenceGone(s)
	srv.logf("%s disconnected", s.full)
}
