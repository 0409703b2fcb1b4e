package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tmux drives a program in a detached tmux session on a private server, the
// way a person would: keys in, the screen's text out.
type tmux struct {
	t    *testing.T
	sock string
}

func newTmux(t *testing.T, width, height int, env []string, command string) *tmux {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (scripts/test installs it)")
	}
	tm := &tmux{t: t, sock: filepath.Join(t.TempDir(), "tmux.sock")}
	args := []string{"new-session", "-d", "-s", "chat", "-x", fmt.Sprint(width), "-y", fmt.Sprint(height)}
	for _, e := range env {
		args = append(args, "-e", e)
	}
	// Keep the pane after the program ends, to read its exit status.
	tm.run(append(args, "sh", "-c", command+`; echo "EXIT=$?"; sleep 600`)...)
	t.Cleanup(func() { exec.Command("tmux", "-S", tm.sock, "kill-server").Run() })
	return tm
}

func (tm *tmux) run(args ...string) string {
	tm.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", tm.sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (tm *tmux) screen() string { return tm.run("capture-pane", "-p", "-t", "chat") }

// keys types text literally; named keys (Enter, M-2, C-c) go through keys.
func (tm *tmux) typ(text string) { tm.run("send-keys", "-t", "chat", "-l", text) }
func (tm *tmux) keys(names ...string) {
	tm.run(append([]string{"send-keys", "-t", "chat"}, names...)...)
}

// waitFor waits until the screen shows want; the deadline only guards
// against a hang.
func (tm *tmux) waitFor(want string) string {
	tm.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		s := tm.screen()
		if strings.Contains(s, want) {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("timed out waiting for %q; screen:\n%s", want, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestTUIInTmux(t *testing.T) {
	if srv == nil {
		t.Skip("Prosody could not be started")
	}
	bin := buildChat(t)
	alice, apass := srv.NewUser(t)
	bob, bpass := srv.NewUser(t)
	dir := t.TempDir()
	command := fmt.Sprintf("%s --config %s --data-dir %s --account %s --server %s --tls-ca %s",
		bin, filepath.Join(dir, "config.toml"), dir, alice, srv.Addr(), srv.CAFile())
	tm := newTmux(t, 100, 30, []string{"CHAT_PASSWORD=" + apass, "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent",
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "xdg"), "TERM=screen-256color"}, command)

	s := tm.waitFor(": online as ")
	if !strings.Contains(s, "1 console") || !strings.Contains(s, alice+" online") || !strings.Contains(s, alice+": connecting") {
		t.Errorf("console or status bar missing:\n%s", s)
	}

	tm.typ("/msg " + bob + " hello from the tui")
	tm.keys("Enter")
	s = tm.waitFor("<" + localpart(alice) + "> hello from the tui")
	if !strings.Contains(s, "2 "+bob) {
		t.Errorf("the message is not in bob's buffer:\n%s", s)
	}
	// Alt+Enter (ESC CR through tmux) starts a new line of the same message.
	tm.typ("line one")
	tm.keys("M-Enter")
	tm.typ("line two")
	tm.keys("Enter")
	s = tm.waitFor(localpart(alice) + "> line one")
	if !strings.Contains(s, "\n      line two") {
		t.Errorf("the second line is not part of the message:\n%s", s)
	}

	// A second client, headless, answers.
	_, code, stderr := runChat(t, bin, bob, bpass, "", nil, "-c", "/msg "+alice+" hi from headless [red]x", "-c", "/quit")
	if code != 0 {
		t.Fatalf("headless bob exit %d: %s", code, stderr)
	}
	tm.waitFor("<" + localpart(bob) + "> hi from headless [red]x")

	tm.keys("M-1")
	tm.waitFor("1 console")
	tm.typ("/help keys")
	tm.keys("Enter")
	tm.waitFor("next_buffer")

	tm.keys("C-c")
	tm.waitFor("press Ctrl+C again to quit")
	tm.keys("C-c")
	tm.waitFor("EXIT=0")
}

func localpart(j string) string { return j[:strings.IndexByte(j, '@')] }

func TestMain_TUIIsTheDefaultOnlyOnATerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if useTUI(flags{}, f) {
		t.Error("a file is not a terminal")
	}
}
