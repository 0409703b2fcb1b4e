package client

import (
	"strings"
	"testing"

	"chat/event"
	"chat/internal/servertest"
)

// slixmppProtoScript is a third-party client with the everyday plugins:
// it asks our disco#info and computes our caps ver itself, pings us, asks
// our version and vCard, sends a message asking for a receipt, a chat
// state and a correction, and prints what it gets from us.
const slixmppProtoScript = `
import sys
from slixmpp import ClientXMPP, JID
jid, pw, host, port, ca, peer = sys.argv[1:7]
class C(ClientXMPP):
    def __init__(self):
        super().__init__(jid, pw)
        self.add_event_handler("session_start", self.start)
        self.add_event_handler("receipt_received", lambda m: print("RECEIPT", m["receipt"], flush=True))
        self.add_event_handler("chatstate_composing", lambda m: print("COMPOSING", m["from"], flush=True))
        self.add_event_handler("message_correction", lambda m: print("CORRECTED", m["replace"]["id"], m["body"], flush=True))
        self.add_event_handler("message", self.msg)
    def msg(self, m):
        if m["body"] == "bye":
            self.disconnect()
    async def start(self, ev):
        self.send_presence()
        await self.get_roster()
        info = await self["xep_0030"].get_info(jid=peer)
        print("VER", self["xep_0115"].generate_verstring(info["disco_info"], "sha-1"), flush=True)
        print("FEATURES", " ".join(sorted(info["disco_info"]["features"])), flush=True)
        await self["xep_0199"].ping(jid=peer)
        print("PING", flush=True)
        v = await self["xep_0092"].get_version(peer)
        print("VERSION", v["software_version"]["name"], flush=True)
        vc = await self["xep_0054"].get_vcard(jid=JID(peer).bare)
        print("VCARD", vc["vcard_temp"]["FN"], flush=True)
        m = self.make_message(mto=peer, mbody="first", mtype="chat"); m["id"] = "s1"; m["request_receipt"] = True; m.send()
        m = self.make_message(mto=peer, mtype="chat"); m["chat_state"] = "composing"; m.send()
        m = self.make_message(mto=peer, mbody="second", mtype="chat"); m["id"] = "s2"; m["replace"]["id"] = "s1"; m.send()
        print("SENT", flush=True)
c = C()
c.ca_certs = ca
for p in ["xep_0030", "xep_0115", "xep_0085", "xep_0184", "xep_0308", "xep_0199", "xep_0092", "xep_0054"]:
    c.register_plugin(p)
c.connect((host, int(port)))
c.process(forever=False)
`

// slixmppPeer runs script as user on the shared Prosody, with peer as its
// last argument, and returns a function waiting for its next line with a
// prefix.
func slixmppPeer(t *testing.T, script, user, pass, peer string) (wait func(prefix string) string, done func()) {
	t.Helper()
	host, port, _ := strings.Cut(srv.Addr(), ":")
	return servertest.Slixmpp(t, script, user+"/sli", pass, host, port, srv.CAFile(), peer)
}

func TestEverydayProtocolWithSlixmpp(t *testing.T) {
	alice := newPeer(t)
	alice.online()
	ctx := protoCtx(t)
	if err := alice.e.SetVCard(ctx, VCard{FullName: "Alice"}); err != nil {
		t.Fatal(err)
	}
	user, pass := srv.NewUser(t)
	bobFull := user + "/sli"
	wait, done := slixmppPeer(t, slixmppProtoScript, user, pass, alice.jid+"/test")

	if l := wait("VER "); l != "VER "+alice.e.CapsVer() {
		t.Errorf("slixmpp computes our ver as %q, our presence says %q", l, alice.e.CapsVer())
	}
	t.Logf("disco#info features we advertise: %s", strings.TrimPrefix(wait("FEATURES "), "FEATURES "))
	wait("PING")
	if l := wait("VERSION "); l != "VERSION "+ClientName {
		t.Errorf("slixmpp got our version as %q", l)
	}
	if l := wait("VCARD "); l != "VCARD Alice" {
		t.Errorf("slixmpp got our vCard as %q", l)
	}
	first := alice.expect("first", isMessage(user, "first")).(event.Message)
	if !first.Receipt || first.ID != "s1" {
		t.Errorf("first message %+v: want id s1 asking for a receipt", first)
	}
	if l := wait("RECEIPT "); l != "RECEIPT s1" {
		t.Errorf("slixmpp got receipt %q", l)
	}
	alice.expect("composing", func(ev event.Event) bool {
		c, ok := ev.(event.ChatState)
		return ok && c.From == bobFull && c.State == event.Composing
	})
	fix := alice.expect("correction", isMessage(user, "second")).(event.Message)
	if fix.Replaces != "s1" || fix.From != bobFull {
		t.Errorf("correction %+v, want Replaces s1 from %s", fix, bobFull)
	}

	if err := alice.e.SendChatState(bobFull, event.Composing); err != nil {
		t.Fatal(err)
	}
	wait("COMPOSING")
	if _, err := alice.e.SendMessage(OutMessage{To: bobFull, Body: "fixed", Replaces: "a1"}); err != nil {
		t.Fatal(err)
	}
	if l := wait("CORRECTED "); l != "CORRECTED a1 fixed" {
		t.Errorf("slixmpp got correction %q", l)
	}
	if _, err := alice.e.SendMessage(OutMessage{To: bobFull, Body: "bye"}); err != nil {
		t.Fatal(err)
	}
	done()
}
