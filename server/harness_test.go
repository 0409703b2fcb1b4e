package server

import (
	"context"
	"crypto/x509"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"chat/client"
	"chat/event"
	"chat/internal/xmpptest"

	"mellium.im/xmpp/jid"
)

// testServer is a server on 127.0.0.1:0 with users alice, bob, carol and
// dave (password "secret"), stopped when the test ends.
type testServer struct {
	t    *testing.T
	srv  *Server
	addr string
	pool *x509.CertPool
	log  *logBuffer
}

// logBuffer keeps the server's log, printed when a test fails.
type logBuffer struct {
	mu    sync.Mutex
	lines []string
}

func (l *logBuffer) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
	if len(l.lines) > 500 {
		l.lines = l.lines[len(l.lines)-400:]
	}
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func (l *logBuffer) contains(s string) bool {
	return strings.Contains(l.String(), s)
}

var testUsers = map[string]string{"alice": "secret", "bob": "secret", "carol": "secret", "dave": "secret"}

func startServer(t testing.TB, tune ...func(*Config)) *testServer {
	t.Helper()
	log := &logBuffer{}
	cfg := Config{Listen: "127.0.0.1:0", Domain: "localhost", Users: testUsers,
		AuthFailureDelay: -1, Logf: log.logf}
	for _, f := range tune {
		f(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatalf("listen: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx) }()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(srv.CertPEM()) {
		t.Fatal("server CertPEM holds no certificate")
	}
	ts := &testServer{srv: srv, addr: srv.Addr().String(), pool: pool, log: log}
	if tt, ok := t.(*testing.T); ok {
		ts.t = tt
	}
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
		srv.Close()
		if t.Failed() {
			t.Logf("server log:\n%s", log)
		}
	})
	return ts
}

// peer is one real client engine logged in to the test server.
type peer struct {
	t      *testing.T
	e      *client.Engine
	events chan event.Event
	jid    string // bare
}

func (ts *testServer) peer(t *testing.T, user, resource string, tune ...func(*client.Config)) *peer {
	t.Helper()
	cfg := client.Config{
		JID: jid.MustParse(user + "@localhost/" + resource), Password: testUsers[user], Server: ts.addr,
		TLS:        client.TLSPolicy{Roots: ts.pool},
		MinBackoff: 50 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, DialTimeout: 10 * time.Second,
	}
	for _, f := range tune {
		f(&cfg)
	}
	ch := make(chan event.Event, 4096)
	e, err := client.New(cfg, ch)
	if err != nil {
		t.Fatalf("new engine: %v", err)
	}
	p := &peer{t: t, e: e, events: ch, jid: user + "@localhost"}
	xmpptest.StopAtCleanup(t, p.jid, e.Disconnect, ch)
	return p
}

// waiter is p's event channel as xmpptest waits on it.
func (p *peer) waiter() xmpptest.Events {
	return xmpptest.Events{T: p.t, C: p.events, Name: p.jid, Timeout: 10 * time.Second}
}

// expect waits for the first event match accepts.
func (p *peer) expect(what string, match func(event.Event) bool) event.Event {
	p.t.Helper()
	return p.waiter().Expect(what, match)
}

// online connects and waits until the engine is online.
func (p *peer) online() event.ConnState {
	p.t.Helper()
	return p.waiter().Online(p.e.Connect)
}

// roster waits for the roster fetched after login.
func (p *peer) roster() event.Roster {
	p.t.Helper()
	return p.expect("roster", xmpptest.IsRoster).(event.Roster)
}

func isMessage(from, body string) func(event.Event) bool { return xmpptest.IsMessage(from, body) }

func isPush(contact, sub string) func(event.Event) bool { return xmpptest.IsPush(contact, sub) }

func isPresence(fromPrefix string, available bool) func(event.Event) bool {
	return xmpptest.IsPresence(fromPrefix, available)
}

func isSubscription(from, typ string) func(event.Event) bool {
	return xmpptest.IsSubscription(from, typ)
}

func isConn(state event.State) func(event.Event) bool { return xmpptest.IsConn(state) }

// sync returns once the server has handled everything p sent before: a
// message to itself goes through the engine's ordered queue and comes back.
func (p *peer) sync(full string) {
	p.t.Helper()
	token := "sync " + randomID()
	if _, err := p.e.SendMessage(client.OutMessage{To: full, Body: token}); err != nil {
		p.t.Fatal(err)
	}
	p.expect("sync message", isMessage(p.jid, token))
}
