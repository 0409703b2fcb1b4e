package server

import (
	"strconv"
	"strings"
	"time"

	"chat/server/store"
)

// XEP-0012 last activity (of the server: its uptime; of an account: how
// long since its last resource went offline, for the account itself and
// its subscribers) and XEP-0202 entity time of the server.

const (
	nsLast = "jabber:iq:last"
	nsTime = "urn:xmpp:time"
)

// uptimeIQ answers a last activity query to the server.
func (srv *Server) uptimeIQ(s *session, st *stanza) {
	secs := int64(time.Since(srv.ext.started) / time.Second)
	s.send(iqResult(st).add(elem(nsLast, "query", "seconds", strconv.FormatInt(secs, 10))).bytes())
}

// timeIQ answers an entity time query to the server, in UTC.
func (srv *Server) timeIQ(s *session, st *stanza) {
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	s.send(iqResult(st).add(elem(nsTime, "time").add(
		elem(nsTime, "tzo").add("+00:00"),
		elem(nsTime, "utc").add(now))).bytes())
}

// lastIQ answers a last activity query to an account (XEP-0012 §4).
func (srv *Server) lastIQ(s *session, st *stanza, bare string, own bool) {
	if st.typ != "get" {
		srv.bounce(st, "modify", "bad-request", "")
		return
	}
	if !own {
		it, ok := srv.item(bare, s.bare)
		if !ok || !subscribedFrom(it.Subscription) {
			srv.bounce(st, "auth", "forbidden", "")
			return
		}
	}
	if len(srv.reg.available(bare)) > 0 {
		s.send(iqResult(st).add(elem(nsLast, "query", "seconds", "0")).bytes())
		return
	}
	ctx, cancel := srv.storeCtx()
	defer cancel()
	b, ok, err := srv.store.Data(ctx, bare, store.KindLast, "")
	if err != nil {
		srv.logf("read last activity of %s: %v", bare, err)
	}
	when, status, good := parseLast(string(b))
	if !ok || !good {
		srv.bounce(st, "cancel", "item-not-found", "")
		return
	}
	secs := max(0, int64(time.Since(when)/time.Second))
	s.send(iqResult(st).add(elem(nsLast, "query", "seconds", strconv.FormatInt(secs, 10)).add(status)).bytes())
}

// noteLast records when an account's last available resource went away,
// with the status of its unavailable presence.
func (srv *Server) noteLast(bare string, p *node) {
	if len(srv.reg.available(bare)) > 0 {
		return
	}
	status := ""
	if c := p.child(nsClient, "status"); c != nil {
		status = c.text()
		if len(status) > 1024 {
			status = status[:1024]
		}
	}
	v := strconv.FormatInt(time.Now().Unix(), 10) + "\n" + status
	ctx, cancel := srv.storeCtx()
	defer cancel()
	if err := srv.store.PutData(ctx, bare, store.KindLast, "", []byte(v)); err != nil {
		srv.logf("store last activity of %s: %v", bare, err)
	}
}

func parseLast(v string) (time.Time, string, bool) {
	unix, status, _ := strings.Cut(v, "\n")
	n, err := strconv.ParseInt(unix, 10, 64)
	if err != nil {
		return time.Time{}, "", false
	}
	return time.Unix(n, 0), status, true
}
