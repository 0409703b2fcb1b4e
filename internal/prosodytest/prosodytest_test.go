package prosodytest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"chat/internal/certs"
	"chat/internal/servertest"

	"mellium.im/sasl"
	"mellium.im/xmpp"
	"mellium.im/xmpp/jid"
)

var srv *Server

func TestMain(m *testing.M) { os.Exit(Main(m, Options{}, &srv)) }

func (s *Server) tlsConfig() *tls.Config {
	return &tls.Config{RootCAs: s.CertPool(), ServerName: s.Domain()}
}

// login opens a client session (STARTTLS, or direct TLS) and binds a
// resource, then closes it. It returns the bound full JID.
func login(s *Server, direct bool, addr, bare, pass string, mechs ...sasl.Mechanism) (jid.JID, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	origin, err := jid.Parse(bare)
	if err != nil {
		return jid.JID{}, err
	}
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return jid.JID{}, err
	}
	defer conn.Close()
	var rw net.Conn = conn
	var feats []xmpp.StreamFeature
	if direct {
		rw = tls.Client(conn, s.tlsConfig())
	} else {
		feats = append(feats, xmpp.StartTLS(s.tlsConfig()))
	}
	feats = append(feats, xmpp.SASL("", pass, mechs...), xmpp.BindResource())
	sess, err := xmpp.NewClientSession(ctx, origin, rw, feats...)
	if err != nil {
		return jid.JID{}, err
	}
	addrJID := sess.LocalAddr()
	return addrJID, sess.Close()
}

