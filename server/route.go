package server

import (
	"context"
	"errors"
	"time"

	"chat/server/store"

	"mellium.im/xmpp/jid"
)

// stanza is a stanza being routed, with its addresses parsed. from is
// always the validated JID of whoever sent it (a session's full JID, or a
// JID in a component's domain); what the client wrote there is ignored.
type stanza struct {
	n     *node
	kind  string // message, presence or iq
	typ   string
	id    string
	from  jid.JID
	to    jid.JID
	hasTo bool
}

// dest says where an address points.
type dest int

const (
	toServer    dest = iota // the domain itself (or a resource of it)
	toUser                  // an account of ours, bare or full
	toComponent             // a domain a component registered
	toRemote                // anything else: we have no federation
)

func (srv *Server) classify(to jid.JID) dest {
	switch d := to.Domainpart(); {
	case d == srv.domain && to.Localpart() == "":
		return toServer
	case d == srv.domain:
		return toUser
	case srv.comps.get(d) != nil:
		return toComponent
	}
	return toRemote
}

// route handles one stanza read from a session.
func (srv *Server) route(s *session, n *node) {
	if !isStanza(n) {
		s.end(errStream("unsupported-stanza-type", "<%s/> is not a stanza", n.name.Local), false)
		return
	}
	n.set("from", s.full)
	st := &stanza{n: n, kind: n.name.Local, typ: n.get("type"), id: n.get("id"), from: s.jid}
	if raw := n.get("to"); raw != "" {
		to, err := jid.Parse(raw)
		if err != nil {
			srv.bounce(st, "modify", "jid-malformed", "bad 'to' address")
			return
		}
		st.to, st.hasTo = to, true
		n.set("to", to.String())
	}
	srv.dispatch(s, st)
}

func (srv *Server) dispatch(s *session, st *stanza) {
	if srv.blockedStanza(st) {
		return
	}
	switch st.kind {
	case "message":
		srv.routeMessage(st)
	case "presence":
		srv.routePresence(s, st)
	case "iq":
		srv.routeIQ(s, st)
	}
}

// bounce answers a stanza with an error of the given type and condition,
// from the address it was sent to. Errors and IQ results are never
// answered, so that two parties cannot loop.
func (srv *Server) bounce(st *stanza, typ, cond, text string) {
	if st.typ == "error" || (st.kind == "iq" && st.typ == "result") {
		return
	}
	from := srv.domain
	if st.hasTo {
		from = st.to.String()
	}
	e := elem(nsClient, st.kind, "type", "error", "id", st.id, "from", from, "to", st.from.String())
	e.add(stanzaError(typ, cond, text))
	srv.deliverFull(st.from, e)
}

// stanzaError builds an RFC 6120 §8.3 error element.
func stanzaError(typ, cond, text string) *node {
	e := elem(nsClient, "error", "type", typ).add(elem(nsStanzas, cond))
	if text != "" {
		e.add(elem(nsStanzas, "text").add(text))
	}
	return e
}

// iqError builds the error reply to an IQ request.
func iqError(req *node, from, typ, cond, text string) *node {
	return elem(nsClient, "iq", "type", "error", "id", req.get("id"), "from", from, "to", req.get("from")).
		add(stanzaError(typ, cond, text))
}

// deliverFull sends a stanza to one full JID: a local session or a
// component. It is dropped if nobody is there.
func (srv *Server) deliverFull(to jid.JID, n *node) {
	switch srv.classify(to) {
	case toUser:
		if s := srv.reg.session(to.Bare().String(), to.Resourcepart()); s != nil {
			s.send(n.bytes())
		}
	case toComponent:
		srv.toComponent(n, to)
	}
}

// sendTo sends n to session s with the to attribute set to s's JID.
func sendTo(s *session, n *node) {
	s.send(n.with("to", s.full).bytes())
}

// userExists reports whether bare is an account here.
func (srv *Server) userExists(bare string) bool {
	if len(srv.reg.sessions(bare)) > 0 {
		return true
	}
	ctx, cancel := srv.storeCtx()
	defer cancel()
	_, _, _, err := srv.store.SaltedCredentials(ctx, bare, "SCRAM-SHA-256")
	if errors.Is(err, store.ErrNoUser) {
		return false
	}
	if err != nil {
		srv.logf("look up user %s: %v", bare, err)
	}
	return true
}

// storeCtx bounds one store call.
func (srv *Server) storeCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(srv.ctx, 10*time.Second)
}
