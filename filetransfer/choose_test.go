package filetransfer

import "testing"

func TestChoose(t *testing.T) {
	dino := []string{"urn:xmpp:jingle:1", "urn:xmpp:jingle:apps:file-transfer:5", "urn:xmpp:jingle:transports:s5b:1", "urn:xmpp:jingle:transports:ibb:1"}
	psi := []string{"http://jabber.org/protocol/si", "http://jabber.org/protocol/si/profile/file-transfer", "http://jabber.org/protocol/bytestreams"}
	both := append(append([]string{}, psi...), dino...)
	noTransport := []string{"urn:xmpp:jingle:1", "urn:xmpp:jingle:apps:file-transfer:5", "http://jabber.org/protocol/si"}
	for _, c := range []struct {
		f    []string
		want Method
	}{{dino, Jingle}, {psi, SI}, {both, Jingle}, {noTransport, None}, {nil, None}} {
		if got := Choose(c.f); got != c.want {
			t.Errorf("Choose(%v) = %v, want %v", c.f, got, c.want)
		}
	}
}
