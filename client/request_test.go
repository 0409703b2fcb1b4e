package client

import (
	"context"
	"encoding/xml"
	"errors"
	"strings"
	"testing"
	"time"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/jid"
	"mellium.im/xmpp/stanza"
)

func TestReplyFromOnlyWhereTheRequestWent(t *testing.T) {
	self := jid.MustParse("alice@example.org/phone")
	bob := jid.MustParse("bob@example.org/laptop")
	cases := []struct {
		to   jid.JID
		from string
		want bool
	}{
		{jid.JID{}, "", true},
		{jid.JID{}, "alice@example.org", true},
		{jid.JID{}, "example.org", true},
		{jid.JID{}, "alice@example.org/phone", false}, // another resource of ours is not our server
		{jid.JID{}, "mallory@example.org", false},
		{jid.JID{}, "example.org/x", false},
		{jid.JID{}, "not a jid@@", false},
		{self.Bare(), "", true},
		{bob, "bob@example.org/laptop", true},
		{bob, "bob@example.org", false},
		{bob, "bob@example.org/other", false},
		{bob, "example.org", false},
		{bob, "", false},
	}
	for _, c := range cases {
		if got := replyFrom(c.to, c.from, self); got != c.want {
			t.Errorf("request to %q, reply from %q: accepted = %v, want %v", c.to, c.from, got, c.want)
		}
	}
}

// offlineSession is a session with no connection: what it queues is never
// written, so the test plays the server's part through the handler.
func offlineSession(t *testing.T, self string) (*handler, *session) {
	t.Helper()
	s := &session{ctx: context.Background(), wake: make(chan struct{}, 1), iqTimeout: time.Hour}
	e := &Engine{cfg: Config{JID: jid.MustParse(self)}, account: jid.MustParse(self).Bare().String()}
	return e.newHandler(s), s
}

// deliver feeds one stanza to h as if it had arrived on the stream.
func deliver(t *testing.T, h *handler, raw string) {
	t.Helper()
	d := xmlDecoder(raw)
	start, err := xml.NewDecoder(strings.NewReader(raw)).Token()
	if err != nil {
		t.Fatal(err)
	}
	if err := h.iq(nil, d, start.(xml.StartElement)); err != nil {
		t.Fatalf("handle %s: %v", raw, err)
	}
}

func resolved(p *pendingIQ) (iqResult, bool) {
	select {
	case r := <-p.result:
		return r, true
	default:
		return iqResult{}, false
	}
}

// A reply with the right id from the wrong sender neither answers the
// request nor cancels it; the real answer still gets through.
func TestForgedReplyIsIgnored(t *testing.T) {
	h, s := offlineSession(t, "alice@localhost/test")
	roster := s.sendIQ(iqRequest{Type: "get", Payload: marshalRoster(rosterQuery{})})
	deliver(t, h, `<iq type='result' id='`+roster.id+`' from='mallory@localhost/x'><query xmlns='jabber:iq:roster'><item jid='eve@evil.example' subscription='both'/></query></iq>`)
	deliver(t, h, `<iq type='error' id='`+roster.id+`' from='localhost.evil'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`)
	if _, ok := resolved(roster); ok {
		t.Fatal("a reply from mallory answered our roster request")
	}
	deliver(t, h, `<iq type='result' id='`+roster.id+`'><query xmlns='jabber:iq:roster' ver='v1'><item jid='bob@localhost' subscription='both'/></query></iq>`)
	r, ok := resolved(roster)
	if !ok || r.err != nil {
		t.Fatalf("the server's answer was not delivered: %+v", r)
	}
	var q rosterQuery
	if err := r.reply.Decode(&q); err != nil || len(q.Items) != 1 || q.Items[0].JID != "bob@localhost" {
		t.Errorf("decoded %+v (%v), want bob's item", q, err)
	}

	bob := jid.MustParse("bob@localhost/laptop")
	ping := s.sendIQ(pingRequest(bob))
	deliver(t, h, `<iq type='result' id='`+ping.id+`'/>`) // "our server" cannot answer for bob
	deliver(t, h, `<iq type='result' id='`+ping.id+`' from='bob@localhost'/>`)
	if _, ok := resolved(ping); ok {
		t.Fatal("a reply not from bob's full JID answered a ping to it")
	}
	deliver(t, h, `<iq type='error' id='`+ping.id+`' from='bob@localhost/laptop'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>no pings</text></error></iq>`)
	r, ok = resolved(ping)
	var iqErr *IQError
	if !ok || !errors.As(r.err, &iqErr) || !errors.Is(r.err, stanza.Error{Condition: stanza.ServiceUnavailable}) {
		t.Fatalf("got %+v, want an IQError wrapping service-unavailable", r)
	}
	if iqErr.From != bob.String() || r.err.Error() != "service-unavailable: no pings" {
		t.Errorf("error %q from %q", r.err, iqErr.From)
	}
	if len(s.replies) != 0 {
		t.Errorf("reply table still holds %d entries", len(s.replies))
	}
}

