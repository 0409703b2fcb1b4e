package server

import (
	"mellium.im/xmpp/jid"
)

// outboundSubscription handles a subscription stanza from a client: the
// user's side of RFC 6121 §3 first, then the contact's side if the
// contact is one of our accounts.
func (srv *Server) outboundSubscription(s *session, st *stanza) {
	if !st.hasTo || st.to.Localpart() == "" {
		srv.bounce(st, "modify", "bad-request", "a subscription needs a contact")
		return
	}
	srv.subscription(s.bare, st.to.Bare(), st.typ, st.n)
}

// subscription carries one subscription change from user to contact: a
// client's stanza, or one made by the server (roster removal).
func (srv *Server) subscription(user string, contact jid.JID, typ string, n *node) {
	c := contact.String()
	if c == user {
		return
	}
	// RFC 6121 §3.1.2: stamped with the bare JIDs, whatever the client wrote.
	if n == nil {
		n = elem(nsClient, "presence", "type", typ)
	}
	n.set("from", user)
	n.set("to", c)
	unlock := srv.locks.lock(user)
	forward, approved := srv.outbound(user, c, typ)
	unlock()
	if !forward {
		return
	}
	switch srv.classify(contact) {
	case toUser:
	case toComponent:
		srv.toComponent(n, contact)
		return
	case toRemote:
		st := &stanza{n: n, kind: "presence", typ: typ, from: jid.MustParse(user), to: contact, hasTo: true}
		srv.bounce(st, "cancel", "remote-server-not-found", "this server does not federate")
		return
	default:
		return
	}
	if !srv.userExists(c) {
		if typ == "subscribe" { // no such account: as if it refused
			srv.inboundFrom(c, user, "unsubscribed", nil)
		}
		return
	}
	reply := srv.inboundFrom(user, c, typ, n)
	switch {
	case typ == "subscribed" && approved:
		srv.presenceBetween(user, c, true)
	case typ == "unsubscribed":
		srv.presenceBetween(user, c, false)
	case typ == "unsubscribe":
		srv.presenceBetween(c, user, false)
	}
	if reply != "" { // the contact had approved already: it answers at once
		srv.inboundFrom(c, user, reply, nil)
		srv.presenceBetween(c, user, true)
	}
}

// inboundFrom applies a subscription stanza from sender on receiver's side,
// under receiver's lock. It returns the type of an automatic answer from
// receiver to sender, if any.
func (srv *Server) inboundFrom(sender, receiver, typ string, n *node) string {
	if n == nil {
		n = elem(nsClient, "presence", "type", typ, "from", sender, "to", receiver)
	}
	unlock := srv.locks.lock(receiver)
	defer unlock()
	return srv.inbound(receiver, sender, typ, n)
}

func subscribedFrom(sub string) bool { return sub == "from" || sub == "both" }
func subscribedTo(sub string) bool   { return sub == "to" || sub == "both" }

// withFrom and withTo return a subscription state with the from (or to)
// half set or cleared.
func withFrom(sub string, on bool) string { return subState(subscribedTo(sub), on) }
func withTo(sub string, on bool) string   { return subState(on, subscribedFrom(sub)) }

func subState(to, from bool) string {
	switch {
	case to && from:
		return "both"
	case to:
		return "to"
	case from:
		return "from"
	}
	return "none"
}

// outbound applies the user's own stanza to the user's roster (RFC 6121
// §3 and Appendix A, "outbound"). forward says whether the stanza goes on
// to the contact; approved that a pending request was just approved.
func (srv *Server) outbound(user, contact, typ string) (forward, approved bool) {
	it, ok := srv.item(user, contact)
	if !ok {
		it.JID, it.Subscription = contact, "none"
	}
	switch typ {
	case "subscribe":
		if !subscribedTo(it.Subscription) && !it.Ask {
			it.Ask = true
			srv.putItem(user, it)
		}
		return true, false
	case "subscribed":
		if srv.pendingIn(user)[contact] {
			it.Subscription, it.Approved = withFrom(it.Subscription, true), false
			srv.removePendingIn(user, contact)
			srv.putItem(user, it)
			return true, true
		}
		if !subscribedFrom(it.Subscription) && !it.Approved { // pre-approval (§3.4)
			it.Approved = true
			srv.putItem(user, it)
		}
		return false, false
	case "unsubscribe":
		if ok && (subscribedTo(it.Subscription) || it.Ask) {
			it.Subscription, it.Ask = withTo(it.Subscription, false), false
			srv.putItem(user, it)
		}
		return true, false
	case "unsubscribed":
		if srv.pendingIn(user)[contact] {
			srv.removePendingIn(user, contact)
		}
		if ok && (subscribedFrom(it.Subscription) || it.Approved) {
			it.Subscription, it.Approved = withFrom(it.Subscription, false), false
			srv.putItem(user, it)
		}
		return true, false
	}
	return false, false
}

// inbound applies a stanza from sender to receiver's roster (RFC 6121
// Appendix A, "inbound") and delivers it to receiver's available
// resources when the client should see it.
func (srv *Server) inbound(receiver, sender, typ string, n *node) (reply string) {
	it, ok := srv.item(receiver, sender)
	switch typ {
	case "subscribe":
		switch {
		case ok && subscribedFrom(it.Subscription):
			return "subscribed" // already approved: answer on the receiver's behalf
		case ok && it.Approved:
			it.Subscription, it.Approved = withFrom(it.Subscription, true), false
			srv.putItem(receiver, it)
			return "subscribed"
		}
		srv.addPendingIn(receiver, sender, n)
	case "subscribed":
		if !ok || !it.Ask || subscribedTo(it.Subscription) {
			return ""
		}
		it.Subscription, it.Ask = withTo(it.Subscription, true), false
		srv.putItem(receiver, it)
	case "unsubscribe":
		pending := srv.pendingIn(receiver)[sender]
		if pending {
			srv.removePendingIn(receiver, sender)
		}
		if ok && subscribedFrom(it.Subscription) {
			it.Subscription = withFrom(it.Subscription, false)
			srv.putItem(receiver, it)
		} else if !pending {
			return ""
		}
	case "unsubscribed":
		if !ok || (!subscribedTo(it.Subscription) && !it.Ask) {
			return ""
		}
		it.Subscription, it.Ask = withTo(it.Subscription, false), false
		srv.putItem(receiver, it)
	}
	b := n.bytes()
	for _, o := range srv.reg.available(receiver) {
		o.send(b)
	}
	return ""
}
