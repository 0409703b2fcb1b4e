package server

import "time"

// The services beyond RFC 6120/6121 that the server answers itself, each
// in a file of its own: blocking.go (XEP-0191), private.go (XEP-0049 and
// vcard-temp), last.go (XEP-0012 and XEP-0202), pep.go and pep_ops.go
// (XEP-0163) with caps.go (XEP-0115 for +notify), register.go (XEP-0077);
// services.go starts the proxy and upload components. This
// file is the seam: the state they keep and where iq.go and route.go hand
// stanzas to them.

// extState is what the services keep in the Server.
type extState struct {
	started    time.Time // for the server's uptime
	blockLists blockCache
	pep        pepState
	caps       capsState
}

func (e *extState) init() {
	e.started = time.Now()
}

// extServerFeatures are announced on the domain, next to serverFeatures.
var extServerFeatures = []string{nsBlocking, nsPrivate, nsVCard, nsLast, nsTime, nsRegister}

// extAccountFeatures are announced on an account, next to accountFeatures.
var extAccountFeatures = []string{nsPubSub + "#publish", nsPubSub + "#retrieve-items",
	nsPubSub + "#retract-items", nsPubSub + "#delete-nodes", nsPubSub + "#publish-options",
	nsPubSub + "#auto-create", nsPubSub + "#last-published", nsVCard}

// serverExt answers a request to the domain that a service handles; false
// if none does.
func (srv *Server) serverExt(s *session, st *stanza, q *node) bool {
	get := st.typ == "get"
	switch {
	case is(q, nsLast, "query") && get:
		srv.uptimeIQ(s, st)
	case is(q, nsTime, "time") && get:
		srv.timeIQ(s, st)
	case is(q, nsRegister, "query"):
		srv.registerIQ(s, st, q)
	case q.name.Space == nsBlocking || q.name.Space == nsPrivate || q.name.Space == nsVCard:
		// Some clients address their own data to the domain: treat it as the account's.
		srv.accountExt(s, st, q, s.bare, true)
	default:
		return false
	}
	return true
}

// accountExt answers a request to an account's bare JID (bare) that a
// service handles; own says the sender is the account. False if none
// does.
func (srv *Server) accountExt(s *session, st *stanza, q *node, bare string, own bool) bool {
	switch q.name.Space {
	case nsBlocking, nsPrivate:
		if !own {
			srv.bounce(st, "auth", "forbidden", "")
			return true
		}
		if q.name.Space == nsBlocking {
			srv.blockingIQ(s, st, q)
		} else if is(q, nsPrivate, "query") {
			srv.privateIQ(s, st, q)
		} else {
			return false
		}
	case nsVCard:
		if q.name.Local != "vCard" {
			return false
		}
		srv.vcardIQ(s, st, q, bare, own)
	case nsLast:
		srv.lastIQ(s, st, bare, own)
	case nsPubSub, nsPubSubOwner:
		srv.pepIQ(s, st, q, bare, own)
	default:
		return false
	}
	return true
}

// features joins feature lists for disco#info.
func features(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
