package servertest

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"chat/internal/certs"

	"mellium.im/sasl"
)

// CheckCertificate checks that s serves the certificate it names, signed
// by its CA for localhost and the loopback addresses.
func CheckCertificate(t *testing.T, s Server) {
	conn, err := tls.Dial("tcp", s.DirectTLSAddr(), TLSConfig(s))
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
		if _, err := leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: s.CertPool()}); err != nil {
			t.Errorf("verify for %s: %v", name, err)
		}
	}
	if _, err := os.Stat(s.CAFile()); err != nil {
		t.Errorf("CA file: %v", err)
	}
}

// CheckNewUser checks that a fresh account logs in at once with
// SCRAM-SHA-1 and PLAIN, over STARTTLS and direct TLS, binding a resource,
// that a wrong password is refused and that no two accounts are the same.
func CheckNewUser(t *testing.T, s Server) {
	bare, pass := s.NewUser(t)
	for _, m := range []sasl.Mechanism{sasl.ScramSha1, sasl.Plain} {
		full, err := Login(TLSConfig(s), false, s.Addr(), bare, pass, m)
		if err != nil {
			t.Fatalf("login with %s: %v\n%s", m.Name, err, s.LogTail(20))
		}
		if full.Bare().String() != bare || full.Resourcepart() == "" {
			t.Errorf("bound %s, want a full JID of %s", full, bare)
		}
	}
	if err := login(s, bare, pass+"x", sasl.ScramSha1); err == nil {
		t.Errorf("login with a wrong password succeeded")
	}
	if _, err := Login(TLSConfig(s), true, s.DirectTLSAddr(), bare, pass, sasl.ScramSha1, sasl.Plain); err != nil {
		t.Errorf("direct TLS login: %v\n%s", err, s.LogTail(20))
	}
	if other, _ := s.NewUser(t); other == bare {
		t.Errorf("NewUser returned %s twice", bare)
	}
}

// CheckAddUserResetsPassword checks that AddUser on an existing account
// sets its new password.
func CheckAddUserResetsPassword(t *testing.T, s Server) {
	bare, oldPass := s.NewUser(t)
	if err := s.AddUser(strings.Split(bare, "@")[0], "new-secret"); err != nil {
		t.Fatal(err)
	}
	if err := login(s, bare, oldPass, sasl.ScramSha1); err == nil {
		t.Errorf("old password still works after AddUser on an existing user")
	}
	if err := login(s, bare, "new-secret", sasl.ScramSha1); err != nil {
		t.Errorf("new password: %v", err)
	}
}

// CheckRestart checks that Restart keeps the address and the accounts.
func CheckRestart(t *testing.T, s Server) {
	bare, pass := s.NewUser(t)
	addr := s.Addr()
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	if s.Addr() != addr {
		t.Errorf("address changed from %s to %s", addr, s.Addr())
	}
	if err := login(s, bare, pass, sasl.ScramSha1); err != nil {
		t.Fatalf("login after restart: %v\n%s", err, s.LogTail(20))
	}
}

// CheckKillThenRestart kills the server and brings it back on the same
// data. A server may buffer writes (ejabberd's Mnesia does), so Kill may
// lose the last changes as a real crash would: the account is flushed by
// a graceful Restart first.
func CheckKillThenRestart(t *testing.T, s Server) {
	bare, pass := s.NewUser(t)
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	s.Kill()
	if s.Running() {
		t.Errorf("Running after Kill")
	}
	if conn, err := net.DialTimeout("tcp", s.Addr(), time.Second); err == nil {
		conn.Close()
		t.Fatalf("server still accepts connections after Kill")
	}
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	if err := login(s, bare, pass, sasl.ScramSha1); err != nil {
		t.Fatalf("login after kill and restart: %v\n%s", err, s.LogTail(20))
	}
}

// CheckStop stops s and checks that no process or temp folder is left and
// that a second Stop is harmless.
func CheckStop(t *testing.T, s Server) {
	pid, dir := s.Pid(), s.Dir()
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temp dir still there after Stop: %v", err)
	}
	if runtime.GOOS == "linux" && alive(pid) {
		t.Errorf("server pid %d still exists after Stop", pid)
	}
	if err := s.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
}
