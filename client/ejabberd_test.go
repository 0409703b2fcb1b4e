package client

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"chat/event"
	"chat/internal/ejabberdtest"
)

// ejabberd is the second reference server of this package, started on
// first use. It is capped at TLS 1.2: ejabberd 23.01 offers
// SCRAM-SHA-1-PLUS on TLS 1.3 too but only knows tls-unique, so our
// client's tls-exporter binding is refused there (see
// TestEjabberdTLS13ChannelBinding, which runs its own stock server).
var ejabberd = ejabberdtest.Lazy{Options: ejabberdtest.Options{MaxTLS12: true}}

// stopEjabberd stops the lazily started ejabberd after m.Run and folds a
// failure into the exit code.
func stopEjabberd(code int) int {
	if err := ejabberd.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "ejabberdtest: stop: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// onServer points an engine at s, trusting its CA.
func onServer(s *ejabberdtest.Server) func(*Config) {
	return func(c *Config) {
		c.Server = s.Addr()
		c.TLS = TLSPolicy{CAFile: s.CAFile()}
	}
}

// ejabberdServer returns the shared ejabberd, and logs its log tail if the
// test fails. The peer helpers also read the Prosody server, so it is
// needed too.
func ejabberdServer(t *testing.T) *ejabberdtest.Server {
	t.Helper()
	needProsody(t)
	s := ejabberd.Get(t)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("ejabberd log:\n%s", s.LogTail(30))
		}
	})
	return s
}

// newEjabberdPeer makes a fresh user on s and an engine for it.
func newEjabberdPeer(t *testing.T, s *ejabberdtest.Server, tune ...func(*Config)) *peer {
	t.Helper()
	user, pass := s.NewUser(t)
	return newPeerFor(t, user, pass, append([]func(*Config){onServer(s)}, tune...)...)
}

func isRoster(ev event.Event) bool { _, ok := ev.(event.Roster); return ok }

func TestEjabberdLoginUsesChannelBinding(t *testing.T) {
	s := ejabberdServer(t)
	p := newEjabberdPeer(t, s)
	c := p.online()
	t.Logf("ejabberd login: mechanism %s, %s", c.Mechanism, c.TLS)
	if c.JID != p.jid+"/test" {
		t.Errorf("bound JID = %q, want %q (the requested resource)", c.JID, p.jid+"/test")
	}
	// ejabberd with SCRAM storage offers PLAIN, SCRAM-SHA-1 and
	// SCRAM-SHA-1-PLUS (internal/ejabberdtest checks the list).
	if c.Mechanism != "SCRAM-SHA-1-PLUS" {
		t.Errorf("SASL mechanism = %q, want SCRAM-SHA-1-PLUS (offered, and we prefer channel binding)", c.Mechanism)
	}
	if c.TLS != "TLS 1.2, STARTTLS" {
		t.Errorf("TLS = %q, want TLS 1.2 over STARTTLS", c.TLS)
	}
	r := p.expect("roster", isRoster).(event.Roster)
	if len(r.Items) != 0 || r.Unchanged {
		t.Errorf("new account roster = %+v, want empty and fetched", r)
	}
}

func TestEjabberdSubscriptionPresenceAndMessages(t *testing.T) {
	s := ejabberdServer(t)
	alice, bob := newEjabberdPeer(t, s), newEjabberdPeer(t, s)
	alice.online()
	bob.online()
	subscribeAndChat(t, alice, bob)
}

// TestEjabberdRosterVersioning: unlike Prosody, ejabberd sends a roster
// version only to a client that asked with a ver attribute (RFC 6121
// §2.6.2), so the first two logins ask with an empty version.
func TestEjabberdRosterVersioning(t *testing.T) {
	s := ejabberdServer(t)
	user, pass := s.NewUser(t)
	friend, _ := s.NewUser(t)
	none := func(c *Config) { c.RosterVersion = func() string { return "" } }
	first := newPeerFor(t, user, pass, onServer(s), none)
	first.online()
	first.expect("roster", isRoster)
	if err := first.e.RosterSet(event.RosterItem{JID: friend, Name: "Friend"}); err != nil {
		t.Fatal(err)
	}
	push := first.expect("roster push", func(ev event.Event) bool {
		p, ok := ev.(event.RosterPush)
		return ok && p.Item.JID == friend
	}).(event.RosterPush)
	<-first.e.Disconnect()

	again := newPeerFor(t, user, pass, onServer(s), none)
	again.online()
	r := again.expect("roster", isRoster).(event.Roster)
	if r.Version == "" {
		t.Fatalf("ejabberd with versioning: true sent no roster version: %+v", r)
	}
	if len(r.Items) != 1 || r.Items[0].JID != friend || r.Unchanged {
		t.Errorf("roster = %+v, want the friend, fetched in full", r)
	}
	if push.Version != r.Version {
		t.Errorf("push version %q, roster version %q: want the same", push.Version, r.Version)
	}
	<-again.e.Disconnect()

	third := newPeerFor(t, user, pass, onServer(s), func(c *Config) { c.RosterVersion = func() string { return r.Version } })
	third.online()
	r3 := third.expect("roster", isRoster).(event.Roster)
	if !r3.Unchanged || r3.Version != r.Version {
		t.Errorf("fetch with the current version = %+v, want unchanged at version %q", r3, r.Version)
	}
}

