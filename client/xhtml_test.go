package client

import (
	"strings"
	"testing"

	"chat/event"
)

func TestXHTMLRoundTripThroughProsody(t *testing.T) {
	alice, bob := newPeer(t), newPeer(t)
	alice.online()
	bob.online()
	xhtml := `<p>hi <strong>there</strong> <a href="https://example.org/">link</a></p>`
	if _, err := alice.e.SendMessage(OutMessage{To: bob.jid, Body: "hi *there* link", XHTML: xhtml}); err != nil {
		t.Fatal(err)
	}
	got := bob.expect("rich message", isMessage(alice.jid, "hi *there* link")).(event.Message)
	for _, want := range []string{"<p", "<strong", "there</strong>", `href="https://example.org/"`} {
		if !strings.Contains(got.XHTML, want) {
			t.Errorf("received XHTML %q lacks %q", got.XHTML, want)
		}
	}
	if _, err := alice.e.SendMessage(OutMessage{To: bob.jid, Body: "x", XHTML: "<p>unclosed"}); err == nil {
		t.Error("malformed XHTML was accepted for sending")
	}
}
