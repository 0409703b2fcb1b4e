package server

import (
	"bufio"
	"context"
	"crypto/x509"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"chat/server/store"
)

// TestHelperServerProcess is not a test: run by TestKillNineKeepsAcknowledged
// as a child process, it serves a data directory until it is killed.
func TestHelperServerProcess(t *testing.T) {
	dir := os.Getenv("CHAT_SERVER_HELPER_DIR")
	if dir == "" {
		t.Skip("only run as a child process of TestKillNineKeepsAcknowledged")
	}
	srv, err := New(Config{Listen: "127.0.0.1:0", DataDir: dir, Users: testUsers, AuthFailureDelay: -1})
	if err != nil {
		t.Fatal(err)
	}
	srv.store.MaxOffline = 1 << 20
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cert.pem"), srv.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("ADDR %s\n", srv.Addr())
	_ = srv.Serve(context.Background())
}

// serverProcess starts the helper on dir and returns it as a testServer
// for raw clients, with the process to kill.
func serverProcess(t *testing.T, dir string) (*testServer, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperServerProcess$")
	cmd.Env = append(os.Environ(), "CHAT_SERVER_HELPER_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	sc := bufio.NewScanner(out)
	addr := ""
	for addr == "" && sc.Scan() {
		addr, _ = strings.CutPrefix(sc.Text(), "ADDR ")
	}
	if addr == "" {
		t.Fatal("the server process ended before listening")
	}
	go func() {
		for sc.Scan() {
		}
	}()
	pem, err := os.ReadFile(filepath.Join(dir, "cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	return &testServer{t: t, addr: addr, pool: pool, log: &logBuffer{}}, cmd
}

// TestKillNineKeepsAcknowledged: a stream-management sender sends
// messages to an offline user as fast as it can; the server process is
// killed with SIGKILL in the middle. Every message the server had
// acknowledged is in the store after the crash, and a restarted server
// delivers them all. Before, the server had no stream management, so a
// client could not know what was lost (1,116 of 2,000 in the report).
func TestKillNineKeepsAcknowledged(t *testing.T) {
	dir := t.TempDir()
	ts, cmd := serverProcess(t, dir)
	alice := ts.smRaw(t, "alice", "a", false)
	stop := make(chan struct{})
	go func() { // write until the connection breaks
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			msg := fmt.Sprintf("<message to='carol@localhost' type='chat'><body>crash %d</body></message>", i)
			if i%20 == 19 {
				msg += "<r xmlns='urn:xmpp:sm:3'/>"
			}
			if _, err := alice.conn.Write([]byte(msg)); err != nil {
				return
			}
		}
	}()
	acked := 0
	for acked < 1000 {
		n := alice.must("")
		if n.name.Space == nsSM && n.name.Local == "a" {
			h, _ := strconv.Atoi(n.get("h"))
			acked = max(acked, h)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	close(stop)
	for { // acknowledgements already on their way count too
		n, err := alice.next()
		if err != nil {
			break
		}
		if n.name.Space == nsSM && n.name.Local == "a" {
			h, _ := strconv.Atoi(n.get("h"))
			acked = max(acked, h)
		}
	}
	st, err := store.Open(filepath.Join(dir, "server.db"))
	if err != nil {
		t.Fatal(err)
	}
	stored, err := st.CountOffline(context.Background(), "carol@localhost")
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("acknowledged %d, stored %d after SIGKILL", acked, stored)
	if stored < acked {
		t.Fatalf("the server acknowledged %d messages but only %d survived SIGKILL", acked, stored)
	}
	ts2, _ := serverProcess(t, dir)
	carol := ts2.raw(t, "carol", "c")
	carol.presence(0)
	for want := 0; want < stored; {
		i := bodyNumber(carol.must(""), "crash")
		if i < 0 {
			continue
		}
		if i != want {
			t.Fatalf("after the restart got crash %d, want %d", i, want)
		}
		want++
	}
}
