package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"chat/server/store"
)

// lockedBuffer is a bytes.Buffer safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// serveRun is one `chat serve` running in the test.
type serveRun struct {
	fingerprint string
	stderr      *lockedBuffer
	stop        func() int // stops it and returns its exit code
}

// startServe runs `chat serve` with args on a free loopback port until
// it has printed its fingerprint; the environment has no users variable
// and no terminal.
func startServe(t *testing.T, args ...string) serveRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	stderr := &lockedBuffer{}
	env := serveEnv{stdout: pw, stderr: stderr, getenv: func(string) string { return "" },
		prompt: func(string) (string, error) { return "", errors.New("no terminal in tests") }}
	code := make(chan int, 1)
	go func() {
		code <- serve(ctx, append([]string{"--listen", "127.0.0.1:0"}, args...), env)
		pw.Close()
	}()
	fp := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if f, ok := strings.CutPrefix(sc.Text(), "certificate SHA-256 "); ok {
				fp <- f
			}
		}
		close(fp)
	}()
	run := serveRun{stderr: stderr, stop: func() int { cancel(); return <-code }}
	f, ok := <-fp
	if !ok {
		t.Fatalf("chat serve exited with %d before printing a fingerprint:\n%s", <-code, stderr)
	}
	run.fingerprint = f
	t.Cleanup(func() { cancel() })
	return run
}

// TestServeKeepsCertificate: two starts with the same data dir print the
// same fingerprint, so a client that pinned it still connects after a
// restart; another domain gets a new certificate and says so. The data dir
// ends up 0700 and what it holds 0600.
func TestServeKeepsCertificate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "server")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	first := startServe(t, "--data-dir", dir)
	if code := first.stop(); code != 0 {
		t.Fatalf("first run exited with %d:\n%s", code, first.stderr)
	}
	if !strings.Contains(first.stderr.String(), "new certificate") {
		t.Errorf("first run did not say it made a certificate:\n%s", first.stderr)
	}
	second := startServe(t, "--data-dir", dir)
	if code := second.stop(); code != 0 {
		t.Fatalf("second run exited with %d:\n%s", code, second.stderr)
	}
	if second.fingerprint != first.fingerprint {
		t.Fatalf("fingerprint changed across restarts: %s, then %s", first.fingerprint, second.fingerprint)
	}
	if strings.Contains(second.stderr.String(), "new certificate") {
		t.Errorf("second run made a new certificate:\n%s", second.stderr)
	}
	other := startServe(t, "--data-dir", dir, "--domain", "other.example")
	other.stop()
	if other.fingerprint == first.fingerprint || !strings.Contains(other.stderr.String(), "not for other.example") {
		t.Errorf("a certificate for localhost was served for other.example:\n%s", other.stderr)
	}
	wantPerm(t, dir, 0o700)
	for _, f := range []string{"cert.pem", "key.pem", "server.db"} {
		wantPerm(t, filepath.Join(dir, f), 0o600)
	}
}

// TestServeOwnCertificate: --cert and --key serve the given pair.
func TestServeOwnCertificate(t *testing.T) {
	kept := t.TempDir()
	first := startServe(t, "--data-dir", kept)
	first.stop()
	run := startServe(t, "--data-dir", t.TempDir(),
		"--cert", filepath.Join(kept, "cert.pem"), "--key", filepath.Join(kept, "key.pem"))
	run.stop()
	if run.fingerprint != first.fingerprint {
		t.Fatalf("--cert not served: %s, want %s", run.fingerprint, first.fingerprint)
	}
}

// TestServeUsersFile: the users of --users-file are created, and a file
// others can read is refused.
func TestServeUsersFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(t.TempDir(), "users")
	if err := os.WriteFile(file, []byte("# accounts\nalice:s3cret: with colon\n\nbob:pw\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stderr := &lockedBuffer{}
	env := serveEnv{stdout: io.Discard, stderr: stderr, getenv: func(string) string { return "" }}
	if code := serve(context.Background(), []string{"--listen", "127.0.0.1:0", "--data-dir", dir, "--users-file", file}, env); code == 0 || !strings.Contains(stderr.String(), "chmod 600") {
		t.Fatalf("a users file readable by others was accepted (exit %d):\n%s", code, stderr)
	}
	if err := os.Chmod(file, 0o600); err != nil {
		t.Fatal(err)
	}
	run := startServe(t, "--data-dir", dir, "--users-file", file)
	if code := run.stop(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, run.stderr)
	}
	st, err := store.Open(filepath.Join(dir, "server.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, u := range []string{"alice@localhost", "bob@localhost"} {
		if _, _, _, err := st.SaltedCredentials(context.Background(), u, "SCRAM-SHA-256"); err != nil {
			t.Errorf("%s not created: %v", u, err)
		}
	}
}

// TestServeUserPasswords: --user NAME takes its password from the users
// variable or a prompt; NAME:PASSWORD still works but warns.
func TestServeUserPasswords(t *testing.T) {
	var prompted []string
	stderr := &lockedBuffer{}
	env := serveEnv{stderr: stderr,
		getenv: func(k string) string {
			if k == usersEnv {
				return "carol:from-env\n"
			}
			return ""
		},
		prompt: func(p string) (string, error) { prompted = append(prompted, p); return "typed", nil },
	}
	f, err := parseServeFlags([]string{"--user", "alice", "--user", "carol", "--user", "bob:on-the-line"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	users, err := serveUsers(f, env)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"alice": "typed", "carol": "from-env", "bob": "on-the-line"}
	for k, v := range want {
		if users[k] != v {
			t.Errorf("password of %s = %q, want %q", k, users[k], v)
		}
	}
	if len(prompted) != 1 || !strings.Contains(prompted[0], "alice") {
		t.Errorf("prompts %q, want one for alice", prompted)
	}
	if w := stderr.String(); !strings.Contains(w, "warning") || !strings.Contains(w, "bob") || strings.Contains(w, "on-the-line") {
		t.Errorf("warning for a password on the command line: %q", w)
	}

	env.prompt = func(string) (string, error) { return "", errors.New("no terminal") }
	f, _ = parseServeFlags([]string{"--user", "dave"}, io.Discard)
	if _, err := serveUsers(f, env); err == nil || !strings.Contains(err.Error(), "--users-file") {
		t.Errorf("no terminal for dave's password: err %v, want one pointing to --users-file", err)
	}
}

func wantPerm(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s: mode %#o, want %#o", filepath.Base(path), got, want)
	}
}
