package client

import (
	"context"
	"crypto/x509"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"chat/event"
	"chat/server"

	"mellium.im/xmpp/jid"
)

// embedded is the project's own server run in this process on loopback,
// for tests that look inside the client (its goroutines, its reply
// table) and must not depend on an outside process.
type embedded struct {
	addr string
	pool *x509.CertPool
}

// embeddedUsers all have the password "secret".
var embeddedUsers = map[string]string{"alice": "secret", "bob": "secret", "carol": "secret", "dave": "secret"}

func startEmbedded(t *testing.T, tune ...func(*server.Config)) *embedded {
	t.Helper()
	var mu sync.Mutex
	var log []string
	cfg := server.Config{Listen: "127.0.0.1:0", Users: embeddedUsers, AuthFailureDelay: -1,
		Logf: func(format string, args ...any) {
			mu.Lock()
			defer mu.Unlock()
			log = append(log, fmt.Sprintf(format, args...))
		}}
	for _, f := range tune {
		f(&cfg)
	}
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatalf("embedded server: %v", err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatalf("embedded server: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("embedded server: %v", err)
		}
		srv.Close()
		if t.Failed() {
			mu.Lock()
			defer mu.Unlock()
			t.Logf("embedded server log:\n%s", strings.Join(log, "\n"))
		}
	})
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(srv.CertPEM()) {
		t.Fatal("embedded server: no certificate")
	}
	return &embedded{addr: srv.Addr().String(), pool: pool}
}

// config is an engine configuration for user on the embedded server.
func (es *embedded) config(user, password string, tune ...func(*Config)) Config {
	cfg := Config{
		JID: jid.MustParse(user + "@localhost/test"), Password: password, Server: es.addr,
		TLS:        TLSPolicy{Roots: es.pool},
		MinBackoff: 50 * time.Millisecond, MaxBackoff: 500 * time.Millisecond, DialTimeout: 10 * time.Second,
	}
	for _, f := range tune {
		f(&cfg)
	}
	return cfg
}

// peer makes an engine for user; it is disconnected when the test ends.
func (es *embedded) peer(t *testing.T, user string, tune ...func(*Config)) *peer {
	t.Helper()
	cfg := es.config(user, embeddedUsers[user], tune...)
	ch := make(chan event.Event, 1024)
	e, err := New(cfg, ch)
	if err != nil {
		t.Fatalf("new engine: %v", err)
	}
	p := &peer{t: t, e: e, events: ch, jid: cfg.JID.Bare().String(), pass: cfg.Password}
	t.Cleanup(func() { p.stop() })
	return p
}

// stop disconnects p and waits until its engine has stopped, reading its
// events meanwhile.
func (p *peer) stop() {
	done := p.e.Disconnect()
	timeout := time.After(15 * time.Second)
	for {
		select {
		case <-done:
			return
		case <-p.events:
		case <-timeout:
			p.t.Errorf("engine %s did not stop", p.jid)
			return
		}
	}
}