func TestEjabberdWrongPasswordIsFatal(t *testing.T) {
	s := ejabberdServer(t)
	user, _ := s.NewUser(t)
	p := newPeerFor(t, user, "not-the-password", onServer(s))
	p.e.Connect()
	c := p.expect("fatal offline", isConn(event.Offline)).(event.ConnState)
	if !c.Fatal || !strings.Contains(c.Err, "wrong JID or password") {
		t.Errorf("state = %+v, want fatal with a wrong-password message", c)
	}
	if p.e.Running() {
		t.Error("engine still running after a fatal login error")
	}
}

func TestEjabberdUntrustedCertificateShowsFingerprint(t *testing.T) {
	s := ejabberdServer(t)
	user, pass := s.NewUser(t)
	noCA := func(c *Config) { c.TLS = TLSPolicy{Roots: emptyPool()} }
	p := newPeerFor(t, user, pass, onServer(s), noCA)
	p.e.Connect()
	c := p.expect("fatal offline", isConn(event.Offline)).(event.ConnState)
	if !c.Fatal || !strings.Contains(c.Err, s.Fingerprint()) {
		t.Fatalf("state = %+v, want fatal naming fingerprint %s", c, s.Fingerprint())
	}
	pinned := newPeerFor(t, user, pass, onServer(s), func(c *Config) {
		c.TLS = TLSPolicy{Roots: emptyPool(), Pins: []string{strings.ToLower(s.Fingerprint())}}
	})
	pinned.online()
}

func TestEjabberdDirectTLS(t *testing.T) {
	s := ejabberdServer(t)
	p := newEjabberdPeer(t, s, func(c *Config) { c.Server, c.DirectTLS = s.DirectTLSAddr(), true })
	c := p.online()
	if c.TLS != "TLS 1.2, direct TLS" {
		t.Errorf("TLS = %q, want TLS 1.2, direct TLS", c.TLS)
	}
}

func TestEjabberdReconnectAfterRestart(t *testing.T) {
	s := ejabberdServer(t)
	alice, bob := newEjabberdPeer(t, s), newEjabberdPeer(t, s)
	alice.online()
	bob.online()
	if err := s.Restart(); err != nil {
		t.Fatalf("restart ejabberd: %v", err)
	}
	for _, p := range []*peer{alice, bob} {
		p.expect("reconnecting", isConn(event.Reconnecting))
		p.expect("online again", isConn(event.Online))
	}
	if _, err := alice.e.SendMessage(OutMessage{To: bob.jid, Body: "still here"}); err != nil {
		t.Fatal(err)
	}
	bob.expect("message after the restart", isMessage(alice.jid, "still here"))
}

// TestEjabberdTLS13ChannelBinding logs in to a stock ejabberd 23.01 (TLS
// 1.3 allowed) with the default engine. That server offers
// SCRAM-SHA-1-PLUS but only implements tls-unique, which TLS 1.3 lacks;
// mellium sends tls-exporter on TLS 1.3 and the server answers
// not-authorized ("Invalid channel binding"), which the engine reports as
// a fatal wrong password. This is a known bug of the client: it should use
// -PLUS on TLS 1.3 only when the server advertises tls-exporter (XEP-0440).
// Until it is fixed the test skips, saying so; after, it checks the login.
func TestEjabberdTLS13ChannelBinding(t *testing.T) {
	needProsody(t)
	ejabberd.Get(t) // skips or fails as the shared server would
	s, err := ejabberdtest.Start(ejabberdtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	p := newEjabberdPeer(t, s)
	p.e.Connect()
	c := p.expect("online or fatal", func(ev event.Event) bool {
		c, ok := ev.(event.ConnState)
		return ok && (c.State == event.Online || c.State == event.Offline && c.Fatal)
	}).(event.ConnState)
	if c.State != event.Online {
		// ejabberd 23.01 offers SCRAM-SHA-1-PLUS under TLS 1.3 but knows only
		// tls-unique: the engine must not pick -PLUS without XEP-0440's
		// tls-exporter.
		t.Fatalf("login over TLS 1.3 failed: %+v", c)
	}
	if !strings.HasPrefix(c.TLS, "TLS 1.3") || !strings.HasPrefix(c.Mechanism, "SCRAM-SHA-1") {
		t.Errorf("logged in with %s over %s, want SCRAM-SHA-1(-PLUS) over TLS 1.3", c.Mechanism, c.TLS)
	}
}
