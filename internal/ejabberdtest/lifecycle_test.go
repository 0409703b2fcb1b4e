package ejabberdtest

import (
	"crypto/tls"
	"errors"
	"net"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"mellium.im/sasl"

	"chat/internal/servertest"
)

func TestRestartKeepsUsersAndAddress(t *testing.T) {
	s := Require(t, srv)
	servertest.CheckRestart(t, s)
	if _, err := s.Ctl("status"); err != nil {
		t.Errorf("ejabberdctl after restart: %v", err)
	}
}

func TestKillThenRestart(t *testing.T) { servertest.CheckKillThenRestart(t, Require(t, srv)) }

// TestPlainStorageServer starts a second server storing plain passwords,
// with TLS capped at 1.2, and checks what it offers, and that Stop
// leaves nothing behind.
func TestPlainStorageServer(t *testing.T) {
	Require(t, srv)
	s, err := Start(Options{PasswordFormat: "plain", MaxTLS12: true, Modules: []string{"mod_register"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	checkTLSVersions(t, s, tls.VersionTLS12)
	got := mechanisms(t, s, servertest.TLSConfig(s))
	t.Logf("plain storage offers %v", got)
	for _, want := range []string{"SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"} {
		if !slices.Contains(got, want) {
			t.Errorf("plain storage: %s missing from %v", want, got)
		}
	}
	bare, pass := s.NewUser(t)
	if err := login(s, bare, pass, sasl.ScramSha256); err != nil {
		t.Fatalf("SCRAM-SHA-256 login: %v\n%s", err, s.LogTail(20))
	}
	servertest.CheckStop(t, s)
}

func TestConfigRejectsUnknownPasswordFormat(t *testing.T) {
	if _, err := renderConfig(configParams{opts: Options{PasswordFormat: "md5"}}); err == nil {
		t.Fatal("renderConfig accepted password format md5")
	}
}

func TestListensOnLoopbackOnly(t *testing.T) {
	s := Require(t, srv)
	data, err := os.ReadFile(s.cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, "port:") && !strings.Contains(line, `ip: "127.0.0.1"`) {
			t.Errorf("listener not bound to loopback: %s", line)
		}
	}
	if strings.Contains(string(data), "ejabberd_s2s_in") {
		t.Errorf("config has an s2s listener")
	}
	s.mu.Lock()
	dist := s.distPort
	s.mu.Unlock()
	conn, err := net.DialTimeout("tcp", servertest.HostPort(dist), time.Second)
	if err != nil {
		t.Fatalf("distribution port %d not on loopback: %v", dist, err)
	}
	conn.Close()
}

func TestUnavailableIsErrorsIs(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Start(Options{})
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Start without ejabberd on PATH: %v, want ErrUnavailable", err)
	}
}

func TestLazySkipsWhenUnavailable(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv(RequireEnv, "")
	l := Lazy{quiet: true}
	ok := t.Run("inner", func(t *testing.T) {
		l.Get(t)
		t.Error("Get returned without skipping")
	})
	if !ok {
		t.Errorf("inner test failed instead of skipping")
	}
	if err := l.Stop(); err != nil {
		t.Errorf("Stop of an unstarted Lazy: %v", err)
	}
}

func BenchmarkStart(b *testing.B) {
	Require(b, srv)
	servertest.BenchmarkStartStop(b, func() (*Server, error) { return Start(Options{}) })
}

func BenchmarkRestart(b *testing.B) { servertest.BenchmarkRestart(b, Require(b, srv)) }

func BenchmarkAddUser(b *testing.B) { servertest.BenchmarkNewUser(b, Require(b, srv)) }

func BenchmarkCtl(b *testing.B) {
	s := Require(b, srv)
	for b.Loop() {
		if _, err := s.Ctl("status"); err != nil {
			b.Fatal(err)
		}
	}
}
