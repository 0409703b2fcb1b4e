package server

import (
	"bytes"
	"io"
	"strings"

	"chat/server/store"

	"mellium.im/xmpp/jid"
)

// Limits on what a client may put in its roster.
const (
	maxNameLen   = 1024
	maxGroups    = 64
	maxGroupLen  = 1024
	maxRosterLen = 5000
)

// roster returns an account's items; a store failure is logged and gives
// none.
func (srv *Server) roster(user string) []store.Item {
	ctx, cancel := srv.storeCtx()
	defer cancel()
	_, items, err := srv.store.Roster(ctx, user)
	if err != nil {
		srv.logf("read roster of %s: %v", user, err)
	}
	return items
}

func (srv *Server) item(user, contact string) (store.Item, bool) {
	ctx, cancel := srv.storeCtx()
	defer cancel()
	it, ok, err := srv.store.RosterItem(ctx, user, contact)
	if err != nil {
		srv.logf("read roster item %s of %s: %v", contact, user, err)
		return store.Item{}, false
	}
	return it, ok
}

// putItem stores an item and pushes it to the account's interested
// resources.
func (srv *Server) putItem(user string, it store.Item) bool {
	ctx, cancel := srv.storeCtx()
	defer cancel()
	ver, err := srv.store.PutRosterItem(ctx, user, it)
	if err != nil {
		srv.logf("store roster item %s of %s: %v", it.JID, user, err)
		return false
	}
	srv.push(user, ver, itemNode(it, false))
	return true
}

func (srv *Server) removeItem(user, contact string) bool {
	ctx, cancel := srv.storeCtx()
	defer cancel()
	ver, err := srv.store.RemoveRosterItem(ctx, user, contact)
	if err != nil {
		srv.logf("remove roster item %s of %s: %v", contact, user, err)
		return false
	}
	srv.push(user, ver, itemNode(store.Item{JID: contact}, true))
	return true
}

// push sends a roster push (RFC 6121 §2.1.6) to every resource of the
// account that asked for the roster.
func (srv *Server) push(user, ver string, item *node) {
	for _, s := range srv.reg.sessions(user) {
		if !s.isInterested() {
			continue
		}
		q := elem(nsRoster, "query", "ver", ver).add(item)
		iq := elem(nsClient, "iq", "type", "set", "id", "push-"+randomID(), "to", s.full).add(q)
		s.send(iq.bytes())
	}
}

func itemNode(it store.Item, remove bool) *node {
	n := elem(nsRoster, "item", "jid", it.JID, "name", it.Name)
	if remove {
		n.set("subscription", "remove")
		return n
	}
	n.set("subscription", it.Subscription)
	if it.Ask {
		n.set("ask", "subscribe")
	}
	if it.Approved {
		n.set("approved", "true")
	}
	for _, g := range it.Groups {
		n.add(elem(nsRoster, "group").add(g))
	}
	return n
}

// pendingIn returns the contacts whose subscription requests to user wait
// for an answer.
func (srv *Server) pendingIn(user string) map[string]bool {
	ctx, cancel := srv.storeCtx()
	defer cancel()
	raw, err := srv.store.PendingIn(ctx, user)
	if err != nil {
		srv.logf("read pending requests of %s: %v", user, err)
	}
	out := map[string]bool{}
	for _, b := range raw {
		if n, err := parseStanza(b); err == nil {
			if j, err := jid.Parse(n.get("from")); err == nil {
				out[j.Bare().String()] = true
			}
		}
	}
	return out
}

func (srv *Server) addPendingIn(user, from string, n *node) {
	ctx, cancel := srv.storeCtx()
	defer cancel()
	if err := srv.store.AddPendingIn(ctx, user, from, n.bytes()); err != nil {
		srv.logf("store request from %s to %s: %v", from, user, err)
	}
}

func (srv *Server) removePendingIn(user, from string) {
	ctx, cancel := srv.storeCtx()
	defer cancel()
	if err := srv.store.RemovePendingIn(ctx, user, from); err != nil {
		srv.logf("remove request from %s to %s: %v", from, user, err)
	}
}

// deliverPending sends s the subscription requests still waiting.
func (srv *Server) deliverPending(s *session) {
	ctx, cancel := srv.storeCtx()
	defer cancel()
	raw, err := srv.store.PendingIn(ctx, s.bare)
	if err != nil {
		srv.logf("read pending requests of %s: %v", s.bare, err)
	}
	for _, b := range raw {
		s.send(b)
	}
}

// rosterIQ answers a roster get or set from the account's own client.
func (srv *Server) rosterIQ(s *session, st *stanza, q *node) {
	switch st.typ {
	case "get":
		srv.rosterGet(s, st, q)
	case "set":
		srv.rosterSet(s, st, q)
	}
}

