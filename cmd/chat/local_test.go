package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chat/headless"
)

// TestLocalModeNeedsNoAccount runs `chat --local` as a new user would: no
// config, no password, and someone (the echo bot) to talk to.
func TestLocalModeNeedsNoAccount(t *testing.T) {
	bin := chatBin(t)
	dir := t.TempDir()
	cmd := exec.Command(bin, "--local", "--headless", "--json", "--data-dir", dir, "--config", filepath.Join(dir, "none.toml"))
	cmd.Env = append(withoutEnv(os.Environ(), "CHAT_PASSWORD"), "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent")
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() })
	defer timer.Stop()
	io.WriteString(in, "/msg echo@localhost hello local\n")
	sc := bufio.NewScanner(out)
	var got []string
	echoed := false
	for sc.Scan() {
		var r headless.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("not JSON: %q", sc.Text())
		}
		got = append(got, r.Kind+" "+r.Body+r.Text+r.State+r.Mechanism)
		if r.Kind == "message" && !r.Outgoing && r.Body == "echo: hello local" {
			echoed = true
			in.Close()
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("chat --local: %v\n%s", err, strings.Join(got, "\n"))
	}
	if !echoed {
		t.Fatalf("no answer from the echo bot:\n%s", strings.Join(got, "\n"))
	}
	if !strings.Contains(strings.Join(got, "\n"), "connection onlineSCRAM-SHA-256") {
		t.Errorf("local login did not use SCRAM-SHA-256:\n%s", strings.Join(got, "\n"))
	}
}

// TestServeWithTwoClients runs `chat serve` alone and two headless clients
// that talk through it.
func TestServeWithTwoClients(t *testing.T) {
	bin := chatBin(t)
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	serve := exec.Command(bin, "serve", "--listen", addr, "--domain", "localhost", "--data-dir", dir,
		"--user", "alice:secret", "--user", "bob:secret")
	out, _ := serve.StdoutPipe()
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { serve.Process.Signal(os.Interrupt); serve.Wait() }()
	pem := readPEM(t, out)
	ca := filepath.Join(dir, "ca.pem")
	os.WriteFile(ca, []byte(pem), 0o600)

	client := func(user, stdin string) string {
		c := exec.Command(bin, "--account", user+"@localhost", "--server", addr, "--tls-ca", ca, "--headless",
			"--data-dir", filepath.Join(dir, user), "--config", filepath.Join(dir, user+".toml"))
		c.Env = append(os.Environ(), "CHAT_PASSWORD=secret", "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent")
		c.Stdin = strings.NewReader(stdin)
		b, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", user, err, b)
		}
		return string(b)
	}
	client("alice", "/msg bob@localhost hi bob, from a chat serve\n")
	got := client("bob", "")
	if !strings.Contains(got, "<- alice@localhost") || !strings.Contains(got, "hi bob, from a chat serve") {
		t.Errorf("bob did not get alice's offline message:\n%s", got)
	}
}

func readPEM(t *testing.T, r io.Reader) string {
	t.Helper()
	sc := bufio.NewScanner(r)
	var b strings.Builder
	in := false
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "-----BEGIN") {
			in = true
		}
		if in {
			b.WriteString(line + "\n")
		}
		if strings.HasPrefix(line, "-----END") {
			go io.Copy(io.Discard, r)
			return b.String()
		}
	}
	t.Fatal("chat serve printed no certificate")
	return ""
}
