package prosodytest

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"chat/internal/servertest"

	"mellium.im/sasl"
)

var srv *Server

func TestMain(m *testing.M) { os.Exit(Main(m, Options{}, &srv)) }

// mechanisms returns the SASL mechanisms offered after STARTTLS.
func mechanisms(t *testing.T, s *Server) []string {
	t.Helper()
	_, f := servertest.AfterStartTLS(t, s, servertest.TLSConfig(s))
	return f.Mechanisms
}

func TestRawStreamOffersRequiredStartTLS(t *testing.T) {
	f := servertest.PlainFeatures(t, Require(t, srv))
	if f.StartTLS == nil || f.StartTLS.Required == nil {
		t.Errorf("starttls not offered as required: %s", f.Inner)
	}
	if slices.Contains(f.Mechanisms, "PLAIN") {
		t.Errorf("PLAIN offered before TLS: %v", f.Mechanisms)
	}
}

func TestCertificateMatchesServer(t *testing.T) { servertest.CheckCertificate(t, Require(t, srv)) }

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

func TestNewUserLogsInWhileRunning(t *testing.T) { servertest.CheckNewUser(t, Require(t, srv)) }

func TestAddUserExistingResetsPassword(t *testing.T) {
	servertest.CheckAddUserResetsPassword(t, Require(t, srv))
}

func TestRestartKeepsUsersAndAddress(t *testing.T) { servertest.CheckRestart(t, Require(t, srv)) }

func TestKillThenRestart(t *testing.T) { servertest.CheckKillThenRestart(t, Require(t, srv)) }

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
	if _, err := servertest.Login(servertest.TLSConfig(s), false, s.Addr(), bare, pass, sasl.ScramSha256); err != nil {
		t.Fatalf("SCRAM-SHA-256 login: %v\n%s", err, s.LogTail(20))
	}
	servertest.CheckStop(t, s)
}

func TestUnavailableIsErrorsIs(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Start(Options{})
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Start without prosody on PATH: %v, want ErrUnavailable", err)
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
	f := servertest.PlainFeatures(t, s)
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

func BenchmarkRestart(b *testing.B) { servertest.BenchmarkRestart(b, Require(b, srv)) }

func BenchmarkStartStop(b *testing.B) {
	Require(b, srv)
	servertest.BenchmarkStartStop(b, func() (*Server, error) { return Start(Options{}) })
}

func BenchmarkAddUser(b *testing.B) { servertest.BenchmarkNewUser(b, Require(b, srv)) }