// rosterGet returns the roster, or an empty result if the client already
// has the current version (RFC 6121 §2.6.3).
func (srv *Server) rosterGet(s *session, st *stanza, q *node) {
	s.setInterested()
	ctx, cancel := srv.storeCtx()
	defer cancel()
	ver, items, err := srv.store.Roster(ctx, s.bare)
	if err != nil {
		srv.logf("read roster of %s: %v", s.bare, err)
		srv.bounce(st, "wait", "internal-server-error", "")
		return
	}
	res := iqResult(st)
	if !hasVer(q) || q.get("ver") != ver || ver == "" {
		out := elem(nsRoster, "query", "ver", ver)
		for _, it := range items {
			out.add(itemNode(it, false))
		}
		res.add(out)
	}
	s.send(res.bytes())
}

// hasVer reports whether the query carries a ver attribute at all.
func hasVer(q *node) bool {
	for _, a := range q.attr {
		if a.Name.Space == "" && a.Name.Local == "ver" {
			return true
		}
	}
	return false
}

// rosterSet adds, updates or removes one item (RFC 6121 §2.3–2.5).
func (srv *Server) rosterSet(s *session, st *stanza, q *node) {
	items := q.children(nsRoster, "item")
	if len(items) != 1 {
		srv.bounce(st, "modify", "bad-request", "a roster set holds exactly one item")
		return
	}
	in := items[0]
	contact, err := jid.Parse(in.get("jid"))
	if err != nil {
		srv.bounce(st, "modify", "jid-malformed", "")
		return
	}
	c := contact.String()
	if in.get("subscription") == "remove" {
		srv.rosterRemove(s, st, c)
		return
	}
	it, cond, text := checkItem(in, c)
	if cond != "" {
		srv.bounce(st, "modify", cond, text)
		return
	}
	unlock := srv.locks.lock(s.bare)
	old, ok := srv.item(s.bare, c)
	if !ok && len(srv.roster(s.bare)) >= maxRosterLen {
		unlock()
		srv.bounce(st, "wait", "resource-constraint", "the roster is full")
		return
	}
	it.Subscription, it.Ask, it.Approved = old.Subscription, old.Ask, old.Approved
	if !ok {
		it.Subscription = "none"
	}
	stored := srv.putItem(s.bare, it)
	unlock()
	if !stored {
		srv.bounce(st, "wait", "internal-server-error", "")
		return
	}
	s.send(iqResult(st).bytes())
}

// checkItem reads the name and groups of a roster set's item; the
// subscription and ask attributes a client sends are ignored.
func checkItem(in *node, contact string) (store.Item, string, string) {
	it := store.Item{JID: contact, Name: in.get("name")}
	if len(it.Name) > maxNameLen {
		return it, "not-acceptable", "name too long"
	}
	seen := map[string]bool{}
	for _, g := range in.children(nsRoster, "group") {
		name := g.text()
		switch {
		case name == "" || len(name) > maxGroupLen:
			return it, "not-acceptable", "empty or too long group name"
		case seen[name]:
			return it, "bad-request", "duplicate group"
		}
		seen[name] = true
		it.Groups = append(it.Groups, name)
	}
	if len(it.Groups) > maxGroups {
		return it, "not-acceptable", "too many groups"
	}
	return it, "", ""
}

// rosterRemove cancels the subscriptions both ways, then removes the item
// (RFC 6121 §2.5.3).
func (srv *Server) rosterRemove(s *session, st *stanza, contact string) {
	it, ok := srv.item(s.bare, contact)
	if !ok {
		srv.bounce(st, "cancel", "item-not-found", "")
		return
	}
	cj, _ := jid.Parse(contact)
	if subscribedTo(it.Subscription) || it.Ask {
		srv.subscription(s.bare, cj, "unsubscribe", nil)
	}
	if subscribedFrom(it.Subscription) || srv.pendingIn(s.bare)[contact] {
		srv.subscription(s.bare, cj, "unsubscribed", nil)
	}
	unlock := srv.locks.lock(s.bare)
	removed := srv.removeItem(s.bare, contact)
	unlock()
	if !removed {
		srv.bounce(st, "wait", "internal-server-error", "")
		return
	}
	s.send(iqResult(st).bytes())
}

// parseStanza reads one serialised stanza (as stored, or from a
// component) back into a tree, in the jabber:client namespace.
func parseStanza(b []byte) (*node, error) {
	in := io.MultiReader(strings.NewReader("<s xmlns='"+nsClient+"'>"), bytes.NewReader(b), strings.NewReader("</s>"))
	r := stanzaReader{in: newBudgetReader(in, len(b)+64), maxDepth: 256}
	r.restart()
	if _, err := r.token(); err != nil {
		return nil, err
	}
	return r.next()
}
