package server

// routeMessage delivers a message per RFC 6121 §8.5.
func (srv *Server) routeMessage(st *stanza) {
	if !st.hasTo {
		st.to = st.from.Bare() // RFC 6120 §10.3.1: no 'to' means the sender's own account
		st.n.set("to", st.to.String())
	}
	switch srv.classify(st.to) {
	case toServer:
		if st.typ != "error" && st.typ != "headline" {
			srv.bounce(st, "cancel", "service-unavailable", "the server does not take messages")
		}
	case toRemote:
		srv.bounce(st, "cancel", "remote-server-not-found", "this server does not federate")
	case toComponent:
		srv.toComponent(st.n, st.to)
		srv.sendCarbons(st, nil)
	case toUser:
		srv.archive(st)
		srv.sendCarbons(st, srv.messageToUser(st))
	}
}

// messageToUser delivers a message to an account of ours and returns the
// sessions that got it.
func (srv *Server) messageToUser(st *stanza) []*session {
	bare := st.to.Bare().String()
	if res := st.to.Resourcepart(); res != "" {
		if s := srv.reg.session(bare, res); s != nil {
			s.sendMsg(st.n.bytes())
			return []*session{s}
		}
		// RFC 6121 §8.5.3.2.1: no such resource.
		switch st.typ {
		case "", "normal", "chat":
		case "groupchat":
			srv.bounce(st, "cancel", "service-unavailable", "")
			return nil
		default: // headline, error: dropped
			return nil
		}
	}
	return srv.messageToBare(st, bare)
}

// messageToBare implements RFC 6121 §8.5.2: the highest non-negative
// priority available resources get chat and normal messages; with none,
// a message with a body is stored offline.
func (srv *Server) messageToBare(st *stanza, bare string) []*session {
	switch st.typ {
	case "error":
		return nil
	case "groupchat":
		srv.bounce(st, "cancel", "service-unavailable", "")
		return nil
	}
	unlock := srv.locks.lock(bare) // against initial presence taking the offline queue
	defer unlock()
	all, best := nonNegative(srv.reg.available(bare))
	targets := best
	if st.typ == "headline" {
		targets = all
	}
	if len(targets) > 0 {
		b := st.n.bytes()
		for _, s := range targets {
			s.sendMsg(b)
		}
		return targets
	}
	if !srv.userExists(bare) {
		srv.bounce(st, "cancel", "service-unavailable", "")
		return nil
	}
	if st.typ == "headline" || st.n.child(nsClient, "body") == nil {
		return nil // chat states and the like are not worth keeping
	}
	srv.storeOffline(st, bare)
	return nil
}

// nonNegative returns the sessions with a non-negative priority, and those
// of them with the highest priority.
func nonNegative(ss []*session) (all, best []*session) {
	top := -1
	for _, s := range ss {
		prio, ok := s.availablePriority()
		if !ok || prio < 0 {
			continue
		}
		all = append(all, s)
		switch {
		case prio > top:
			top, best = prio, []*session{s}
		case prio == top:
			best = append(best, s)
		}
	}
	return all, best
}
