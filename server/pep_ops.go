package server

import (
	"strconv"
	"strings"

	"chat/server/store"

	"mellium.im/xmpp/jid"
)

func (srv *Server) pepPublish(s *session, st *stanza, bare, name string, op, opts *node) {
	item := op.child(nsPubSub, "item")
	if item == nil || item.first() == nil {
		srv.pubsubError(st, "modify", "bad-request", "item-required")
		return
	}
	id := item.get("id")
	if id == "" {
		id = randomID()
	}
	if len(id) > maxItemID {
		srv.bounce(st, "modify", "not-acceptable", "item id too long")
		return
	}
	old, _ := srv.nodeConfig(bare, name)
	c := optionsConfig(old, opts)
	stored := elem(nsPubSub, "item", "id", id)
	stored.kids = item.kids
	ctx, cancel := srv.storeCtx()
	defer cancel()
	cfg := c.access + "\n" + strconv.Itoa(c.maxItems)
	err := srv.store.PutData(ctx, bare, store.KindPEPNode, name, []byte(cfg))
	if err == nil {
		err = srv.trimNode(bare, name, id, c.maxItems)
	}
	if err == nil {
		err = srv.store.PutData(ctx, bare, store.KindPEP, itemKey(name, id), stored.appendTo(nil, nsClient))
	}
	if err != nil {
		srv.logf("publish to PEP node %s of %s: %v", name, bare, err)
		srv.bounce(st, "wait", "resource-constraint", "")
		return
	}
	res := elem(nsPubSub, "pubsub").add(elem(nsPubSub, "publish", "node", name).add(elem(nsPubSub, "item", "id", id)))
	s.send(iqResult(st).add(res).bytes())
	srv.notifyPEP(bare, c, elem(nsPubSubEvent, "items", "node", name).add(relabel(stored, nsPubSubEvent)))
}

// trimNode makes room for one more item (keeping id, which is replaced)
// so that the node holds at most max.
func (srv *Server) trimNode(bare, name, id string, max int) error {
	ctx, cancel := srv.storeCtx()
	defer cancel()
	keys, _, err := srv.store.DataWithPrefix(ctx, bare, store.KindPEP, name+"\n")
	if err != nil {
		return err
	}
	others := make([]string, 0, len(keys))
	for _, k := range keys {
		if k != itemKey(name, id) {
			others = append(others, k)
		}
	}
	for len(others) >= max {
		if err := srv.store.DeleteData(ctx, bare, store.KindPEP, others[0]); err != nil {
			return err
		}
		others = others[1:]
	}
	return nil
}

func (srv *Server) pepRetract(s *session, st *stanza, bare, name string, op *node) {
	items := op.children(nsPubSub, "item")
	if len(items) == 0 {
		srv.pubsubError(st, "modify", "bad-request", "item-required")
		return
	}
	ctx, cancel := srv.storeCtx()
	defer cancel()
	ev := elem(nsPubSubEvent, "items", "node", name)
	for _, it := range items {
		if err := srv.store.DeleteData(ctx, bare, store.KindPEP, itemKey(name, it.get("id"))); err != nil {
			srv.logf("retract from PEP node %s of %s: %v", name, bare, err)
			srv.bounce(st, "wait", "internal-server-error", "")
			return
		}
		ev.add(elem(nsPubSubEvent, "retract", "id", it.get("id")))
	}
	s.send(iqResult(st).bytes())
	if op.get("notify") == "true" || op.get("notify") == "1" {
		c, _ := srv.nodeConfig(bare, name)
		srv.notifyPEP(bare, c, ev)
	}
}

func (srv *Server) pepDelete(s *session, st *stanza, bare, name string) {
	ctx, cancel := srv.storeCtx()
	defer cancel()
	keys, _, err := srv.store.DataWithPrefix(ctx, bare, store.KindPEP, name+"\n")
	for _, k := range keys {
		if err == nil {
			err = srv.store.DeleteData(ctx, bare, store.KindPEP, k)
		}
	}
	if err == nil {
		err = srv.store.DeleteData(ctx, bare, store.KindPEPNode, name)
	}
	if err != nil {
		srv.logf("delete PEP node %s of %s: %v", name, bare, err)
		srv.bounce(st, "wait", "internal-server-error", "")
		return
	}
	s.send(iqResult(st).bytes())
}

