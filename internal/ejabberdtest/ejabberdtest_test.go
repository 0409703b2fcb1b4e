package ejabberdtest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"mellium.im/sasl"
	"mellium.im/xmpp"
	"mellium.im/xmpp/jid"

	"chat/internal/certs"
	"chat/internal/servertest"
)

var srv *Server

func TestMain(m *testing.M) { os.Exit(Main(m, Options{}, &srv)) }

func (s *Server) tlsConfig() *tls.Config {
	return &tls.Config{RootCAs: s.CertPool(), ServerName: s.Domain()}
}

// login opens a client session (STARTTLS, or direct TLS) and binds a
// resource, then closes it. It returns the bound full JID.
func login(s *Server, direct bool, addr, bare, pass string, mechs ...sasl.Mechanism) (jid.JID, error) {
	return loginTLS(s.tlsConfig(), direct, addr, bare, pass, mechs...)
}

func loginTLS(cfg *tls.Config, direct bool, addr, bare, pass string, mechs ...sasl.Mechanism) (jid.JID, error) {
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
		rw = tls.Client(conn, cfg)
	} else {
		feats = append(feats, xmpp.StartTLS(cfg))
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
func mechanisms(t *testing.T, s *Server, cfg *tls.Config) []string {
	t.Helper()
	conn, err := net.DialTimeout("tcp", s.Addr(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	tc, f, err := servertest.StartTLS(conn, s.Domain(), cfg)
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
	if len(f.Mechanisms) != 0 {
		t.Errorf("SASL offered before TLS: %v", f.Mechanisms)
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
	for _, name := range []string{"localhost", "127.0.0.1", "::1"} {
		if _, err := leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: s.CertPool()}); err != nil {
			t.Errorf("verify for %s: %v", name, err)
		}
	}
	if _, err := os.Stat(s.CAFile()); err != nil {
		t.Errorf("CA file: %v", err)
	}
}

// TestScramMechanisms records what ejabberd offers with SCRAM-stored
// passwords: SCRAM-SHA-1 with channel binding, whatever the TLS version.
func TestScramMechanisms(t *testing.T) {
	s := Require(t, srv)
	checkTLSVersions(t, s, tls.VersionTLS13)
	for _, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		cfg := s.tlsConfig()
		cfg.MinVersion, cfg.MaxVersion = v, v
		got := mechanisms(t, s, cfg)
		t.Logf("%s: scram storage offers %v", tls.VersionName(v), got)
		for _, want := range []string{"SCRAM-SHA-1", "SCRAM-SHA-1-PLUS", "PLAIN"} {
			if !slices.Contains(got, want) {
				t.Errorf("%s: %s missing from %v", tls.VersionName(v), want, got)
			}
		}
		if slices.Contains(got, "X-OAUTH2") || slices.Contains(got, "SCRAM-SHA-256") {
			t.Errorf("%s: unexpected mechanism in %v", tls.VersionName(v), got)
		}
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

// TestChannelBindingTLS12 logs in with SCRAM-SHA-1-PLUS (tls-unique) on a
// TLS 1.2 stream, which ejabberd 23.01 supports.
func TestChannelBindingTLS12(t *testing.T) {
	s := Require(t, srv)
	bare, pass := s.NewUser(t)
	cfg := s.tlsConfig()
	cfg.MaxVersion = tls.VersionTLS12
	if _, err := loginTLS(cfg, false, s.Addr(), bare, pass, sasl.ScramSha1Plus); err != nil {
		t.Fatalf("SCRAM-SHA-1-PLUS over TLS 1.2: %v\n%s", err, s.LogTail(20))
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
	out, err := s.Ctl("registered_users", s.Domain())
	if err != nil {
		t.Fatal(err)
	}
	users := strings.Fields(out)
	for _, bare := range []string{a, b} {
		if !slices.Contains(users, strings.TrimSuffix(bare, "@"+s.Domain())) {
			t.Errorf("ejabberdctl registered_users does not list %s: %q", bare, out)
		}
	}
}

func TestCtlRegisterOnPrivateNode(t *testing.T) {
	s := Require(t, srv)
	if !strings.HasPrefix(s.Node(), "ejabberdtest-") {
		t.Errorf("node %q is not private", s.Node())
	}
	user := "ctl-" + servertest.RandomHex(4)
	if _, err := s.Ctl("register", user, s.Domain(), "ctl-secret"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Ctl("register", user, s.Domain(), "again"); err == nil {
		t.Errorf("ejabberdctl registered %s twice", user)
	}
	if _, err := login(s, false, s.Addr(), user+"@"+s.Domain(), "ctl-secret", sasl.ScramSha1); err != nil {
		t.Fatalf("login of a user made by ejabberdctl: %v\n%s", err, s.LogTail(20))
	}
	if _, err := s.Ctl("no_such_command"); err == nil {
		t.Errorf("an unknown ejabberdctl command succeeded")
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

// checkTLSVersions checks the TLS version both client ports negotiate.
func checkTLSVersions(t *testing.T, s *Server, want uint16) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", s.Addr(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	tc, _, err := servertest.StartTLS(conn, s.Domain(), s.tlsConfig())
	if err != nil {
		t.Fatalf("starttls: %v", err)
	}
	if v := tc.ConnectionState().Version; v != want {
		t.Errorf("STARTTLS port negotiated %s, want %s", tls.VersionName(v), tls.VersionName(want))
	}
	direct, err := tls.Dial("tcp", s.DirectTLSAddr(), s.tlsConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	if v := direct.ConnectionState().Version; v != want {
		t.Errorf("direct TLS port negotiated %s, want %s", tls.VersionName(v), tls.VersionName(want))
	}
}
