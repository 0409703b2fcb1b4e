package ejabberdtest

import (
	"crypto/tls"
	"os"
	"slices"
	"strings"
	"testing"

	"mellium.im/sasl"

	"chat/internal/servertest"
)

var srv *Server

func TestMain(m *testing.M) { os.Exit(Main(m, Options{}, &srv)) }

// login opens a client session (STARTTLS, or direct TLS) with s's CA and
// binds a resource, then closes it.
func login(s *Server, bare, pass string, mechs ...sasl.Mechanism) error {
	_, err := servertest.Login(servertest.TLSConfig(s), false, s.Addr(), bare, pass, mechs...)
	return err
}

// mechanisms returns the SASL mechanisms offered after STARTTLS.
func mechanisms(t *testing.T, s *Server, cfg *tls.Config) []string {
	t.Helper()
	_, f := servertest.AfterStartTLS(t, s, cfg)
	return f.Mechanisms
}

func TestRawStreamOffersRequiredStartTLS(t *testing.T) {
	f := servertest.PlainFeatures(t, Require(t, srv))
	if f.StartTLS == nil || f.StartTLS.Required == nil {
		t.Errorf("starttls not offered as required: %s", f.Inner)
	}
	if len(f.Mechanisms) != 0 {
		t.Errorf("SASL offered before TLS: %v", f.Mechanisms)
	}
}

func TestCertificateMatchesServer(t *testing.T) { servertest.CheckCertificate(t, Require(t, srv)) }

// TestScramMechanisms records what ejabberd offers with SCRAM-stored
// passwords: SCRAM-SHA-1 with channel binding, whatever the TLS version.
func TestScramMechanisms(t *testing.T) {
	s := Require(t, srv)
	checkTLSVersions(t, s, tls.VersionTLS13)
	for _, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		cfg := servertest.TLSConfig(s)
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

func TestNewUserLogsInWhileRunning(t *testing.T) { servertest.CheckNewUser(t, Require(t, srv)) }

func TestAddUserExistingResetsPassword(t *testing.T) {
	servertest.CheckAddUserResetsPassword(t, Require(t, srv))
}

// TestChannelBindingTLS12 logs in with SCRAM-SHA-1-PLUS (tls-unique) on a
// TLS 1.2 stream, which ejabberd 23.01 supports.
func TestChannelBindingTLS12(t *testing.T) {
	s := Require(t, srv)
	bare, pass := s.NewUser(t)
	cfg := servertest.TLSConfig(s)
	cfg.MaxVersion = tls.VersionTLS12
	if _, err := servertest.Login(cfg, false, s.Addr(), bare, pass, sasl.ScramSha1Plus); err != nil {
		t.Fatalf("SCRAM-SHA-1-PLUS over TLS 1.2: %v\n%s", err, s.LogTail(20))
	}
}

func TestCtlListsNewUsers(t *testing.T) {
	s := Require(t, srv)
	a, _ := s.NewUser(t)
	b, _ := s.NewUser(t)
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
	if err := login(s, user+"@"+s.Domain(), "ctl-secret", sasl.ScramSha1); err != nil {
		t.Fatalf("login of a user made by ejabberdctl: %v\n%s", err, s.LogTail(20))
	}
	if _, err := s.Ctl("no_such_command"); err == nil {
		t.Errorf("an unknown ejabberdctl command succeeded")
	}
}

// checkTLSVersions checks the TLS version both client ports negotiate.
func checkTLSVersions(t *testing.T, s *Server, want uint16) {
	t.Helper()
	tc, _ := servertest.AfterStartTLS(t, s, servertest.TLSConfig(s))
	if v := tc.ConnectionState().Version; v != want {
		t.Errorf("STARTTLS port negotiated %s, want %s", tls.VersionName(v), tls.VersionName(want))
	}
	direct, err := tls.Dial("tcp", s.DirectTLSAddr(), servertest.TLSConfig(s))
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	if v := direct.ConnectionState().Version; v != want {
		t.Errorf("direct TLS port negotiated %s, want %s", tls.VersionName(v), tls.VersionName(want))
	}
}
