package server

import (
	"strconv"
	"strings"

	"chat/server/store"
)

// XEP-0163 personal eventing: each account is a pubsub service of its own
// nodes, enough for bookmarks (XEP-0402), nicknames (XEP-0172) and avatar
// metadata (XEP-0084). Publish, retract, retrieve and delete; node
// configuration is taken from publish-options (access model, max items).
// A publish is notified to the account's own available resources and,
// unless the node is private, to its subscribers' (presence access),
// filtered by the +notify features of their entity capabilities when
// those are known (caps.go); a contact coming online gets the last item
// of each node it may see.

const (
	nsPubSub       = "http://jabber.org/protocol/pubsub"
	nsPubSubOwner  = "http://jabber.org/protocol/pubsub#owner"
	nsPubSubEvent  = "http://jabber.org/protocol/pubsub#event"
	nsPubSubErrors = "http://jabber.org/protocol/pubsub#errors"
	nsDataForm     = "jabber:x:data"

	maxPEPItems = 256 // items kept in one node
	maxNodeName = 256
	maxItemID   = 256
)

type pepState struct{}

// nodeConfig is what publish-options may set.
type nodeConfig struct {
	access   string // open, presence, whitelist (owner only), …
	maxItems int
}

func (c nodeConfig) private() bool { return c.access != "open" && c.access != "presence" }

func defaultConfig() nodeConfig { return nodeConfig{access: "presence", maxItems: 1} }

func (srv *Server) pepIQ(s *session, st *stanza, q *node, bare string, own bool) {
	op := q.first()
	if !is(q, q.name.Space, "pubsub") || op == nil {
		srv.bounce(st, "modify", "bad-request", "")
		return
	}
	name := op.get("node")
	if name == "" || len(name) > maxNodeName || strings.ContainsAny(name, "\n") {
		srv.pubsubError(st, "modify", "bad-request", "nodeid-required")
		return
	}
	set := st.typ == "set"
	switch {
	case q.name.Space == nsPubSubOwner && op.name.Local == "delete" && set && own:
		srv.pepDelete(s, st, bare, name)
	case q.name.Space == nsPubSubOwner:
		srv.bounce(st, "cancel", "feature-not-implemented", "")
	case op.name.Local == "items" && !set:
		srv.pepItems(s, st, bare, name, own, op)
	case (op.name.Local == "publish" || op.name.Local == "retract") && set && !own:
		srv.bounce(st, "auth", "forbidden", "")
	case op.name.Local == "publish" && set:
		srv.pepPublish(s, st, bare, name, op, q.child(nsPubSub, "publish-options"))
	case op.name.Local == "retract" && set:
		srv.pepRetract(s, st, bare, name, op)
	case (op.name.Local == "subscribe" || op.name.Local == "unsubscribe") && set:
		// Subscriptions to PEP nodes follow presence subscriptions.
		sub := elem(nsPubSub, "subscription", "node", name, "jid", s.bare, "subscription", "subscribed")
		s.send(iqResult(st).add(elem(nsPubSub, "pubsub").add(sub)).bytes())
	default:
		srv.bounce(st, "cancel", "feature-not-implemented", "")
	}
}

func (srv *Server) pubsubError(st *stanza, typ, cond, app string) {
	e := stanzaError(typ, cond, "")
	if app != "" {
		e.add(elem(nsPubSubErrors, app))
	}
	srv.bounceWith(st, e)
}

func (srv *Server) nodeConfig(bare, name string) (nodeConfig, bool) {
	ctx, cancel := srv.storeCtx()
	defer cancel()
	b, ok, err := srv.store.Data(ctx, bare, store.KindPEPNode, name)
	if err != nil {
		srv.logf("read PEP node %s of %s: %v", name, bare, err)
	}
	if !ok {
		return defaultConfig(), false
	}
	access, max, _ := strings.Cut(string(b), "\n")
	n, _ := strconv.Atoi(max)
	return nodeConfig{access: access, maxItems: max1(n)}, true
}

func max1(n int) int { return min(max(n, 1), maxPEPItems) }

// optionsConfig reads publish-options (a XEP-0004 form) over the defaults.
func optionsConfig(c nodeConfig, opts *node) nodeConfig {
	if opts == nil {
		return c
	}
	form := opts.child(nsDataForm, "x")
	if form == nil {
		return c
	}
	for _, f := range form.children(nsDataForm, "field") {
		v := ""
		if val := f.child(nsDataForm, "value"); val != nil {
			v = strings.TrimSpace(val.text())
		}
		switch f.get("var") {
		case "pubsub#access_model":
			if v != "" && len(v) < 64 {
				c.access = v
			}
		case "pubsub#max_items":
			if v == "max" {
				c.maxItems = maxPEPItems
			} else if n, err := strconv.Atoi(v); err == nil {
				c.maxItems = max1(n)
			}
		}
	}
	return c
}

// mayRead says whether s's account may read bare's node.
func (srv *Server) mayRead(s *session, bare string, c nodeConfig, own bool) bool {
	if own || c.access == "open" {
		return true
	}
	if c.access != "presence" {
		return false
	}
	it, ok := srv.item(bare, s.bare)
	return ok && subscribedFrom(it.Subscription)
}

func itemKey(name, id string) string { return name + "\n" + id }

// relabel makes a stored item an item of namespace space.
func relabel(item *node, space string) *node {
	out := elem(space, "item", "id", item.get("id"))
	out.kids = item.kids
	return out
}
