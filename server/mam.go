package server

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"chat/server/store"

	"mellium.im/xmpp/jid"
)

// The message archive (XEP-0313, urn:xmpp:mam:2) of 1:1 messages: each
// chat message between accounts goes to the sender's and the recipient's
// archives (committed in batches: archiver.go), stamped with a XEP-0359
// <stanza-id by='recipient'/> (the archive id), and an account can page
// through its own archive with RSM, filtered by JID and time.

const (
	nsMAM       = "urn:xmpp:mam:2"
	nsSID       = "urn:xmpp:sid:0"
	nsRSM       = "http://jabber.org/protocol/rsm"
	nsDataForms = "jabber:x:data"
	mamPage     = 50
	mamMaxPage  = 250
)

// archive commits a message to its parties' archives and stamps the
// recipient's stanza-id on it. Any stanza-id claiming to be by the
// recipient is removed first, so that nobody can forge one.
func (srv *Server) archive(st *stanza) {
	if !copyable(st) || st.n.child(nsClient, "body") == nil {
		return
	}
	rcpt := st.to.Bare().String()
	kids := st.n.kids[:0:0]
	for _, k := range st.n.kids {
		if c, ok := k.(*node); ok && is(c, nsSID, "stanza-id") && c.get("by") == rcpt {
			continue
		}
		kids = append(kids, k)
	}
	st.n.kids = kids
	id := newResumeID()
	st.n.add(elem(nsSID, "stanza-id", "by", rcpt, "id", id))
	b := st.n.bytes()
	now := time.Now()
	owners := []string{rcpt}
	msgs := []store.Archived{{StanzaID: id, With: st.from.Bare().String(), At: now, Stanza: b}}
	if st.from.Domainpart() == srv.domain && st.from.Localpart() != "" && st.from.Bare().String() != rcpt {
		owners = append(owners, st.from.Bare().String())
		msgs = append(msgs, store.Archived{StanzaID: id, With: rcpt, At: now, Stanza: b})
	}
	srv.archiver.add(owners, msgs)
}

// mamIQ answers a query of the sender's own archive; it reports false
// for other payloads.
func (srv *Server) mamIQ(s *session, st *stanza, q *node) bool {
	if !is(q, nsMAM, "query") {
		return false
	}
	if st.typ == "get" { // the form's fields
		s.send(iqResult(st).add(elem(nsMAM, "query").add(mamForm())).bytes())
		return true
	}
	aq, bad := parseMAMQuery(q)
	if bad != "" {
		srv.bounce(st, "modify", "bad-request", bad)
		return true
	}
	srv.archiver.sync()
	ctx, cancel := srv.storeCtx()
	defer cancel()
	page, complete, err := srv.store.QueryArchive(ctx, s.bare, aq)
	switch {
	case errors.Is(err, store.ErrNoSuchItem):
		srv.bounce(st, "cancel", "item-not-found", "no such message in the archive")
		return true
	case err != nil:
		srv.logf("query the archive of %s: %v", s.bare, err)
		srv.bounce(st, "wait", "internal-server-error", "")
		return true
	}
	srv.sendResults(s, q.get("queryid"), page)
	fin := elem(nsMAM, "fin")
	if complete {
		fin.set("complete", "true")
	}
	set := elem(nsRSM, "set")
	if len(page) > 0 {
		set.add(elem(nsRSM, "first").add(page[0].StanzaID), elem(nsRSM, "last").add(page[len(page)-1].StanzaID))
	}
	s.send(iqResult(st).add(fin.add(set)).bytes())
	return true
}

// sendResults sends one <result/> message per archived message.
func (srv *Server) sendResults(s *session, queryID string, page []store.Archived) {
	for _, a := range page {
		m, err := parseStanza(a.Stanza)
		if err != nil {
			srv.logf("archive of %s holds a bad stanza %s: %v", s.bare, a.StanzaID, err)
			continue
		}
		fwd := elem(nsForward, "forwarded").add(
			elem(nsDelay, "delay", "stamp", a.At.UTC().Format("2006-01-02T15:04:05.000000Z")), m)
		s.send(elem(nsClient, "message", "from", s.bare, "to", s.full).add(
			elem(nsMAM, "result", "queryid", queryID, "id", a.StanzaID).add(fwd)).bytes())
	}
}

func mamForm() *node {
	x := elem(nsDataForms, "x", "type", "form")
	x.add(elem(nsDataForms, "field", "var", "FORM_TYPE", "type", "hidden").add(elem(nsDataForms, "value").add(nsMAM)))
	for _, v := range []string{"with", "start", "end"} {
		typ := "text-single"
		if v == "with" {
			typ = "jid-single"
		}
		x.add(elem(nsDataForms, "field", "var", v, "type", typ))
	}
	return x
}

// parseMAMQuery reads the form and the RSM set of a query, or says why
// it is bad.
func parseMAMQuery(q *node) (store.ArchiveQuery, string) {
	aq := store.ArchiveQuery{Max: mamPage}
	if x := q.child(nsDataForms, "x"); x != nil {
		for _, f := range x.children(nsDataForms, "field") {
			v := ""
			if val := f.child(nsDataForms, "value"); val != nil {
				v = strings.TrimSpace(val.text())
			}
			if bad := setMAMField(&aq, f.get("var"), v); bad != "" {
				return aq, bad
			}
		}
	}
	if set := q.child(nsRSM, "set"); set != nil {
		if m := set.child(nsRSM, "max"); m != nil {
			n, err := strconv.Atoi(strings.TrimSpace(m.text()))
			if err != nil || n < 0 {
				return aq, "bad RSM max"
			}
			aq.Max = min(n, mamMaxPage)
		}
		if a := set.child(nsRSM, "after"); a != nil {
			aq.After = strings.TrimSpace(a.text())
		}
		if b := set.child(nsRSM, "before"); b != nil {
			aq.Before = strings.TrimSpace(b.text())
			aq.Last = aq.Before == ""
		}
	}
	return aq, ""
}

// setMAMField applies one form field, or says why it is bad.
func setMAMField(aq *store.ArchiveQuery, name, v string) string {
	switch name {
	case "FORM_TYPE":
		if v != nsMAM {
			return "FORM_TYPE is not " + nsMAM
		}
	case "with":
		j, err := jid.Parse(v)
		if err != nil {
			return "bad JID in with"
		}
		aq.With = j.Bare().String()
	case "start", "end":
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return "bad time in " + name
		}
		if name == "start" {
			aq.Start = t
		} else {
			aq.End = t
		}
	default:
		return "unknown field " + name
	}
	return ""
}
