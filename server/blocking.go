package server

import (
	"sync"

	"mellium.im/xmpp/jid"
)

// XEP-0191 blocking command: each account's blocklist is kept in the store
// and cached here. Stanzas from a blocked address never reach the account
// (messages and presence are dropped, IQ requests answered
// service-unavailable, as if the account did not exist for the sender),
// and the account cannot send to an address it blocks (XEP-0191 §3.6).

const (
	nsBlocking       = "urn:xmpp:blocking"
	nsBlockingErrors = "urn:xmpp:blocking:errors"
)

// blockCache holds the blocklists read so far: account → set of JIDs.
type blockCache struct {
	mu    sync.Mutex
	lists map[string]map[string]bool
}

// blocklist returns the account's blocked JIDs (the cached set: do not
// change it).
func (srv *Server) blocklist(bare string) map[string]bool {
	c := &srv.ext.blockLists
	c.mu.Lock()
	defer c.mu.Unlock()
	if l, ok := c.lists[bare]; ok {
		return l
	}
	ctx, cancel := srv.storeCtx()
	defer cancel()
	list, err := srv.store.Blocklist(ctx, bare)
	if err != nil {
		srv.logf("read blocklist of %s: %v", bare, err)
		return nil // not cached: the next stanza tries again
	}
	set := make(map[string]bool, len(list))
	for _, j := range list {
		set[j] = true
	}
	if c.lists == nil {
		c.lists = map[string]map[string]bool{}
	}
	c.lists[bare] = set
	return set
}

// forget drops the cached blocklist of an account after a change.
func (c *blockCache) forget(bare string) {
	c.mu.Lock()
	delete(c.lists, bare)
	c.mu.Unlock()
}

// blocks reports whether account bare blocks j, by the matching rules of
// XEP-0016 §2.1 that XEP-0191 §3.4 refers to: the full JID, the bare JID,
// the domain with the resource, or the domain.
func (srv *Server) blocks(bare string, j jid.JID) bool {
	l := srv.blocklist(bare)
	if len(l) == 0 {
		return false
	}
	d := j.Domainpart()
	if l[j.String()] || l[j.Bare().String()] || l[d] {
		return true
	}
	return j.Resourcepart() != "" && l[d+"/"+j.Resourcepart()]
}

// unblocked returns the sessions account bare does not block.
func (srv *Server) unblocked(bare string, ss []*session) []*session {
	if len(srv.blocklist(bare)) == 0 {
		return ss
	}
	out := ss[:0:0]
	for _, o := range ss {
		if !srv.blocks(bare, o.jid) {
			out = append(out, o)
		}
	}
	return out
}

// blockedStanza enforces the blocklists on a stanza a session sent; true
// means it has been handled (dropped or answered) and must not be routed.
func (srv *Server) blockedStanza(st *stanza) bool {
	if !st.hasTo || st.typ == "error" {
		return false
	}
	if st.from.Localpart() != "" && srv.blocks(st.from.Bare().String(), st.to) {
		if st.kind != "presence" {
			e := stanzaError("cancel", "not-acceptable", "")
			e.add(elem(nsBlockingErrors, "blocked"))
			srv.bounceWith(st, e)
		}
		return true
	}
	if srv.classify(st.to) != toUser || st.to.Bare().String() == st.from.Bare().String() {
		return false
	}
	if !srv.blocks(st.to.Bare().String(), st.from) {
		return false
	}
	if st.kind == "iq" && (st.typ == "get" || st.typ == "set") {
		srv.bounce(st, "cancel", "service-unavailable", "")
	}
	return true
}

// bounceWith answers a stanza with the given error element.
func (srv *Server) bounceWith(st *stanza, e *node) {
	if st.typ == "error" || (st.kind == "iq" && st.typ == "result") {
		return
	}
	from := srv.domain
	if st.hasTo {
		from = st.to.String()
	}
	r := elem(nsClient, st.kind, "type", "error", "id", st.id, "from", from, "to", st.from.String())
	srv.deliverFull(st.from, r.add(e))
}

// blockingIQ answers the blocklist, block and unblock requests of an
// account's own session.
func (srv *Server) blockingIQ(s *session, st *stanza, q *node) {
	switch {
	case st.typ == "get" && q.name.Local == "blocklist":
		out := elem(nsBlocking, "blocklist")
		ctx, cancel := srv.storeCtx()
		defer cancel()
		list, err := srv.store.Blocklist(ctx, s.bare)
		if err != nil {
			srv.logf("read blocklist of %s: %v", s.bare, err)
			srv.bounce(st, "wait", "internal-server-error", "")
			return
		}
		for _, j := range list {
			out.add(elem(nsBlocking, "item", "jid", j))
		}
		s.send(iqResult(st).add(out).bytes())
	case st.typ == "set" && (q.name.Local == "block" || q.name.Local == "unblock"):
		srv.changeBlocks(s, st, q, q.name.Local == "block")
	default:
		srv.bounce(st, "cancel", "bad-request", "")
	}
}

func (srv *Server) changeBlocks(s *session, st *stanza, q *node, block bool) {
	var jids []string
	for _, it := range q.children(nsBlocking, "item") {
		j, err := jid.Parse(it.get("jid"))
		if err != nil {
			srv.bounce(st, "modify", "jid-malformed", "")
			return
		}
		jids = append(jids, j.String())
	}
	if block && len(jids) == 0 {
		srv.bounce(st, "modify", "bad-request", "block needs at least one item")
		return
	}
	ctx, cancel := srv.storeCtx()
	defer cancel()
	var err error
	if block {
		_, err = srv.store.Block(ctx, s.bare, jids)
	} else {
		_, err = srv.store.Unblock(ctx, s.bare, jids)
	}
	srv.ext.blockLists.forget(s.bare)
	if err != nil {
		srv.logf("change blocklist of %s: %v", s.bare, err)
		srv.bounce(st, "wait", "resource-constraint", "")
		return
	}
	s.send(iqResult(st).bytes())
	srv.pushBlocks(s.bare, q)
	if block {
		for _, j := range jids {
			srv.hidePresence(s.bare, j)
		}
	}
}

// pushBlocks sends the change to every resource of the account (XEP-0191
// §3.3 and §3.5).
func (srv *Server) pushBlocks(bare string, change *node) {
	for _, o := range srv.reg.sessions(bare) {
		push := elem(nsClient, "iq", "type", "set", "id", "push"+randomID(), "to", o.full).add(change)
		o.send(push.bytes())
	}
}

// hidePresence makes a newly blocked local contact and the account appear
// offline to each other (XEP-0191 §3.3).
func (srv *Server) hidePresence(bare, blocked string) {
	j, err := jid.Parse(blocked)
	if err != nil || srv.classify(j) != toUser {
		return
	}
	contact := j.Bare().String()
	for _, o := range srv.reg.available(contact) {
		if j.Resourcepart() != "" && o.full != j.String() {
			continue
		}
		for _, mine := range srv.reg.available(bare) {
			sendTo(mine, elem(nsClient, "presence", "type", "unavailable", "from", o.full))
			sendTo(o, elem(nsClient, "presence", "type", "unavailable", "from", mine.full))
		}
	}
}