func (srv *Server) pepItems(s *session, st *stanza, bare, name string, own bool, op *node) {
	c, exists := srv.nodeConfig(bare, name)
	if !exists {
		srv.bounce(st, "cancel", "item-not-found", "")
		return
	}
	if !srv.mayRead(s, bare, c, own) {
		srv.pubsubError(st, "auth", "forbidden", "")
		return
	}
	ctx, cancel := srv.storeCtx()
	defer cancel()
	_, vals, err := srv.store.DataWithPrefix(ctx, bare, store.KindPEP, name+"\n")
	if err != nil {
		srv.logf("read PEP node %s of %s: %v", name, bare, err)
		srv.bounce(st, "wait", "internal-server-error", "")
		return
	}
	want := map[string]bool{}
	for _, it := range op.children(nsPubSub, "item") {
		want[it.get("id")] = true
	}
	out := elem(nsPubSub, "items", "node", name)
	for _, v := range vals {
		it, err := parseStanza(v)
		if err != nil || (len(want) > 0 && !want[it.get("id")]) {
			continue
		}
		out.add(relabel(it, nsPubSub))
	}
	s.send(iqResult(st).add(elem(nsPubSub, "pubsub").add(out)).bytes())
}

// notifyPEP sends an event to the account's available resources and, for
// a node that is not private, to its subscribers'.
func (srv *Server) notifyPEP(bare string, c nodeConfig, items *node) {
	msg := elem(nsClient, "message", "type", "headline", "from", bare, "id", "pep"+randomID()).
		add(elem(nsPubSubEvent, "event").add(items))
	targets := srv.reg.available(bare)
	if !c.private() {
		for _, it := range srv.roster(bare) {
			if subscribedFrom(it.Subscription) && !strings.Contains(it.JID, "/") {
				targets = append(targets, srv.unblocked(bare, srv.reg.available(it.JID))...)
			}
		}
	}
	name := items.get("node")
	for _, o := range targets {
		if srv.wantsNotify(o.full, name) {
			sendTo(o, msg)
		}
	}
}

// sendLastPEP sends a session that has just come online the last item of
// each node, not private, of the contacts its account is subscribed to
// (XEP-0163 §4.3.4, without the +notify filter).
func (srv *Server) sendLastPEP(s *session) {
	for _, it := range srv.roster(s.bare) {
		j, err := jid.Parse(it.JID)
		if err != nil || !subscribedTo(it.Subscription) || srv.classify(j) != toUser || srv.blocks(it.JID, s.jid) {
			continue
		}
		srv.sendLastOf(s, it.JID)
	}
}

func (srv *Server) sendLastOf(s *session, contact string) {
	ctx, cancel := srv.storeCtx()
	defer cancel()
	nodes, cfgs, err := srv.store.DataWithPrefix(ctx, contact, store.KindPEPNode, "")
	if err != nil {
		srv.logf("read PEP nodes of %s: %v", contact, err)
		return
	}
	for i, name := range nodes {
		access, _, _ := strings.Cut(string(cfgs[i]), "\n")
		if (nodeConfig{access: access}).private() {
			continue
		}
		_, vals, err := srv.store.DataWithPrefix(ctx, contact, store.KindPEP, name+"\n")
		if err != nil || len(vals) == 0 {
			continue
		}
		item, err := parseStanza(vals[len(vals)-1])
		if err != nil || !srv.wantsNotify(s.full, name) {
			continue
		}
		ev := elem(nsPubSubEvent, "items", "node", name).add(relabel(item, nsPubSubEvent))
		sendTo(s, elem(nsClient, "message", "type", "headline", "from", contact, "id", "pep"+randomID()).
			add(elem(nsPubSubEvent, "event").add(ev)))
	}
}
