package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chat/headless"
	"chat/internal/prosodytest"
)

// runChat runs the binary with a fresh config and data dir, the password
// in $CHAT_PASSWORD and no keyring. It writes stdin, then keeps standard
// input open until a record satisfies until (nil: close at once), and
// returns the JSON records, the exit code and stderr.
func runChat(t *testing.T, bin, user, pass, stdin string, until func(headless.Record) bool, args ...string) ([]headless.Record, int, string) {
	t.Helper()
	dir := t.TempDir()
	base := []string{"--config", filepath.Join(dir, "config.toml"), "--data-dir", dir,
		"--account", user, "--server", srv.Addr(), "--tls-ca", srv.CAFile(), "--headless", "--json"}
	cmd := exec.Command(bin, append(base, args...)...)
	cmd.Env = append(os.Environ(), "CHAT_PASSWORD="+pass, "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() })
	defer timer.Stop()
	io.WriteString(in, stdin)
	if until == nil {
		in.Close()
	}
	var recs []headless.Record
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		var r headless.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Errorf("stdout line is not JSON: %q: %v", sc.Text(), err)
			continue
		}
		recs = append(recs, r)
		if until != nil && until(r) {
			in.Close()
		}
	}
	err = cmd.Wait()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return recs, code, stderr.String()
}

func find(recs []headless.Record, match func(headless.Record) bool) (headless.Record, bool) {
	for _, r := range recs {
		if match(r) {
			return r, true
		}
	}
	return headless.Record{}, false
}

func TestHeadlessJSONSession(t *testing.T) {
	prosodytest.Require(t, srv)
	bin := chatBin(t)
	alice, apass := srv.NewUser(t)
	bob, bpass := srv.NewUser(t)

	// bob sends with -c; alice reads her offline message on login.
	recs, code, stderr := runChat(t, bin, bob, bpass, "", nil, "-c", "/msg "+alice+" hello \u009b31m\u202ealice", "-c", "/quit")
	if code != 0 {
		t.Fatalf("bob exit %d; stderr: %s", code, stderr)
	}
	if _, ok := find(recs, func(r headless.Record) bool { return r.Kind == "message" && r.Outgoing }); !ok {
		t.Fatalf("bob's output has no outgoing message: %+v", recs)
	}
	if !strings.Contains(stderr, "no OS keyring") {
		t.Errorf("stderr does not explain the keyring fallback: %q", stderr)
	}
	if r, ok := find(recs, func(r headless.Record) bool { return strings.Contains(r.Text, "--save-password") }); ok {
		t.Errorf("with no keyring the output still suggests --save-password: %+v", r)
	}

	isIncoming := func(r headless.Record) bool { return r.Kind == "message" && !r.Outgoing }
	recs, code, _ = runChat(t, bin, alice, apass, "/info\n", isIncoming)
	if code != 0 {
		t.Fatalf("alice exit %d", code)
	}
	m, ok := find(recs, isIncoming)
	if !ok {
		t.Fatalf("alice did not get the offline message: %+v", recs)
	}
	if m.Body != "hello \u009b31m\u202ealice" || !m.Delayed || m.Peer != bob {
		t.Errorf("offline message = %+v, want bob's body intact (in JSON), delayed", m)
	}
	if _, ok := find(recs, func(r headless.Record) bool { return r.Kind == "info" && strings.Contains(r.Text, "SASL SCRAM-SHA-") }); !ok {
		t.Error("/info from stdin did not print the SASL mechanism")
	}
}

func TestScriptFileAndTextOutputAreSanitised(t *testing.T) {
	prosodytest.Require(t, srv)
	bin := chatBin(t)
	alice, apass := srv.NewUser(t)
	script := filepath.Join(t.TempDir(), "script")
	// ESC and BEL cannot travel in XML at all (the client strips them);
	// C1 controls and bidi overrides can, and must not reach the terminal.
	os.WriteFile(script, []byte("# a comment\n\n/msg "+alice+" \x1b]52;c;ZXZpbA==\x07\u009d52;c;ZXZpbA==\u009c\u202eevil\n/quit\n"), 0o600)

	cmd := exec.Command(bin, "--config", filepath.Join(t.TempDir(), "c.toml"), "--data-dir", t.TempDir(),
		"--account", alice, "--server", srv.Addr(), "--tls-ca", srv.CAFile(), "--headless", "--script", script)
	cmd.Env = append(os.Environ(), "CHAT_PASSWORD="+apass, "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent")
	cmd.Stdin = strings.NewReader("")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	if bytes.ContainsAny(out, "\x1b\x07") || bytes.ContainsRune(out, 0x9d) || bytes.ContainsRune(out, 0x202e) {
		t.Errorf("text output contains raw escape bytes: %q", out)
	}
	if !bytes.Contains(out, []byte("evil")) {
		t.Errorf("the message text was lost: %q", out)
	}
}

func TestWrongPasswordExitsWithLoginCode(t *testing.T) {
	prosodytest.Require(t, srv)
	bin := chatBin(t)
	alice, _ := srv.NewUser(t)
	recs, code, _ := runChat(t, bin, alice, "wrong", "", nil)
	if code != 3 {
		t.Errorf("exit code %d, want 3", code)
	}
	c, ok := find(recs, func(r headless.Record) bool { return r.Kind == "connection" && r.Fatal })
	if !ok || !strings.Contains(c.Error, "wrong JID or password") {
		t.Errorf("no fatal connection record naming the password: %+v", recs)
	}
}

func TestUntrustedCertificateRefused(t *testing.T) {
	prosodytest.Require(t, srv)
	bin := chatBin(t)
	alice, apass := srv.NewUser(t)
	cmd := exec.Command(bin, "--config", filepath.Join(t.TempDir(), "c.toml"), "--data-dir", t.TempDir(),
		"--account", alice, "--server", srv.Addr(), "--headless")
	cmd.Env = append(os.Environ(), "CHAT_PASSWORD="+apass, "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent")
	cmd.Stdin = strings.NewReader("")
	out, _ := cmd.Output()
	if cmd.ProcessState.ExitCode() != 3 {
		t.Errorf("exit code %d, want 3", cmd.ProcessState.ExitCode())
	}
	if !bytes.Contains(out, []byte(srv.Fingerprint())) {
		t.Errorf("output does not show the fingerprint %s:\n%s", srv.Fingerprint(), out)
	}
}

func TestVersionFlag(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run([]string{"--version"}, strings.NewReader(""), &out, &errs); code != 0 || !strings.HasPrefix(out.String(), "chat ") {
		t.Fatalf("chat --version: exit %d, stdout %q, stderr %q", code, out.String(), errs.String())
	}
}
