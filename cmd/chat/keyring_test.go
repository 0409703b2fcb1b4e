package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"chat/account"
	"chat/internal/prosodytest"
)

// TestSavePasswordInRealKeyring stores the password in the real OS keyring
// with --save-password, then logs in again with no other source of it.
// It needs a Secret Service, which scripts/test provides (gnome-keyring on
// a private D-Bus session).
func TestSavePasswordInRealKeyring(t *testing.T) {
	if os.Getenv("CHAT_REAL_KEYRING") != "1" {
		t.Skip("set CHAT_REAL_KEYRING=1 with a Secret Service running (scripts/test does)")
	}
	prosodytest.Require(t, srv)
	bin := chatBin(t)
	alice, pass := srv.NewUser(t)
	dir := t.TempDir()
	args := []string{"--config", filepath.Join(dir, "c.toml"), "--data-dir", dir, "--account", alice,
		"--server", srv.Addr(), "--tls-ca", srv.CAFile(), "--headless"}

	first := exec.Command(bin, append(args, "--save-password")...)
	first.Env = append(os.Environ(), "CHAT_PASSWORD="+pass)
	first.Stdin = strings.NewReader("")
	out, err := first.CombinedOutput()
	if err != nil {
		t.Fatalf("first run: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "saved in the OS keyring") {
		t.Fatalf("first run did not save the password:\n%s", out)
	}
	t.Cleanup(func() { _ = account.SystemKeyring().Delete(account.KeyringService, alice) })

	second := exec.Command(bin, append(args, "-c", "/info")...)
	second.Env = withoutEnv(os.Environ(), "CHAT_PASSWORD")
	second.Stdin = strings.NewReader("")
	out, err = second.CombinedOutput()
	if err != nil {
		t.Fatalf("second run: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "password for "+alice+" from keyring") || !strings.Contains(string(out), "connection online") {
		t.Errorf("second run did not log in with the keyring's password:\n%s", out)
	}
	if strings.Contains(string(out), pass) {
		t.Errorf("the password appears in the output")
	}
}

func withoutEnv(env []string, name string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}
