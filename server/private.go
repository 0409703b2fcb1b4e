package server

import "chat/server/store"

// XEP-0049 private XML storage (what Profanity and older clients keep
// bookmarks in, storage:bookmarks) and vcard-temp (XEP-0054). Both are the
// account's own data kept in the store as serialised XML; a vCard is
// readable by anyone, private data only by the account.

const (
	nsPrivate = "jabber:iq:private"
	nsVCard   = "vcard-temp"
	// maxVCard bounds one stored vCard, photo included.
	maxVCard = 200 << 10
	// maxPrivate bounds one stored private element.
	maxPrivate = 64 << 10
)

// privateIQ answers jabber:iq:private get and set for the account's own
// sessions.
func (srv *Server) privateIQ(s *session, st *stanza, q *node) {
	el := q.first()
	if el == nil || el.name.Space == "" || el.name.Space == nsClient || el.name.Space == nsPrivate {
		// XEP-0049 §3: one child in a namespace of its own.
		srv.bounce(st, "modify", "not-acceptable", "")
		return
	}
	key := el.name.Space + " " + el.name.Local
	ctx, cancel := srv.storeCtx()
	defer cancel()
	if st.typ == "set" {
		b := el.appendTo(nil, nsClient)
		if len(b) > maxPrivate {
			srv.bounce(st, "modify", "not-acceptable", "too large")
			return
		}
		if err := srv.store.PutData(ctx, s.bare, store.KindPrivate, key, b); err != nil {
			srv.logf("store private data of %s: %v", s.bare, err)
			srv.bounce(st, "wait", "internal-server-error", "")
			return
		}
		s.send(iqResult(st).bytes())
		return
	}
	out := elem(nsPrivate, "query")
	b, ok, err := srv.store.Data(ctx, s.bare, store.KindPrivate, key)
	if err != nil {
		srv.logf("read private data of %s: %v", s.bare, err)
		srv.bounce(st, "wait", "internal-server-error", "")
		return
	}
	if stored, perr := parseChild(b, ok); perr == nil && stored != nil {
		out.add(stored)
	} else {
		out.add(elem(el.name.Space, el.name.Local)) // §3.3: empty when nothing is stored
	}
	s.send(iqResult(st).add(out).bytes())
}

// vcardIQ answers vcard-temp: a get of any existing account, a set of
// one's own.
func (srv *Server) vcardIQ(s *session, st *stanza, q *node, bare string, own bool) {
	ctx, cancel := srv.storeCtx()
	defer cancel()
	if st.typ == "set" {
		if !own {
			srv.bounce(st, "auth", "forbidden", "")
			return
		}
		b := q.appendTo(nil, nsClient)
		if len(b) > maxVCard {
			srv.bounce(st, "modify", "not-acceptable", "the vCard is too large")
			return
		}
		if err := srv.store.PutData(ctx, bare, store.KindVCard, "", b); err != nil {
			srv.logf("store vCard of %s: %v", bare, err)
			srv.bounce(st, "wait", "internal-server-error", "")
			return
		}
		s.send(iqResult(st).bytes())
		return
	}
	b, ok, err := srv.store.Data(ctx, bare, store.KindVCard, "")
	if err != nil {
		srv.logf("read vCard of %s: %v", bare, err)
		srv.bounce(st, "wait", "internal-server-error", "")
		return
	}
	card, perr := parseChild(b, ok)
	if perr != nil || card == nil {
		card = elem(nsVCard, "vCard") // XEP-0054 §3.1: an empty vCard
	}
	s.send(iqResult(st).add(card).bytes())
}

// parseChild parses a stored element; nil if none was stored.
func parseChild(b []byte, ok bool) (*node, error) {
	if !ok {
		return nil, nil
	}
	return parseStanza(b)
}
