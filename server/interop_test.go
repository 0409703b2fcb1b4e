package server

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chat/client"
	"chat/event"
)

// slixmppScript logs in with slixmpp, sends presence, fetches the roster,
// sends directed presence to the peer, adds the peer to its roster (and
// reports the roster push it gets back), sends one message to the peer and prints the first message it gets.
const slixmppScript = `
import sys, logging
from slixmpp import ClientXMPP
jid, pw, host, port, ca, peer = sys.argv[1:7]
class C(ClientXMPP):
    def __init__(self):
        super().__init__(jid, pw)
        self.add_event_handler("session_start", self.start)
        self.add_event_handler("message", self.msg)
        self.add_event_handler("failed_auth", self.fail)
        self.add_event_handler("roster_update", self.push)
    def push(self, iq):
        items = iq["roster"]["items"]
        if peer in items and items[peer]["name"] == "Alice":
            print("PUSH", peer, items[peer]["name"], flush=True)
    def fail(self, ev):
        print("AUTHFAIL", flush=True)
        self.disconnect()
    async def start(self, ev):
        self.send_presence()
        await self.get_roster()
        self.send_presence(pto=peer, pstatus="from slixmpp")
        await self.update_roster(peer, name="Alice", groups=["Friends"])
        print("ONLINE", self.boundjid.full, flush=True)
        self.send_message(mto=peer, mbody="hello from slixmpp", mtype="chat")
    def msg(self, m):
        if m["type"] in ("chat", "normal"):
            print("GOT", m["body"], flush=True)
            self.disconnect()
c = C()
c.ca_certs = ca
c.register_plugin("xep_0030")
c.register_plugin("xep_0199")
c.connect((host, int(port)))
c.process(forever=False)
`

// TestInteropWithSlixmpp chats between the real engine and slixmpp, a
// third-party client, through the server.
func TestInteropWithSlixmpp(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import slixmpp").Run(); err != nil {
		if os.Getenv("CHAT_REQUIRE_PEERS") == "1" {
			t.Fatalf("slixmpp is required here but %s cannot import it: %v", py, err)
		}
		t.Skip("slixmpp is not installed (apt-get install python3-slixmpp)")
	}
	ts := startServer(t)
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	script := filepath.Join(dir, "peer.py")
	if err := os.WriteFile(ca, ts.srv.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(script, []byte(slixmppScript), 0o600); err != nil {
		t.Fatal(err)
	}
	alice := ts.peer(t, "alice", "a")
	alice.online()
	alice.roster()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	host, port, _ := strings.Cut(ts.addr, ":")
	cmd := exec.CommandContext(ctx, py, script, "bob@localhost/sli", "secret", host, port, ca, "alice@localhost")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 10)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var seen []string
	wait := func(prefix string) string {
		t.Helper()
		for _, l := range seen {
			if strings.HasPrefix(l, prefix) {
				return l
			}
		}
		for l := range lines {
			seen = append(seen, l)
			if strings.HasPrefix(l, prefix) {
				return l
			}
		}
		t.Fatalf("slixmpp ended before %q; stderr:\n%s", prefix, stderr.String())
		return ""
	}
	if l := wait("ONLINE"); l != "ONLINE bob@localhost/sli" {
		t.Errorf("slixmpp bound %q, want bob@localhost/sli", l)
	}
	alice.expect("slixmpp's directed presence", func(ev event.Event) bool {
		p, ok := ev.(event.Presence)
		return ok && p.From == "bob@localhost/sli" && p.Available && p.Status == "from slixmpp"
	})
	alice.expect("slixmpp's message", isMessage("bob@localhost", "hello from slixmpp"))
	if l := wait("PUSH"); l != "PUSH alice@localhost Alice" {
		t.Errorf("slixmpp's roster push: %q", l)
	}
	if !ts.log.contains("login bob@localhost with SCRAM-SHA-") {
		t.Errorf("slixmpp did not log in with SCRAM:\n%s", ts.log)
	}
	if _, err := alice.e.SendMessage(client.OutMessage{To: "bob@localhost/sli", Body: "hello from chat"}); err != nil {
		t.Fatal(err)
	}
	if l := wait("GOT"); l != "GOT hello from chat" {
		t.Errorf("slixmpp got %q", l)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("slixmpp: %v; stderr:\n%s", err, stderr.String())
	}
}
