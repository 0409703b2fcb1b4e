package client

import (
	"testing"

	"chat/event"

	"mellium.im/xmpp/jid"
)

// With a real server, the carbons of our other client pass the checks on
// the forwarded message: ours sent, ours received.
func TestCarbonsFromRealServer(t *testing.T) {
	needProsody(t)
	user, pass := srv.NewUser(t)
	first := newPeerFor(t, user, pass)
	second := newPeerFor(t, user, pass, func(c *Config) { c.JID = jid.MustParse(user + "/second") })
	bob := newPeer(t)
	first.online()
	second.online()
	bob.online()
	// Enabling again waits for the server's answer: from then on the
	// second client gets carbons.
	enableCarbons(second.e.current())

	if _, err := first.e.SendMessage(OutMessage{To: bob.jid, Body: "from my first client"}); err != nil {
		t.Fatal(err)
	}
	m := second.expect("sent carbon", func(ev event.Event) bool {
		m, ok := ev.(event.Message)
		return ok && m.Body == "from my first client"
	}).(event.Message)
	if !m.Outgoing || m.Peer != bob.jid {
		t.Errorf("sent carbon: Outgoing=%v Peer=%q, want our outgoing message to %s", m.Outgoing, m.Peer, bob.jid)
	}
	bob.expect("the message itself", isMessage(first.jid, "from my first client"))

	if _, err := bob.e.SendMessage(OutMessage{To: user + "/test", Body: "to your first client"}); err != nil {
		t.Fatal(err)
	}
	m = second.expect("received carbon", isMessage(bob.jid, "to your first client")).(event.Message)
	if m.Outgoing {
		t.Errorf("received carbon shown as outgoing: %+v", m)
	}
}