// mechanisms returns the SASL mechanisms offered after STARTTLS.
func mechanisms(t *testing.T, s *Server) []string {
	t.Helper()
	conn, err := net.DialTimeout("tcp", s.Addr(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	tc, f, err := servertest.StartTLS(conn, s.Domain(), s.tlsConfig())
	if err != nil {
		t.Fatalf("starttls: %v\n%s", err, s.LogTail(20))
	}
	defer tc.Close()
	return f.Mechanisms
}

func TestRawStreamOffersRequiredStartTLS(t *testing.T) {
	s := Require(t, srv)
	conn, err := net.DialTimeout("tcp", s.Addr(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	f, err := servertest.OpenStream(conn, s.Domain())
	if err != nil {
		t.Fatalf("open stream: %v", err)
	}
	if f.StartTLS == nil {
		t.Fatalf("features do not offer starttls: %s", f.Inner)
	}
	if f.StartTLS.Required == nil {
		t.Errorf("starttls not marked required: %s", f.Inner)
	}
	if slices.Contains(f.Mechanisms, "PLAIN") {
		t.Errorf("PLAIN offered before TLS: %v", f.Mechanisms)
	}
}

func TestCertificateMatchesServer(t *testing.T) {
	s := Require(t, srv)
	conn, err := tls.Dial("tcp", s.DirectTLSAddr(), s.tlsConfig())
	if err != nil {
		t.Fatalf("direct TLS dial: %v", err)
	}
	defer conn.Close()
	leaf := conn.ConnectionState().PeerCertificates[0]
	if got := certs.Fingerprint(leaf.Raw); got != s.Fingerprint() {
		t.Errorf("served certificate %s, want %s", got, s.Fingerprint())
	}
	if len(s.Fingerprint()) != 32*3-1 || strings.ToUpper(s.Fingerprint()) != s.Fingerprint() {
		t.Errorf("fingerprint format: %q", s.Fingerprint())
	}
	for _, name := range []string{"localhost", "127.0.0.1", "::1"} {
		_, err := leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: s.CertPool()})
		if err != nil {
			t.Errorf("verify for %s: %v", name, err)
		}
	}
	if _, err := os.Stat(s.CAFile()); err != nil {
		t.Errorf("CA file: %v", err)
	}
}

func TestHashedAuthMechanisms(t *testing.T) {
	s := Require(t, srv)
	got := mechanisms(t, s)
	t.Logf("internal_hashed offers %v", got)
	for _, want := range []string{"SCRAM-SHA-1", "PLAIN"} {
		if !slices.Contains(got, want) {
			t.Errorf("internal_hashed: %s missing from %v", want, got)
		}
	}
	if slices.Contains(got, "SCRAM-SHA-256") {
		t.Errorf("internal_hashed unexpectedly offers SCRAM-SHA-256: %v", got)
	}
}

func TestNewUserLogsInWhileRunning(t *testing.T) {
	s := Require(t, srv)
	bare, pass := s.NewUser(t)
	for _, m := range []sasl.Mechanism{sasl.ScramSha1, sasl.Plain} {
		full, err := login(s, false, s.Addr(), bare, pass, m)
		if err != nil {
			t.Fatalf("login with %s: %v\n%s", m.Name, err, s.LogTail(20))
		}
		if full.Bare().String() != bare || full.Resourcepart() == "" {
			t.Errorf("bound %s, want a full JID of %s", full, bare)
		}
	}
	if _, err := login(s, false, s.Addr(), bare, pass+"x", sasl.ScramSha1); err == nil {
		t.Errorf("login with a wrong password succeeded")
	}
}

func TestDirectTLSLogin(t *testing.T) {
	s := Require(t, srv)
	bare, pass := s.NewUser(t)
	if _, err := login(s, true, s.DirectTLSAddr(), bare, pass, sasl.ScramSha1, sasl.Plain); err != nil {
		t.Fatalf("direct TLS login: %v\n%s", err, s.LogTail(20))
	}
}

func TestUsersAreUnique(t *testing.T) {
	s := Require(t, srv)
	a, _ := s.NewUser(t)
	b, _ := s.NewUser(t)
	if a == b {
		t.Fatalf("NewUser returned %s twice", a)
	}
}

func TestAddUserExistingResetsPassword(t *testing.T) {
	s := Require(t, srv)
	bare, oldPass := s.NewUser(t)
	if err := s.AddUser(strings.Split(bare, "@")[0], "new-secret"); err != nil {
		t.Fatal(err)
	}
	if _, err := login(s, false, s.Addr(), bare, oldPass, sasl.ScramSha1); err == nil {
		t.Errorf("old password still works after AddUser on an existing user")
	}
	if _, err := login(s, false, s.Addr(), bare, "new-secret", sasl.ScramSha1); err != nil {
		t.Errorf("new password: %v", err)
	}
}

func TestRestartKeepsUsersAndAddress(t *testing.T) {
	s := Require(t, srv)
	bare, pass := s.NewUser(t)
	addr := s.Addr()
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	if s.Addr() != addr {
		t.Errorf("address changed from %s to %s", addr, s.Addr())
	}
	if _, err := login(s, false, s.Addr(), bare, pass, sasl.ScramSha1); err != nil {
		t.Fatalf("login after restart: %v\n%s", err, s.LogTail(20))
	}
}

func TestKillThenRestart(t *testing.T) {
	s := Require(t, srv)
	bare, pass := s.NewUser(t)
	s.Kill()
	if conn, err := net.DialTimeout("tcp", s.Addr(), time.Second); err == nil {
		conn.Close()
		t.Fatalf("server still accepts connections after Kill")
	}
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	if _, err := login(s, false, s.Addr(), bare, pass, sasl.ScramSha1); err != nil {
		t.Fatalf("login after kill and restart: %v\n%s", err, s.LogTail(20))
	}
}

// TestPlainAuthServer starts a second server with internal_plain storage,
// which adds SCRAM-SHA-256, and checks that Stop leaves nothing behind.
func TestPlainAuthServer(t *testing.T) {
	Require(t, srv)
	s, err := Start(Options{Auth: "internal_plain"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	got := mechanisms(t, s)
	t.Logf("internal_plain offers %v", got)
	for _, want := range []string{"SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"} {
		if !slices.Contains(got, want) {
			t.Errorf("internal_plain: %s missing from %v", want, got)
		}
	}
	bare, pass := s.NewUser(t)
	if _, err := login(s, false, s.Addr(), bare, pass, sasl.ScramSha256); err != nil {
		t.Fatalf("SCRAM-SHA-256 login: %v\n%s", err, s.LogTail(20))
	}
	pid := s.Pid()
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.Dir()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temp dir still there after Stop: %v", err)
	}
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("prosody pid %d still exists after Stop: %v", pid, err)
	}
	if err := s.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
}

func TestUnavailableIsErrorsIs(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Start(Options{})
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Start without prosody on PATH: %v, want ErrUnavailable", err)
	}
}

func BenchmarkRestart(b *testing.B) {
	s := Require(b, srv)
	for b.Loop() {
		if err := s.Restart(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStartStop(b *testing.B) {
	Require(b, srv)
	for b.Loop() {
		s, err := Start(Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Stop(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAddUser(b *testing.B) {
	s := Require(b, srv)
	for b.Loop() {
		s.NewUser(b)
	}
}

// TestOptionsReachConfig checks that Modules are loaded and that
// ExtraConfig lands in the global section, after (so overriding) the
// defaults.
func TestOptionsReachConfig(t *testing.T) {
	Require(t, srv)
	s, err := Start(Options{Modules: []string{"register"}, ExtraConfig: "c2s_require_encryption = false\nallow_registration = true"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	conn, err := net.DialTimeout("tcp", s.Addr(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	f, err := servertest.OpenStream(conn, s.Domain())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.Inner, "http://jabber.org/features/iq-register") {
		t.Errorf("module register not loaded; features: %s", f.Inner)
	}
	if f.StartTLS == nil || f.StartTLS.Required != nil {
		t.Errorf("starttls should be offered but not required; features: %s", f.Inner)
	}
	if len(f.Mechanisms) == 0 {
		t.Errorf("no SASL offered on a plain stream with encryption optional: %s", f.Inner)
	}
}
