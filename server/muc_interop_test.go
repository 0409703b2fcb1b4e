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
)

// slixmppMUCScript joins a room with slixmpp's XEP-0045 plugin, reports
// what the join brought (occupants, status codes, history, subject),
// speaks, answers the first groupchat from Alice by changing its nick and
// reports its removal from the room.
const slixmppMUCScript = `
import sys
from slixmpp import ClientXMPP, JID
jid, pw, host, port, ca, room = sys.argv[1:7]
class C(ClientXMPP):
    def __init__(self):
        super().__init__(jid, pw)
        self.add_event_handler("session_start", self.start)
        self.add_event_handler("groupchat_message", self.gc)
        self.add_event_handler("muc::%s::got_offline" % room, self.offline)
        self.renamed = False
    async def start(self, ev):
        self.send_presence()
        await self.get_roster()
        muc = self.plugin["xep_0045"]
        pres, subject, occupants, history = await muc.join_muc_wait(JID(room), "Sli", maxstanzas=5, timeout=20)
        print("JOINED", ",".join(sorted(p["from"].resource for p in occupants)), sorted(pres["muc"]["status_codes"]), flush=True)
        print("HISTORY", "|".join(m["body"] for m in history), flush=True)
        print("SUBJECT", subject["subject"], flush=True)
        self.send_message(mto=room, mbody="hello from slixmpp", mtype="groupchat")
    def gc(self, msg):
        if msg["mucnick"] != "Alice" or msg.get_plugin("delay", check=True) is not None or self.renamed:
            return
        sid = msg.xml.find("{urn:xmpp:sid:0}stanza-id")
        print("GC", msg["body"], sid is not None and sid.get("by") == room, flush=True)
        self.renamed = True
        self.send_presence(pto=room + "/Sli2")
    def offline(self, pres):
        codes = sorted(pres["muc"]["status_codes"])
        print("OFFLINE", pres["from"].resource, codes, flush=True)
        if 307 in codes:
            self.disconnect()
c = C()
c.ca_certs = ca
c.register_plugin("xep_0030")
c.register_plugin("xep_0045")
c.register_plugin("xep_0199")
c.connect((host, int(port)))
c.process(forever=False)
`

// pyPeer is a python script run as a test peer, read line by line.
type pyPeer struct {
	t      *testing.T
	cmd    *exec.Cmd
	lines  chan string
	stderr *strings.Builder
}

func startPython(t *testing.T, script string, args ...string) *pyPeer {
	t.Helper()
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import slixmpp").Run(); err != nil {
		if os.Getenv("CHAT_REQUIRE_PEERS") == "1" {
			t.Fatalf("slixmpp is required here but %s cannot import it: %v", py, err)
		}
		t.Skip("slixmpp is not installed (apt-get install python3-slixmpp)")
	}
	path := filepath.Join(t.TempDir(), "peer.py")
	if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	p := &pyPeer{t: t, cmd: exec.CommandContext(ctx, py, append([]string{path}, args...)...),
		lines: make(chan string, 100), stderr: &strings.Builder{}}
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
		close(p.lines)
	}()
	return p
}

// wait returns the next line starting with prefix.
func (p *pyPeer) wait(prefix string) string {
	p.t.Helper()
	for l := range p.lines {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	p.t.Fatalf("the peer ended before %q; stderr:\n%s", prefix, p.stderr)
	return ""
}

// TestMUCInteropWithSlixmpp has slixmpp's XEP-0045 plugin join a room a
// raw client made, see the occupants and the history, exchange groupchat
// messages, change its nick and be kicked.
func TestMUCInteropWithSlixmpp(t *testing.T) {
	ts := startServer(t)
	alice := ts.raw(t, "alice", "a")
	alice.instantRoom(t, room+"/Alice")
	alice.write("<message to='" + room + "' type='groupchat'><subject>interop</subject></message>")
	alice.expect("subject", isSubject)
	alice.say(room, "before you came")
	alice.expect("reflection", isGroupchat(room+"/Alice", "before you came"))

	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, ts.srv.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	host, port, _ := strings.Cut(ts.addr, ":")
	sli := startPython(t, slixmppMUCScript, "bob@localhost/sli", "secret", host, port, ca, room)
	if l := sli.wait("JOINED"); l != "JOINED Alice,Sli [110]" {
		t.Errorf("slixmpp's join: %q", l)
	}
	if l := sli.wait("HISTORY"); l != "HISTORY before you came" {
		t.Errorf("slixmpp's history: %q", l)
	}
	if l := sli.wait("SUBJECT"); l != "SUBJECT interop" {
		t.Errorf("slixmpp's subject: %q", l)
	}
	alice.expect("slixmpp's message", isGroupchat(room+"/Sli", "hello from slixmpp"))
	alice.say(room, "hi sli")
	if l := sli.wait("GC"); l != "GC hi sli True" {
		t.Errorf("slixmpp got %q", l)
	}
	renamed := alice.expect("nick change", isPresenceFrom(room+"/Sli", "unavailable"))
	if !hasCode(renamed, "303") || mucItem(renamed).get("nick") != "Sli2" {
		t.Errorf("slixmpp's nick change: %s", renamed.bytes())
	}
	alice.expect("new nick", isPresenceFrom(room+"/Sli2", ""))
	if res := alice.iq("set", room, "<query xmlns='"+nsMUCAdmin+"'><item nick='Sli2' role='none'/></query>"); res.get("type") != "result" {
		t.Fatalf("kick: %s", res.bytes())
	}
	if l := sli.wait("OFFLINE Sli2"); l != "OFFLINE Sli2 [110, 307]" {
		t.Errorf("slixmpp's kick: %q", l)
	}
	if err := sli.cmd.Wait(); err != nil {
		t.Errorf("slixmpp: %v; stderr:\n%s", err, sli.stderr)
	}
}
