package server

import (
	"runtime"
	"strings"
)

// Name and version answered to XEP-0092 queries.
const (
	serverName    = "chat test server"
	serverVersion = "0.1"
)

// serverFeatures are announced by disco#info on the domain.
var serverFeatures = []string{nsDiscoInfo, nsDiscoItems, nsPing, nsVersion, nsRoster, nsRosterVer, nsOffline, nsCarbons}

// accountFeatures are announced by disco#info on an account (bare JID).
var accountFeatures = []string{nsDiscoInfo, nsDiscoItems, nsMAM}

// routeIQ handles an IQ (RFC 6120 §8.2.3 and §10): requests to the server
// or an account are answered here, requests to a full JID go to that
// session, and responses go to the full JID they are addressed to.
func (srv *Server) routeIQ(s *session, st *stanza) {
	switch st.typ {
	case "get", "set":
	case "result", "error":
		if st.hasTo && st.to.Resourcepart() != "" {
			srv.deliverFull(st.to, st.n)
		} else if st.hasTo && srv.classify(st.to) == toComponent {
			srv.toComponent(st.n, st.to)
		} else if strings.HasPrefix(st.id, "caps") {
			srv.capsAnswer(st) // caps.go; other answers to the server (roster pushes) need nothing
		}
		return
	default:
		srv.bounce(st, "modify", "bad-request", "unknown iq type")
		return
	}
	q, err := requestPayload(st)
	if err != "" {
		srv.bounce(st, "modify", "bad-request", err)
		return
	}
	if !st.hasTo {
		srv.accountIQ(s, st, q, true)
		return
	}
	switch srv.classify(st.to) {
	case toServer:
		srv.serverIQ(s, st, q)
	case toRemote:
		srv.bounce(st, "cancel", "remote-server-not-found", "this server does not federate")
	case toComponent:
		srv.toComponent(st.n, st.to)
	case toUser:
		bare := st.to.Bare().String()
		if res := st.to.Resourcepart(); res != "" {
			if o := srv.reg.session(bare, res); o != nil {
				o.send(st.n.bytes())
			} else {
				srv.bounce(st, "cancel", "service-unavailable", "")
			}
			return
		}
		srv.accountIQ(s, st, q, bare == s.bare)
	}
}

// requestPayload returns the one child element of an IQ get or set, or why
// the request is malformed (RFC 6120 §8.1.3 and §8.2.3: an id is required,
// and a request carries exactly one payload).
func requestPayload(st *stanza) (*node, string) {
	if st.id == "" {
		return nil, "an iq request needs an id"
	}
	var q *node
	for _, k := range st.n.kids {
		if c, ok := k.(*node); ok {
			if q != nil {
				return nil, "an iq request carries exactly one payload"
			}
			q = c
		}
	}
	if q == nil {
		return nil, "an iq request needs a payload"
	}
	return q, ""
}

// iqResult starts the result of a request: from whom it was sent to
// (nothing for the sender's own account), to the sender.
func iqResult(st *stanza) *node {
	from := ""
	if st.hasTo {
		from = st.to.String()
	}
	return elem(nsClient, "iq", "type", "result", "id", st.id, "from", from, "to", st.from.String())
}

// serverIQ answers requests to the domain itself.
func (srv *Server) serverIQ(s *session, st *stanza, q *node) {
	if srv.carbonsIQ(s, st, q) {
		return
	}
	get := st.typ == "get"
	var payload *node
	switch {
	case is(q, nsPing, "ping"):
	case is(q, nsSession, "session") && !get:
	case is(q, nsDiscoInfo, "query") && get:
		if q.get("node") != "" {
			srv.bounce(st, "cancel", "item-not-found", "")
			return
		}
		payload = discoInfo(elem(nsDiscoInfo, "identity", "category", "server", "type", "im", "name", serverName), features(serverFeatures, extServerFeatures))
	case is(q, nsDiscoItems, "query") && get:
		if q.get("node") != "" {
			srv.bounce(st, "cancel", "item-not-found", "")
			return
		}
		payload = elem(nsDiscoItems, "query")
		for _, d := range srv.comps.domains() {
			payload.add(elem(nsDiscoItems, "item", "jid", d))
		}
	case is(q, nsVersion, "query") && get:
		payload = elem(nsVersion, "query").add(
			elem(nsVersion, "name").add(serverName),
			elem(nsVersion, "version").add(serverVersion),
			elem(nsVersion, "os").add(runtime.GOOS))
	case srv.serverExt(s, st, q):
		return
	default:
		srv.bounce(st, "cancel", "service-unavailable", "")
		return
	}
	s.send(iqResult(st).add(payload).bytes())
}

// accountIQ answers requests to an account's bare JID on its behalf (RFC
// 6120 §10.5.4); own says the account is the sender's.
func (srv *Server) accountIQ(s *session, st *stanza, q *node, own bool) {
	if is(q, nsRoster, "query") {
		if !own {
			srv.bounce(st, "auth", "forbidden", "")
			return
		}
		srv.rosterIQ(s, st, q)
		return
	}
	if own && (srv.carbonsIQ(s, st, q) || srv.mamIQ(s, st, q)) {
		return
	}
	bare := s.bare
	if st.hasTo {
		bare = st.to.Bare().String()
	}
	if !own && !srv.userExists(bare) {
		srv.bounce(st, "cancel", "service-unavailable", "")
		return
	}
	get := st.typ == "get"
	var payload *node
	switch {
	case is(q, nsPing, "ping"):
	case is(q, nsSession, "session") && own && !get:
	case is(q, nsDiscoInfo, "query") && get && q.get("node") == "":
		payload = discoInfo(elem(nsDiscoInfo, "identity", "category", "account", "type", "registered"), features(accountFeatures, extAccountFeatures))
		payload.add(elem(nsDiscoInfo, "identity", "category", "pubsub", "type", "pep"))
	case is(q, nsDiscoItems, "query") && get && q.get("node") == "":
		payload = elem(nsDiscoItems, "query")
	case srv.accountExt(s, st, q, bare, own):
		return
	default:
		srv.bounce(st, "cancel", "service-unavailable", "")
		return
	}
	s.send(iqResult(st).add(payload).bytes())
}

func discoInfo(identity *node, features []string) *node {
	q := elem(nsDiscoInfo, "query").add(identity)
	for _, f := range features {
		q.add(elem(nsDiscoInfo, "feature", "var", f))
	}
	return q
}

func is(n *node, space, local string) bool {
	return n.name.Space == space && n.name.Local == local
}
