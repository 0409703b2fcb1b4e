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

// slixmppServices registers an account in band, logs in with it and uses
// the server's services through slixmpp's plugins, printing OK or FAIL
// with the error condition for each step.
const slixmppServices = `
import sys, logging, os
if os.environ.get("SLIX_DEBUG"): logging.basicConfig(level=logging.DEBUG)
from slixmpp import ClientXMPP
from slixmpp.exceptions import IqError, IqTimeout
jid, pw, host, port, ca = sys.argv[1:6]
class C(ClientXMPP):
    def __init__(self):
        super().__init__(jid, pw)
        self.add_event_handler("session_start", self.start)
        self.add_event_handler("register", self.register)
        self.add_event_handler("failed_auth", self.fail)
    def fail(self, ev):
        print("AUTHFAIL", flush=True)
        self.disconnect()
    async def register(self, ev):
        resp = self.Iq()
        resp['type'] = 'set'
        resp['register']['username'] = self.boundjid.user
        resp['register']['password'] = self.password
        await self.step("register", resp.send(timeout=10))
    async def step(self, name, fut):
        try:
            r = await fut
            print("OK", name, flush=True)
            return r
        except IqError as e:
            print("FAIL", name, e.iq['error']['condition'], flush=True)
        except IqTimeout:
            print("FAIL", name, "timeout", flush=True)
    async def start(self, ev):
        self.send_presence()
        await self.get_roster()
        info = await self.step("disco", self['xep_0030'].get_info(jid='localhost', timeout=10))
        if info:
            print("FEATURES", " ".join(sorted(info['disco_info']['features'])), flush=True)
        await self.step("block", self['xep_0191'].block(['spam@localhost'], timeout=10))
        r = await self.step("blocklist", self['xep_0191'].get_blocked(timeout=10))
        if r:
            print("BLOCKED", " ".join(sorted(str(j) for j in r['blocklist']['items'])), flush=True)
        await self.step("unblock", self['xep_0191'].unblock(['spam@localhost'], timeout=10))
        vc = self['xep_0054'].make_vcard()
        vc['FN'] = 'Sli Xmpp'
        await self.step("vcard-set", self['xep_0054'].publish_vcard(vc, timeout=10))
        r = await self.step("vcard-get", self['xep_0054'].get_vcard(self.boundjid.bare, local=False, cached=False, timeout=10))
        if r:
            print("VCARD", r['vcard_temp']['FN'], flush=True)
        await self.step("last", self['xep_0012'].get_last_activity('localhost', timeout=10))
        await self.step("time", self['xep_0202'].get_entity_time('localhost', timeout=10))
        await self.step("nick", self['xep_0172'].publish_nick('sli', timeout=10))
        await self.step("private", self['xep_0049'].retrieve('bookmarks', timeout=10))
        proxies = await self.step("proxy", self['xep_0065'].discover_proxies(timeout=10))
        if proxies:
            print("PROXIES", " ".join(sorted(str(j) for j in proxies)), flush=True)
        self.disconnect()
c = C()
c.ca_certs = ca
for p in ["xep_0030", "xep_0077", "xep_0191", "xep_0054", "xep_0012", "xep_0202", "xep_0163", "xep_0172", "xep_0049", "xep_0048", "xep_0065"]:
    c.register_plugin(p)
c['xep_0077'].force_registration = True
# slixmpp 1.8.3 holds every IQ back until the session starts, the
# registration ones too: let them through.
c._always_send_everything = True
c.connect((host, int(port)))
c.process(forever=False)
`

// TestInteropSlixmppServices: slixmpp, a third-party client, registers
// in band (XEP-0077) and meets no error with blocking (XEP-0191),
// vcard-temp, last activity, entity time, PEP nickname, private storage
// and proxy discovery.
func TestInteropSlixmppServices(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import slixmpp").Run(); err != nil {
		if os.Getenv("CHAT_REQUIRE_PEERS") == "1" {
			t.Fatalf("slixmpp is required here but %s cannot import it: %v", py, err)
		}
		t.Skip("slixmpp is not installed (apt-get install python3-slixmpp)")
	}
	ts := startServer(t, func(c *Config) { c.AllowRegister = true })
	dir := t.TempDir()
	ca, script := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "peer.py")
	if err := os.WriteFile(ca, ts.srv.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(script, []byte(slixmppServices), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	host, port, _ := strings.Cut(ts.addr, ":")
	cmd := exec.CommandContext(ctx, py, script, "newbie@localhost/sli", "fresh-pw", host, port, ca)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("slixmpp: %v\nstdout:\n%s\nstderr:\n%s", err, out, stderr.String())
	}
	got := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), " ")
		if k == "OK" || k == "FAIL" {
			k, v = v, k+" "+v
		}
		got[k] = v
	}
	for _, step := range []string{"register", "disco", "block", "blocklist", "unblock", "vcard-set", "vcard-get", "last", "time", "nick", "private", "proxy"} {
		if got[step] != "OK "+step {
			t.Errorf("step %s: %q", step, got[step])
		}
	}
	for _, f := range []string{nsBlocking, nsVCard, nsLast, nsTime, nsRegister} {
		if !strings.Contains(got["FEATURES"], f) {
			t.Errorf("disco#info features %q lack %s", got["FEATURES"], f)
		}
	}
	if got["BLOCKED"] != "spam@localhost" || got["VCARD"] != "Sli Xmpp" || got["PROXIES"] != "proxy.localhost" {
		t.Errorf("blocked %q, vcard %q, proxies %q", got["BLOCKED"], got["VCARD"], got["PROXIES"])
	}
	if t.Failed() {
		t.Logf("stdout:\n%s\nstderr:\n%s", out, stderr.String())
	}
}
