package client

import (
	"os"
	"testing"
	"time"

	"chat/event"
	"chat/internal/prosodytest"
	"chat/internal/xmpptest"

	"mellium.im/xmpp/jid"
)

// srv is the Prosody shared by this package's tests; nil when it could not
// be started (the tests then skip, saying why).
var srv *prosodytest.Server

func TestMain(m *testing.M) {
	os.Exit(stopEjabberd(prosodytest.Main(m, prosodytest.Options{}, &srv)))
}

// needProsody skips t when TestMain found no Prosody (without
// CHAT_REQUIRE_PROSODY=1, which makes that a failure of the package).
func needProsody(t *testing.T) {
	t.Helper()
	prosodytest.Require(t, srv)
}

// peer is one engine under test and the events it posted.
type peer struct {
	t      *testing.T
	e      *Engine
	events chan event.Event
	jid    string
	pass   string
}

// newPeer makes a fresh user on the shared server and an engine for it.
func newPeer(t *testing.T, tune ...func(*Config)) *peer {
	t.Helper()
	needProsody(t)
	user, pass := srv.NewUser(t)
	return newPeerFor(t, user, pass, tune...)
}

func newPeerFor(t *testing.T, user, pass string, tune ...func(*Config)) *peer {
	t.Helper()
	j := jid.MustParse(user + "/test")
	cfg := Config{
		JID: j, Password: pass, Server: srv.Addr(),
		TLS:        TLSPolicy{CAFile: srv.CAFile()},
		MinBackoff: 50 * time.Millisecond, MaxBackoff: 500 * time.Millisecond,
		DialTimeout: 10 * time.Second,
	}
	for _, f := range tune {
		f(&cfg)
	}
	ch := make(chan event.Event, 1024)
	e, err := New(cfg, ch)
	if err != nil {
		t.Fatalf("new engine: %v", err)
	}
	p := &peer{t: t, e: e, events: ch, jid: j.Bare().String(), pass: pass}
	xmpptest.StopAtCleanup(t, p.jid, e.Disconnect, ch)
	return p
}

// waiter is p's event channel as xmpptest waits on it.
func (p *peer) waiter() xmpptest.Events {
	return xmpptest.Events{T: p.t, C: p.events, Name: p.jid, Timeout: 15 * time.Second,
		More: func() string { return "server log:\n" + srv.LogTail(20) }}
}

// expect waits for the first event that match accepts, failing the test
// after a timeout with the events seen meanwhile.
func (p *peer) expect(what string, match func(event.Event) bool) event.Event {
	p.t.Helper()
	return p.waiter().Expect(what, match)
}

// online connects and waits until the engine is online.
func (p *peer) online() event.ConnState {
	p.t.Helper()
	return p.waiter().Online(p.e.Connect)
}

func isMessage(from, body string) func(event.Event) bool { return xmpptest.IsMessage(from, body) }

func isConn(state event.State) func(event.Event) bool { return xmpptest.IsConn(state) }
