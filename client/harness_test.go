package client

import (
	"fmt"
	"os"
	"testing"
	"time"

	"chat/event"
	"chat/internal/prosodytest"

	"mellium.im/xmpp/jid"
)

// srv is the Prosody shared by this package's tests; nil when it could not
// be started (the tests then skip, saying why).
var srv *prosodytest.Server

func TestMain(m *testing.M) {
	os.Exit(stopEjabberd(prosodytest.Main(m, prosodytest.Options{}, &srv)))
}

func needProsody(t *testing.T) {
	t.Helper()
	if srv == nil {
		t.Skip("Prosody could not be started (see TestMain output); install it with apt-get install prosody")
	}
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
	t.Cleanup(func() {
		done := e.Disconnect()
		for {
			select {
			case <-done:
				return
			case <-ch:
			case <-time.After(10 * time.Second):
				t.Errorf("engine %s did not stop", p.jid)
				return
			}
		}
	})
	return p
}

// expect waits for the first event that match accepts, failing the test
// after a timeout with the events seen meanwhile.
func (p *peer) expect(what string, match func(event.Event) bool) event.Event {
	p.t.Helper()
	var seen []string
	timeout := time.After(15 * time.Second)
	for {
		select {
		case ev := <-p.events:
			if match(ev) {
				return ev
			}
			seen = append(seen, fmt.Sprintf("%s %+v", ev.Kind(), ev))
		case <-timeout:
			p.t.Fatalf("%s: timed out waiting for %s; saw %d events:\n%v\nserver log:\n%s", p.jid, what, len(seen), seen, srv.LogTail(20))
			return nil
		}
	}
}

// online connects and waits until the engine is online.
func (p *peer) online() event.ConnState {
	p.t.Helper()
	p.e.Connect()
	return p.expect("online", func(ev event.Event) bool {
		c, ok := ev.(event.ConnState)
		if ok && c.State == event.Offline && c.Fatal {
			p.t.Fatalf("%s: login failed: %s", p.jid, c.Err)
		}
		return ok && c.State == event.Online
	}).(event.ConnState)
}

func isMessage(from, body string) func(event.Event) bool {
	return func(ev event.Event) bool {
		m, ok := ev.(event.Message)
		return ok && m.Peer == from && m.Body == body
	}
}

func isConn(state event.State) func(event.Event) bool {
	return func(ev event.Event) bool {
		c, ok := ev.(event.ConnState)
		return ok && c.State == state
	}
}
