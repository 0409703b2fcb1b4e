package app

import (
	"strings"
	"testing"

	"chat/event"
	"chat/internal/servertest"
)

// slixmppCorrectionScript is a third-party client (slixmpp with its
// XEP-0308 and XEP-0184 plugins) that sends a message and a correction of
// it, then prints the correction it gets of our reply and leaves.
const slixmppCorrectionScript = `
import sys
from slixmpp import ClientXMPP
jid, pw, host, port, ca, peer = sys.argv[1:7]
class C(ClientXMPP):
    def __init__(self):
        super().__init__(jid, pw)
        self.add_event_handler("session_start", self.start)
        self.add_event_handler("receipt_received", lambda m: print("RECEIPT", m["receipt"], flush=True))
        self.add_event_handler("message_correction", self.corrected)
    def corrected(self, m):
        print("CORRECTED", m["replace"]["id"], m["body"], flush=True)
        self.disconnect()
    async def start(self, ev):
        self.send_presence()
        await self.get_roster()
        m = self.make_message(mto=peer, mbody="see you at noom", mtype="chat"); m["id"] = "s1"; m["request_receipt"] = True; m.send()
        m = self.make_message(mto=peer, mbody="see you at noon", mtype="chat"); m["id"] = "s2"; m["replace"]["id"] = "s1"; m.send()
        print("SENT", flush=True)
c = C()
c.ca_certs = ca
for p in ["xep_0030", "xep_0115", "xep_0184", "xep_0308"]:
    c.register_plugin(p)
c.connect((host, int(port)))
c.process(forever=False)
`

// runSlixmpp runs script as user/sli on the test Prosody with peer as its
// last argument; it returns a function waiting for its next line with a
// prefix, and one waiting for it to end.
func runSlixmpp(t *testing.T, script string, u user, peer string) (wait func(prefix string) string, done func()) {
	t.Helper()
	host, port, _ := strings.Cut(srv.Addr(), ":")
	return servertest.Slixmpp(t, script, u.jid+"/sli", u.pass, host, port, srv.CAFile(), peer)
}

// TestCorrectionsBothWaysWithSlixmpp: slixmpp's correction of its own
// message reaches the view as a correction (same full JID), and our
// /correct reaches slixmpp as one, naming the id of our message.
func TestCorrectionsBothWaysWithSlixmpp(t *testing.T) {
	alice, sli := newUser(t), newUser(t)
	fa := start(t, alice)
	aliceFull := fa.view.expect(t, "alice online", isConn(alice.jid, event.Online)).(event.ConnState).JID
	wait, done := runSlixmpp(t, slixmppCorrectionScript, sli, aliceFull)
	wait("SENT")
	orig := fa.view.expect(t, "slixmpp's message", isMessage("see you at noom")).(event.Message)
	c := fa.view.expect(t, "slixmpp's correction", isMessage("see you at noon")).(event.Message)
	if orig.ID != "s1" || c.Replaces != "s1" || c.From != sli.jid+"/sli" {
		t.Errorf("original %q, correction replaces %q from %q: want s1, s1, %s/sli", orig.ID, c.Replaces, c.From, sli.jid)
	}
	fa.app.Queue("/msg " + sli.jid + "/sli")
	fa.app.Queue("on my wya")
	sent := fa.view.expect(t, "our reply", isMessage("on my wya")).(event.Message)
	fa.app.Queue("/correct on my way")
	if got, want := wait("CORRECTED "), "CORRECTED "+sent.ID+" on my way"; got != want {
		t.Errorf("slixmpp got %q, want %q", got, want)
	}
	done()
}
