package server

// Message carbons (XEP-0280): a session that enabled them gets a copy of
// the chat messages its account sends from other resources (<sent/>) and
// of those its account gets on other resources (<received/>), so that
// every device of a user sees the whole conversation.

const (
	nsCarbons = "urn:xmpp:carbons:2"
	nsForward = "urn:xmpp:forward:0"
	nsHints   = "urn:xmpp:hints"
)

// carbonsIQ handles <enable/> and <disable/>; it reports false for any
// other payload.
func (srv *Server) carbonsIQ(s *session, st *stanza, q *node) bool {
	if q.name.Space != nsCarbons || st.typ != "set" || (q.name.Local != "enable" && q.name.Local != "disable") {
		return false
	}
	s.mu.Lock()
	s.carbons = q.name.Local == "enable"
	s.mu.Unlock()
	s.send(iqResult(st).bytes())
	return true
}

func (s *session) carbonsEnabled() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.carbons
}

// copyable says whether a message gets carbons: chat messages, and normal
// ones with a body, that are not marked private and are not carbons.
func copyable(st *stanza) bool {
	switch st.typ {
	case "chat":
	case "", "normal":
		if st.n.child(nsClient, "body") == nil {
			return false
		}
	default:
		return false
	}
	return st.n.child(nsCarbons, "private") == nil && st.n.child(nsHints, "no-copy") == nil &&
		st.n.child(nsCarbons, "received") == nil && st.n.child(nsCarbons, "sent") == nil
}

// sendCarbons copies a routed message to the sender's other resources
// and to the recipient's resources that did not get it (got).
func (srv *Server) sendCarbons(st *stanza, got []*session) {
	if !copyable(st) {
		return
	}
	if st.from.Domainpart() == srv.domain && st.from.Localpart() != "" {
		srv.carbon(st, "sent", st.from.Bare().String(), func(o *session) bool { return o.full == st.from.String() })
	}
	if srv.classify(st.to) == toUser {
		srv.carbon(st, "received", st.to.Bare().String(), func(o *session) bool {
			for _, g := range got {
				if g == o {
					return true
				}
			}
			return false
		})
	}
}

// carbon sends a <sent/> or <received/> copy to the carbons-enabled
// available resources of bare, except those skip names.
func (srv *Server) carbon(st *stanza, kind, bare string, skip func(*session) bool) {
	for _, o := range srv.reg.available(bare) {
		if skip(o) || !o.carbonsEnabled() {
			continue
		}
		c := elem(nsClient, "message", "from", bare, "to", o.full, "type", st.typ).add(
			elem(nsCarbons, kind).add(elem(nsForward, "forwarded").add(st.n)))
		o.sendMsg(c.bytes())
	}
}
