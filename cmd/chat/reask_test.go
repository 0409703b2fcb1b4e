package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"chat/internal/prosodytest"
)

// TestWrongPasswordAskedAgainInTmux: in the full-screen UI a wrong typed
// password is asked for again, once, on a clean screen, and the second
// answer logs in (issue 14, item 10).
func TestWrongPasswordAskedAgainInTmux(t *testing.T) {
	prosodytest.Require(t, srv)
	bin := chatBin(t)
	alice, apass := srv.NewUser(t)
	dir := t.TempDir()
	command := fmt.Sprintf("%s --config %s --data-dir %s --account %s --server %s --tls-ca %s",
		bin, filepath.Join(dir, "config.toml"), dir, alice, srv.Addr(), srv.CAFile())
	tm := newTmux(t, 100, 30, []string{"DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent",
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "xdg"), "TERM=screen-256color"}, command)
	prompt := "Password for " + alice + ":"
	tm.waitFor(prompt)
	tm.typ("wrong-" + apass)
	tm.keys("Enter")
	s := tm.waitFor("The server refused that password.")
	if n := strings.Count(s, prompt); n != 1 {
		t.Errorf("the prompt is on the screen %d times:\n%s", n, s)
	}
	tm.typ(apass)
	tm.keys("Enter")
	tm.waitFor(alice + " [online]")
	tm.keys("C-c")
	tm.keys("C-c")
	tm.waitFor("EXIT=")
}
