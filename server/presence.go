package server

import (
	"strconv"
	"strings"

	"mellium.im/xmpp/jid"
)

// routePresence handles presence per RFC 6121 §4 (availability) and §3
// (subscriptions).
func (srv *Server) routePresence(s *session, st *stanza) {
	switch st.typ {
	case "", "unavailable":
		switch {
		case st.hasTo:
			srv.directedPresence(s, st)
		case st.typ == "":
			srv.presenceAvailable(s, st.n)
		default:
			srv.presenceUnavailable(s, st.n)
		}
	case "subscribe", "subscribed", "unsubscribe", "unsubscribed":
		srv.outboundSubscription(s, st)
	case "probe":
		if st.hasTo && srv.classify(st.to) == toUser {
			srv.answerProbe(s, st.to.Bare().String())
		}
	case "error":
		if st.hasTo {
			srv.deliverFull(st.to, st.n)
		}
	default:
		srv.bounce(st, "modify", "bad-request", "unknown presence type")
	}
}

// priority reads a presence's priority: -128..127, 0 if absent or bad.
func priority(p *node) int {
	c := p.child(nsClient, "priority")
	if c == nil {
		return 0
	}
	n, err := strconv.Atoi(strings.TrimSpace(c.text()))
	if err != nil {
		return 0
	}
	return max(-128, min(127, n))
}

// presenceAvailable broadcasts an available presence to the account's
// subscribers and own resources. The first one of a session (initial
// presence) also brings the session the presence of its contacts and
// other resources, the pending subscription requests and the offline
// messages, in that order.
func (srv *Server) presenceAvailable(s *session, p *node) {
	unlock := srv.locks.lock(s.bare) // offline messages must not slip past
	defer unlock()
	p.set("to", "")
	defer srv.noteCaps(s, p) // caps.go: the question goes after the offline messages
	initial := s.setAvailable(p, priority(p))
	srv.broadcast(s.bare, p, nil)
	if !initial {
		return
	}
	for _, o := range srv.reg.available(s.bare) {
		if o != s {
			if op := o.lastPresence(); op != nil {
				sendTo(s, op)
			}
		}
	}
	srv.probeContacts(s)
	srv.deliverPending(s)
	srv.deliverOffline(s)
	srv.sendLastPEP(s)
}

// presenceUnavailable handles an unavailable presence from the client.
func (srv *Server) presenceUnavailable(s *session, p *node) {
	p.set("to", "")
	srv.unavailable(s, p)
}

// presenceGone tells everyone who saw s available that it is gone.
func (srv *Server) presenceGone(s *session) {
	srv.unavailable(s, elem(nsClient, "presence", "type", "unavailable", "from", s.full))
}

func (srv *Server) unavailable(s *session, p *node) {
	was, directed := s.goUnavailable()
	if was {
		srv.broadcast(s.bare, p, s)
		srv.noteLast(s.bare, p)
	}
	for _, d := range directed {
		if j, err := jid.Parse(d); err == nil {
			srv.presenceTo(j, p.with("to", d))
		}
	}
}

// broadcast sends p to the available resources of the account's
// subscribers (from or both) and of the account itself, except skip.
func (srv *Server) broadcast(bare string, p *node, skip *session) {
	for _, it := range srv.roster(bare) {
		if it.Subscription != "from" && it.Subscription != "both" {
			continue
		}
		for _, o := range srv.unblocked(bare, srv.reg.available(it.JID)) {
			sendTo(o, p)
		}
	}
	for _, o := range srv.reg.available(bare) {
		if o != skip {
			sendTo(o, p)
		}
	}
}

// probeContacts sends s the presence of every available resource of the
// contacts its account is subscribed to (RFC 6121 §4.3). The contact's
// own roster is what allows it.
func (srv *Server) probeContacts(s *session) {
	for _, it := range srv.roster(s.bare) {
		if it.Subscription == "to" || it.Subscription == "both" {
			srv.answerProbe(s, it.JID)
		}
	}
}

// answerProbe sends s the presence of contact's available resources if
// contact lets s's account see it, or an unavailable presence from the
// contact's bare JID if none is available (RFC 6121 §4.3.2).
func (srv *Server) answerProbe(s *session, contact string) {
	it, ok := srv.item(contact, s.bare)
	if !ok || (it.Subscription != "from" && it.Subscription != "both") || srv.blocks(contact, s.jid) {
		return
	}
	sent := false
	for _, o := range srv.reg.available(contact) {
		if p := o.lastPresence(); p != nil {
			sendTo(s, p)
			sent = true
		}
	}
	if !sent {
		sendTo(s, elem(nsClient, "presence", "type", "unavailable", "from", contact))
	}
}

// directedPresence routes a presence with a 'to' (RFC 6121 §4.6) and
// remembers it, so that an unavailable presence follows on disconnect.
func (srv *Server) directedPresence(s *session, st *stanza) {
	switch srv.classify(st.to) {
	case toServer:
		return
	case toRemote:
		srv.bounce(st, "cancel", "remote-server-not-found", "this server does not federate")
		return
	case toComponent:
		srv.toComponent(st.n, st.to)
	case toUser:
		srv.presenceTo(st.to, st.n)
	}
	if it, ok := srv.item(s.bare, st.to.Bare().String()); ok && (it.Subscription == "from" || it.Subscription == "both") {
		return // a subscriber gets the broadcasts anyway
	}
	s.noteDirected(st.to.String(), st.typ == "")
}

// presenceTo delivers a presence to a full JID, or to every available
// resource of a bare one.
func (srv *Server) presenceTo(to jid.JID, p *node) {
	switch srv.classify(to) {
	case toComponent:
		srv.toComponent(p, to)
		return
	case toUser:
	default:
		return
	}
	if to.Resourcepart() != "" {
		if o := srv.reg.session(to.Bare().String(), to.Resourcepart()); o != nil {
			o.send(p.bytes())
		}
		return
	}
	b := p.bytes()
	for _, o := range srv.reg.available(to.String()) {
		o.send(b)
	}
}

// presenceBetween sends the presence of from's available resources (or
// their unavailable presence) to to's available resources, after a
// subscription change.
func (srv *Server) presenceBetween(from, to string, available bool) {
	targets := srv.reg.available(to)
	if len(targets) == 0 {
		return
	}
	for _, f := range srv.reg.available(from) {
		p := f.lastPresence()
		if !available || p == nil {
			p = elem(nsClient, "presence", "type", "unavailable", "from", f.full)
		}
		for _, t := range targets {
			sendTo(t, p)
		}
	}
}