// A request still waiting when the session ends fails at once; one made
// afterwards fails without waiting; neither stays in the table.
func TestPendingRequestsFailWhenTheSessionEnds(t *testing.T) {
	_, s := offlineSession(t, "alice@localhost/test")
	got := make(chan error, 1)
	p := s.sendIQ(pingRequest(jid.JID{}))
	go func() {
		_, err := s.await(context.Background(), p, time.Hour)
		got <- err
	}()
	s.failPending(ErrSessionEnded)
	if err := <-got; !errors.Is(err, ErrSessionEnded) {
		t.Errorf("waiting request: %v, want ErrSessionEnded", err)
	}
	if _, err := s.request(context.Background(), pingRequest(jid.JID{})); !errors.Is(err, ErrSessionEnded) {
		t.Errorf("request after the end: %v, want ErrSessionEnded", err)
	}
	if err := s.requestAsync(pingRequest(jid.JID{}), func(*iqReply, error) {}); !errors.Is(err, ErrOffline) {
		t.Errorf("async request after the end: %v, want ErrOffline", err)
	}
	if len(s.replies) != 0 {
		t.Errorf("reply table holds %d entries", len(s.replies))
	}
}

// An IQ dropped from the queue before it was written fails as not sent.
func TestUnsentRequestFailsAsNotSent(t *testing.T) {
	_, s := offlineSession(t, "alice@localhost/test")
	p := s.sendIQ(pingRequest(jid.JID{}))
	s.dropPending()
	if _, err := s.await(context.Background(), p, time.Hour); !errors.Is(err, ErrNotSent) {
		t.Errorf("got %v, want ErrNotSent", err)
	}
}

// Against a real server: a ping to another client's full JID is answered
// by that client, an unknown request gets its error reply as an IQError,
// and a request on a connection that went silent times out, then the
// next one fails as soon as the connection is gone.
func TestRequestsOverTheEmbeddedServer(t *testing.T) {
	es := startEmbedded(t)
	proxy := newStallProxy(t, es.addr)
	alice := es.peer(t, "alice", func(c *Config) { c.Server = proxy.ln.Addr().String() })
	bob := es.peer(t, "bob")
	alice.online()
	bobFull := jid.MustParse(bob.online().JID)
	ctx := context.Background()

	if _, err := alice.e.request(ctx, pingRequest(bobFull)); err != nil {
		t.Fatalf("ping bob: %v", err)
	}
	unknown := xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: "urn:example:nothing", Local: "query"}})
	_, err := alice.e.request(ctx, iqRequest{Type: "get", To: bobFull, Payload: unknown})
	var iqErr *IQError
	if !errors.As(err, &iqErr) || iqErr.Err.Condition != stanza.ServiceUnavailable || iqErr.From != bobFull.String() {
		for len(bob.events) > 0 {
			t.Logf("bob event %+v", <-bob.events)
		}
		t.Fatalf("unknown request to bob: %v, want service-unavailable from %s", err, bobFull)
	}

	proxy.stalled.Store(true)
	if _, err := alice.e.request(ctx, iqRequest{Type: "get", Payload: unknown, Timeout: 50 * time.Millisecond}); !errors.Is(err, ErrNoReply) {
		t.Fatalf("request on a silent connection: %v, want ErrNoReply", err)
	}
	s := alice.e.current()
	got := make(chan error, 1)
	go func() {
		_, err := s.request(ctx, iqRequest{Type: "get", Payload: unknown, Timeout: time.Hour})
		got <- err
	}()
	proxy.close()
	select {
	case err := <-got:
		if !errors.Is(err, ErrSessionEnded) && !errors.Is(err, ErrNotSent) {
			t.Errorf("request when the connection died: %v, want ErrSessionEnded or ErrNotSent", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("a request outlived its connection")
	}
}

// An error reply to a ping is an answer: the keepalive must not tear the
// session down because the server does not implement XEP-0199.
func TestPingErrorReplyKeepsTheSession(t *testing.T) {
	h, s := offlineSession(t, "alice@localhost/test")
	p := s.sendIQ(pingRequest(jid.JID{}))
	deliver(t, h, `<iq type='error' id='`+p.id+`'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`)
	_, err := s.await(context.Background(), p, time.Hour)
	if err == nil || !answered(err) {
		t.Errorf("error reply %v: answered = false, want true", err)
	}
	if answered(ErrNoReply) || answered(ErrSessionEnded) {
		t.Error("no reply counted as an answer")
	}
}

// An answer too large to read fails its request at once instead of
// leaving it to time out.
func TestUnreadableAnswerFailsTheRequest(t *testing.T) {
	h, s := offlineSession(t, "alice@localhost/test")
	p := s.sendIQ(iqRequest{Type: "get", Payload: marshalRoster(rosterQuery{})})
	raw := `<iq type='result' id='` + p.id + `'><query xmlns='jabber:iq:roster'><item jid='a@b'/>` // cut short
	start, _ := xml.NewDecoder(strings.NewReader(raw)).Token()
	if err := h.iq(nil, xmlDecoder(raw), start.(xml.StartElement)); err != nil {
		t.Fatalf("handler: %v, want the error left to the requester", err)
	}
	r, ok := resolved(p)
	if !ok || r.err == nil || errors.As(r.err, new(*IQError)) {
		t.Fatalf("got %+v, want a read error", r)
	}
}
