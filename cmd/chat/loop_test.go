package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"chat/headless"
	"chat/history"
)

// localRun is `chat --local --headless --json` running with its standard
// input held open, and its records as they come.
type localRun struct {
	t       *testing.T
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	records chan headless.Record
	seen    []string
}

func startLocalChat(t *testing.T, bin, dir string, args ...string) *localRun {
	t.Helper()
	base := []string{"--local", "--headless", "--json", "--data-dir", dir, "--config", filepath.Join(dir, "none.toml")}
	cmd := exec.Command(bin, append(base, args...)...)
	cmd.Env = append(withoutEnv(os.Environ(), "CHAT_PASSWORD"), "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := &localRun{t: t, cmd: cmd, stdin: in, records: make(chan headless.Record, 1024)}
	t.Cleanup(func() {
		in.Close()
		cmd.Process.Kill()
		cmd.Wait()
	})
	go func() {
		defer close(r.records)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			var rec headless.Record
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
				t.Errorf("not JSON: %q", sc.Text())
				continue
			}
			r.records <- rec
		}
	}()
	return r
}

// expect waits for a record that ok accepts; the deadline only guards
// against a hang.
func (r *localRun) expect(what string, ok func(headless.Record) bool) {
	r.t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case rec, more := <-r.records:
			if !more {
				r.t.Fatalf("chat ended before %s:\n%s", what, strings.Join(r.seen, "\n"))
			}
			r.seen = append(r.seen, rec.Kind+" "+rec.State+rec.Body+rec.Text)
			if ok(rec) {
				return
			}
		case <-deadline:
			r.t.Fatalf("timed out waiting for %s:\n%s", what, strings.Join(r.seen, "\n"))
		}
	}
}

// exit waits for the program to end by itself and returns its exit code.
func (r *localRun) exit() int {
	r.t.Helper()
	for range r.records { // read to the end, so that it is not held up writing
	}
	done := make(chan error, 1)
	go func() { done <- r.cmd.Wait() }()
	select {
	case err := <-done:
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode()
		}
		if err != nil {
			r.t.Fatal(err)
		}
		return 0
	case <-time.After(30 * time.Second):
		r.t.Fatalf("chat did not exit:\n%s", strings.Join(r.seen, "\n"))
		return -1
	}
}

func rosterScript(t *testing.T, n int, quit bool) string {
	t.Helper()
	var b strings.Builder
	for range n {
		b.WriteString("/roster\n")
	}
	if quit {
		b.WriteString("/quit\n")
	}
	path := filepath.Join(t.TempDir(), "script.txt")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func isRosterListing(rec headless.Record) bool {
	return rec.Kind == "info" && strings.HasPrefix(rec.Text, "roster of me@localhost")
}

// TestLongScriptExitsByItself is issue 9's reproduction: a script longer
// than any input queue, ending in /quit, with standard input left open.
// The script's lines used to be pushed into a 64-line channel before the
// loop started, so the program hung there for good.
func TestLongScriptExitsByItself(t *testing.T) {
	bin := chatBin(t)
	r := startLocalChat(t, bin, t.TempDir(), "--script", rosterScript(t, 70, true))
	for i := range 70 {
		r.expect(fmt.Sprintf("roster listing %d", i+1), isRosterListing)
	}
	if code := r.exit(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
}

// TestSIGTERMEndsScriptMode sends SIGTERM while a long script's program
// waits on standard input: it ends, with its exit code 0.
func TestSIGTERMEndsScriptMode(t *testing.T) {
	bin := chatBin(t)
	r := startLocalChat(t, bin, t.TempDir(), "--script", rosterScript(t, 70, false))
	for i := range 70 {
		r.expect(fmt.Sprintf("roster listing %d", i+1), isRosterListing)
	}
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := r.exit(); code != 0 {
		t.Errorf("exit code %d after SIGTERM, want 0", code)
	}
}

// TestSIGTERMSavesHistoryHeadless talks to the echo bot, then sends
// SIGTERM: the program ends and both messages are in the history.
func TestSIGTERMSavesHistoryHeadless(t *testing.T) {
	bin := chatBin(t)
	dir := t.TempDir()
	r := startLocalChat(t, bin, dir)
	io.WriteString(r.stdin, "/msg echo@localhost before the signal\n")
	r.expect("the echo", func(rec headless.Record) bool {
		return rec.Kind == "message" && !rec.Outgoing && rec.Body == "echo: before the signal"
	})
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := r.exit(); code != 0 {
		t.Errorf("exit code %d after SIGTERM, want 0", code)
	}
	wantHistory(t, dir, "before the signal", "echo: before the signal")
}

// wantHistory checks that the --local history in dir holds bodies, in
// that order, as the conversation with the echo bot.
func wantHistory(t *testing.T, dir string, bodies ...string) {
	t.Helper()
	store, err := history.Open(filepath.Join(dir, "local", "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	msgs, err := store.Last(context.Background(), "me@localhost", "echo@localhost", 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range msgs {
		got = append(got, m.Body)
	}
	if strings.Join(got, "|") != strings.Join(bodies, "|") {
		t.Errorf("history = %q, want %q", got, bodies)
	}
}

// TestSIGTERMSavesHistoryTUI does the same on the full screen in tmux.
func TestSIGTERMSavesHistoryTUI(t *testing.T) {
	bin := chatBin(t)
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "pid")
	command := fmt.Sprintf("echo $$ > %s; exec %s --local --data-dir %s --config %s", pidFile, bin, dir, filepath.Join(dir, "none.toml"))
	tm := newTmux(t, 100, 30, []string{"DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent",
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "xdg"), "TERM=screen-256color"}, "sh -c '"+command+"'")
	tm.waitFor(": online as ")
	tm.typ("/msg echo@localhost typed on the screen")
	tm.keys("Enter")
	tm.waitFor("echo: typed on the screen")
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	var pid int
	if _, err := fmt.Sscan(string(data), &pid); err != nil {
		t.Fatalf("pid file %q: %v", data, err)
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	tm.waitFor("EXIT=0")
	wantHistory(t, dir, "typed on the screen", "echo: typed on the screen")
}

// TestSIGTERMWhilePasswordCommandWaits: a password_command that waits
// (reading a fifo nobody writes) does not keep SIGTERM from ending the
// program: the lookup runs on a worker whose context the signal ends.
// The lookup used to run on the loop before it watched the signal.
func TestSIGTERMWhilePasswordCommandWaits(t *testing.T) {
	bin := chatBin(t)
	dir := t.TempDir()
	password, started := filepath.Join(dir, "password"), filepath.Join(dir, "started")
	for _, f := range []string{password, started} {
		if err := syscall.Mkfifo(f, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg := filepath.Join(dir, "config.toml")
	conf := fmt.Sprintf("[[account]]\njid = \"me@example.org\"\nserver = \"127.0.0.1:1\"\npassword_command = \"echo > %s; cat %s\"\n", started, password)
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--config", cfg, "--data-dir", dir, "--headless", "--json")
	cmd.Env = append(withoutEnv(os.Environ(), "CHAT_PASSWORD"), "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	guard := time.AfterFunc(60*time.Second, func() { // a hang guard: end chat, and the read below
		cmd.Process.Kill()
		if f, err := os.OpenFile(started, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
	defer guard.Stop()
	if _, err := os.ReadFile(started); err != nil { // returns once the password_command runs
		t.Fatal(err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(15 * time.Second): // a hang guard: the command's own limit is 30 s
		t.Fatal("SIGTERM did not end chat while its password_command waited")
	}
}
