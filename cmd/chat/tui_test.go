package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chat/internal/prosodytest"
	"chat/internal/servertest"
)

// tmux drives a program in a detached tmux session on a private server, the
// way a person would: keys in, the screen's text out.
type tmux struct {
	t    testing.TB
	sock string
}

// newTmux starts command in a width×height tmux session with env. When
// tmux is missing or will not start, t is skipped, or failed when
// CHAT_REQUIRE_PEERS=1 (as scripts/test sets it).
func newTmux(t testing.TB, width, height int, env []string, command string) *tmux {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		servertest.NeedPeer(t, "tmux", "apt-get install tmux", err)
		return nil
	}
	tm := &tmux{t: t, sock: filepath.Join(t.TempDir(), "tmux.sock")}
	args := []string{"new-session", "-d", "-s", "chat", "-x", fmt.Sprint(width), "-y", fmt.Sprint(height)}
	for _, e := range env {
		args = append(args, "-e", e)
	}
	// Keep the pane after the program ends, to read its exit status.
	args = append(args, "sh", "-c", command+`; echo "EXIT=$?"; sleep 600`)
	t.Cleanup(func() { exec.Command("tmux", "-S", tm.sock, "kill-server").Run() })
	if out, err := tm.command(args...).CombinedOutput(); err != nil {
		servertest.NeedPeer(t, "tmux", "apt-get install tmux", fmt.Errorf("start a session: %v: %s", err, out))
		return nil
	}
	return tm
}

func (tm *tmux) command(args ...string) *exec.Cmd {
	return exec.Command("tmux", append([]string{"-S", tm.sock, "-f", "/dev/null"}, args...)...)
}

func (tm *tmux) run(args ...string) string {
	tm.t.Helper()
	out, err := tm.command(args...).CombinedOutput()
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
	prosodytest.Require(t, srv)
	bin := chatBin(t)
	alice, apass := srv.NewUser(t)
	bob, bpass := srv.NewUser(t)
	dir := t.TempDir()
	command := fmt.Sprintf("%s --config %s --data-dir %s --account %s --server %s --tls-ca %s",
		bin, filepath.Join(dir, "config.toml"), dir, alice, srv.Addr(), srv.CAFile())
	tm := newTmux(t, 100, 30, []string{"CHAT_PASSWORD=" + apass, "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent",
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "xdg"), "TERM=screen-256color"}, command)

	s := tm.waitFor(": online as ")
	if !strings.Contains(s, "1 console") || !strings.Contains(s, alice+": connecting") {
		t.Errorf("console missing:\n%s", s)
	}
	tm.waitFor(alice + " [online] TLS 1.3") // the status bar: our presence and the link's encryption
	tm.typ("/status dnd in a meeting")
	tm.keys("Enter")
	tm.waitFor(alice + " [dnd] in a meeting TLS 1.3")

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

// TestTmuxMissingOrBrokenFailsWhenRequired: with CHAT_REQUIRE_PEERS=1 a
// tmux that is not installed, or one that cannot start a session, fails
// the test instead of skipping it; without the variable both skip.
func TestTmuxMissingOrBrokenFailsWhenRequired(t *testing.T) {
	broken := t.TempDir()
	if err := os.WriteFile(filepath.Join(broken, "tmux"), []byte("#!/bin/sh\necho no terminal >&2\nexit 1\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{t.TempDir(), broken + ":" + os.Getenv("PATH")} {
		t.Setenv("PATH", path)
		for _, required := range []string{"", "1"} {
			t.Setenv(servertest.PeersEnv, required)
			got := servertest.Observe(t, func(tb testing.TB) { newTmux(tb, 80, 24, nil, "true") })
			if got.Failed != (required == "1") || got.Skipped == (required == "1") {
				t.Errorf("PATH=%s %s=%q: %+v, want a failure only when required", path, servertest.PeersEnv, required, got)
			}
		}
	}
}
