package account

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// TestSystemKeyringRoundTrip talks to a real Secret Service. Run it with:
//
//	dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; CHAT_REAL_KEYRING=1 go test ./account/ -run SystemKeyring -v'
func TestSystemKeyringRoundTrip(t *testing.T) {
	if os.Getenv("CHAT_REAL_KEYRING") != "1" {
		t.Skip("needs a running Secret Service; set CHAT_REAL_KEYRING=1 (see the comment above this test)")
	}
	kr := SystemKeyring()
	user := fmt.Sprintf("test-%d-%d@example.org", os.Getpid(), time.Now().UnixNano())
	a := Account{JID: user}
	t.Cleanup(func() { kr.Delete(KeyringService, user) })

	if _, err := kr.Get(KeyringService, user); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("Get before Set: err = %v, want keyring.ErrNotFound (IsNoKeyring=%v)", err, IsNoKeyring(err))
	}
	if err := kr.Set(KeyringService, user, "pw-1 ünïcode"); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if got, err := kr.Get(KeyringService, user); err != nil || got != "pw-1 ünïcode" {
		t.Fatalf("Get = %q, %v; want the stored password", got, err)
	}

	var notices []string
	s := &Secrets{
		Keyring: kr,
		Getenv:  func(string) string { return "from-env" },
		Notice:  func(m string) { notices = append(notices, m) },
	}
	if err := s.Save(a, "pw-2"); err != nil {
		t.Fatalf("Secrets.Save: %v", err)
	}
	pw, src, err := s.Password(context.Background(), a)
	if err != nil || pw != "pw-2" || src != SourceKeyring {
		t.Fatalf("Password = %q, %q, %v; want pw-2 from keyring", pw, src, err)
	}
	if err := s.Forget(a); err != nil {
		t.Fatalf("Forget: %v", err)
	}
	if err := s.Forget(a); !errors.Is(err, ErrNotStored) {
		t.Errorf("Forget again: err = %v, want ErrNotStored", err)
	}
	pw, src, err = s.Password(context.Background(), a)
	if err != nil || pw != "from-env" || src != SourceEnv {
		t.Errorf("after Forget: Password = %q, %q, %v; want env fallback", pw, src, err)
	}
	if len(notices) != 0 {
		t.Errorf("working keyring gave notices %q", notices)
	}
}

// The no-bus checks run in a child process: godbus keeps one shared session
// bus connection per process (and may os.Setenv the address it found), so
// once any test has reached a real bus, changing the environment in this
// process proves nothing.
const childEnv = "CHAT_KEYRING_CHILD"

// runChild re-runs this test binary for test name with env changed.
func runChild(t *testing.T, name string, env map[string]string) {
	t.Helper()
	var kept []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if _, drop := env[k]; !drop {
			kept = append(kept, kv)
		}
	}
	for k, v := range env {
		if v != "\x00unset" {
			kept = append(kept, k+"="+v)
		}
	}
	kept = append(kept, childEnv+"=1")
	cmd := exec.Command(os.Args[0], "-test.run=^"+name+"$", "-test.v")
	cmd.Env = kept
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+name) {
		t.Fatalf("child %s: %v\n%s", name, err, out)
	}
	t.Logf("child output:\n%s", out)
}

func TestSystemKeyringWithoutBus(t *testing.T) {
	runChild(t, "TestChildNoBusAtAddress", map[string]string{
		"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent",
		"PATH":                     t.TempDir(), // no dbus-launch
	})
}

func TestSystemKeyringWithoutBusAddress(t *testing.T) {
	run := filepath.Join("/run/user", strconv.Itoa(os.Getuid()))
	if _, err := os.Stat(filepath.Join(run, "bus")); err == nil {
		t.Skipf("%s/bus exists: godbus would find that bus, so 'no address' cannot be staged here", run)
	}
	if _, err := os.Stat(filepath.Join(run, "dbus-session")); err == nil {
		t.Skipf("%s/dbus-session exists: godbus would find that bus", run)
	}
	runChild(t, "TestChildNoBusAddress", map[string]string{
		"DBUS_SESSION_BUS_ADDRESS": "\x00unset",
		"PATH":                     t.TempDir(),
	})
}

// TestChildNoBusAtAddress: the address names a socket that does not exist.
func TestChildNoBusAtAddress(t *testing.T) {
	if os.Getenv(childEnv) != "1" {
		t.Skip("runs only as a child of TestSystemKeyringWithoutBus")
	}
	_, raw := keyring.Get(KeyringService, "nobody@example.org")
	t.Logf("raw go-keyring error: %v (%T)", raw, raw)
	if raw == nil || errors.Is(raw, keyring.ErrNotFound) || !IsNoKeyring(raw) {
		t.Fatalf("raw go-keyring error %v: want one IsNoKeyring recognises", raw)
	}
	checkFallback(t)
}

// TestChildNoBusAddress: no address at all and no dbus-launch on PATH.
func TestChildNoBusAddress(t *testing.T) {
	if os.Getenv(childEnv) != "1" {
		t.Skip("runs only as a child of TestSystemKeyringWithoutBusAddress")
	}
	_, raw := keyring.Get(KeyringService, "nobody@example.org")
	t.Logf("raw go-keyring error: %v (%T)", raw, raw)
	if !errors.Is(raw, exec.ErrNotFound) || !IsNoKeyring(raw) {
		t.Fatalf("raw go-keyring error %v: want dbus-launch not found, recognised by IsNoKeyring", raw)
	}
	_, err := SystemKeyring().Get(KeyringService, "nobody@example.org")
	if !errors.Is(err, ErrNoKeyring) || !strings.Contains(err.Error(), "DBUS_SESSION_BUS_ADDRESS") {
		t.Errorf("SystemKeyring without an address: err = %v, want ErrNoKeyring naming the variable", err)
	}
	checkFallback(t)
}

// checkFallback asserts Password falls back to $CHAT_PASSWORD with one notice.
func checkFallback(t *testing.T) {
	t.Helper()
	_, err := SystemKeyring().Get(KeyringService, "nobody@example.org")
	if !errors.Is(err, ErrNoKeyring) {
		t.Errorf("SystemKeyring().Get: err = %v, want ErrNoKeyring", err)
	}
	var notices []string
	s := &Secrets{
		Keyring: SystemKeyring(),
		Getenv:  func(k string) string { return map[string]string{"CHAT_PASSWORD": "env-pw"}[k] },
		Notice:  func(m string) { notices = append(notices, m) },
	}
	for range 2 {
		pw, src, err := s.Password(context.Background(), Account{JID: "nobody@example.org"})
		if err != nil || pw != "env-pw" || src != SourceEnv {
			t.Fatalf("Password = %q, %q, %v; want env-pw from CHAT_PASSWORD", pw, src, err)
		}
	}
	if len(notices) != 1 || !strings.Contains(notices[0], "no OS keyring available") {
		t.Errorf("notices = %q, want exactly one about the missing keyring", notices)
	}
	t.Logf("notice: %s", notices[0])
	if err := s.Save(Account{JID: "nobody@example.org"}, "x"); !IsNoKeyring(err) {
		t.Errorf("Save: err = %v, want IsNoKeyring", err)
	}
}
