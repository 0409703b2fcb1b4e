// Package integration proves package muc's builders and parsers against a
// real Prosody with a MUC component, over plain mellium sessions: no engine,
// no UI, only muc's own stanzas and state.
package integration

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"chat/internal/ejabberdtest"
	"chat/internal/prosodytest"
	"chat/internal/servertest"
	"chat/muc"

	"mellium.im/sasl"
	"mellium.im/xmlstream"
	"mellium.im/xmpp"
	"mellium.im/xmpp/jid"
)

var srv *prosodytest.Server

// ejabberd starts on first use, for the same test against a second server.
var ejabberd = ejabberdtest.Lazy{}

func TestMain(m *testing.M) {
	code := prosodytest.Main(m, prosodytest.Options{}, &srv)
	if err := ejabberd.Stop(); err != nil && code == 0 {
		fmt.Fprintln(os.Stderr, "stop ejabberd:", err)
		code = 1
	}
	os.Exit(code)
}

// mucServer is a started test server with a MUC service.
type mucServer interface {
	servertest.Server
	MUCDomain() string
}

// wait only guards against a hang; nothing waits on it for ordering.
const wait = 15 * time.Second

// stanza is one parsed presence or message a session received.
type stanza struct {
	p   *muc.Presence
	m   *muc.Message
	err error
}

// user is one logged-in account with its rooms.
type user struct {
	t     *testing.T
	name  string
	sess  *xmpp.Session
	in    chan stanza
	rooms *muc.Rooms
	n     int
}

func login(t *testing.T, s mucServer, name string) *user {
	t.Helper()
	bare, pass := s.NewUser(t)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	conn, err := net.DialTimeout("tcp", s.Addr(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := xmpp.NewClientSession(ctx, jid.MustParse(bare), conn,
		xmpp.StartTLS(servertest.TLSConfig(s)), xmpp.SASL("", pass, sasl.ScramSha256, sasl.ScramSha1), xmpp.BindResource())
	if err != nil {
		conn.Close()
		t.Fatalf("login %s: %v", bare, err)
	}
	u := &user{t: t, name: name, sess: sess, in: make(chan stanza, 1024), rooms: muc.NewRooms()}
	done := make(chan struct{})
	go func() { defer close(done); sess.Serve(xmpp.HandlerFunc(u.handle)) }()
	t.Cleanup(func() { sess.Close(); conn.Close(); <-done })
	return u
}

// handle parses presences and messages with muc's parsers; IQs get
// mellium's automatic service-unavailable.
func (u *user) handle(t xmlstream.TokenReadEncoder, start *xml.StartElement) error {
	r := xmlstream.MultiReader(xmlstream.Token(*start), t)
	var st stanza
	switch start.Name.Local {
	case "presence":
		p, err := muc.ParsePresence(r)
		st = stanza{p: &p, err: err}
	case "message":
		m, err := muc.ParseMessage(r)
		st = stanza{m: &m, err: err}
	default:
		return nil
	}
	u.in <- st
	return nil
}

func (u *user) send(r xml.TokenReader) {
	u.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := u.sess.Send(ctx, r); err != nil {
		u.t.Fatalf("%s: send: %v", u.name, err)
	}
}

func (u *user) iq(q muc.IQ) xml.TokenReader {
	u.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	u.n++
	resp, err := u.sess.SendIQ(ctx, q.Stanza(fmt.Sprintf("%s-iq-%d", u.name, u.n)))
	if err != nil {
		u.t.Fatalf("%s: iq: %v", u.name, err)
	}
	toks, err := xmlstream.ReadAll(resp)
	resp.Close()
	if err != nil {
		u.t.Fatalf("%s: read iq reply: %v", u.name, err)
	}
	return xmlstream.ReaderFunc(func() (xml.Token, error) {
		if len(toks) == 0 {
			return nil, io.EOF
		}
		tok := toks[0]
		toks = toks[1:]
		return tok, nil
	})
}

// expect applies what arrives to the user's rooms until an event of kind k
// for room, failing on a refused stanza from the room.
func (u *user) expect(room string, k muc.Kind) muc.Event {
	u.t.Helper()
	timeout := time.After(wait)
	var seen []string
	for {
		select {
		case st := <-u.in:
			if st.err != nil {
				u.t.Fatalf("%s: parse: %v", u.name, st.err)
			}
			var ev muc.Event
			var err error
			if st.p != nil {
				ev, err = u.rooms.ApplyPresence(*st.p, time.Now())
			} else {
				ev, err = u.rooms.ApplyMessage(*st.m, time.Now())
			}
			if err != nil {
				seen = append(seen, "refused: "+err.Error())
				continue
			}
			seen = append(seen, ev.Text())
			if ev.Kind == k && ev.Room == room {
				return ev
			}
		case <-timeout:
			u.t.Fatalf("%s: no event %d in %s; saw %q", u.name, k, room, seen)
		}
	}
}
