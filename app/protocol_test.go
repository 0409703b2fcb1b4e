package app

import (
	"strings"
	"testing"

	"chat/event"
)

const stubMe = "me@example.org"

func incomingMsg(from, id, body, replaces string) event.Message {
	return event.Message{Header: event.At(stubMe), From: from, To: stubMe + "/x", Peer: bare(from), ID: id,
		Type: "chat", Body: body, Replaces: replaces}
}

func isMessage(body string) func(event.Event) bool {
	return func(ev event.Event) bool {
		m, ok := ev.(event.Message)
		return ok && m.Body == body
	}
}

// TestBlockedContactsNeverShown: the blocklist is fetched at login, and
// messages and chat states from a blocked JID (bare, or its whole domain)
// reach neither the view nor history; a push unblocking lets them through.
func TestBlockedContactsNeverShown(t *testing.T) {
	stub := &protoStub{blocked: []string{"spam@example.net", "evil.example"}}
	f := withStub(t, stub)
	stub.emit(incomingMsg("spam@example.net/bot", "s1", "buy now", ""))
	stub.emit(event.ChatState{Header: event.At(stubMe), From: "spam@example.net/bot", Peer: "spam@example.net", State: event.Composing})
	stub.emit(incomingMsg("x@evil.example/r", "e1", "from a blocked domain", ""))
	stub.emit(incomingMsg("bob@example.org/phone", "b1", "hello", ""))
	f.view.expect(t, "bob's message", isMessage("hello"))
	stub.emit(event.Blocklist{Header: event.At(stubMe), Unblocked: []string{"spam@example.net"}})
	stub.emit(incomingMsg("spam@example.net/bot", "s2", "unblocked now", ""))
	f.view.expect(t, "the unblocked contact's message", isMessage("unblocked now"))
	f.view.mu.Lock()
	for _, ev := range f.view.all {
		switch e := ev.(type) {
		case event.Message:
			if e.Body == "buy now" || e.Body == "from a blocked domain" {
				t.Errorf("a blocked message was shown: %+v", e)
			}
		case event.ChatState:
			t.Errorf("a blocked chat state was shown: %+v", e)
		}
	}
	f.view.mu.Unlock()
	f.quit(t)
	msgs, err := f.store.Last(t.Context(), stubMe, "spam@example.net", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].Body != "unblocked now" {
		t.Errorf("history of the blocked contact: %+v, want only the message after unblocking", msgs)
	}
}

// TestCorrectionOnlyFromTheSameFullJID: a correction replaces the original
// (Replaces kept) only from the full JID that sent it; from another
// resource, or of a message we never had, it is shown as a new message
// (Replaces cleared) with a note.
func TestCorrectionOnlyFromTheSameFullJID(t *testing.T) {
	stub := &protoStub{}
	f := withStub(t, stub)
	stub.emit(incomingMsg("bob@example.org/phone", "m1", "helo", ""))
	stub.emit(incomingMsg("bob@example.org/phone", "c1", "hello", "m1"))
	ev := f.view.expect(t, "the correction", isMessage("hello"))
	if r := ev.(event.Message).Replaces; r != "m1" {
		t.Errorf("accepted correction has Replaces %q, want m1", r)
	}
	stub.emit(incomingMsg("bob@example.org/laptop", "c2", "from elsewhere", "m1"))
	ev = f.view.expect(t, "the other resource's correction", isMessage("from elsewhere"))
	if r := ev.(event.Message).Replaces; r != "" {
		t.Errorf("a correction from another resource kept Replaces %q", r)
	}
	f.view.expect(t, "the note", isInfo("correction from bob@example.org/laptop refused (the original came from another address)"))
	stub.emit(incomingMsg("eve@example.org/x", "c3", "eve's", "m1"))
	ev = f.view.expect(t, "another contact's correction", isMessage("eve's"))
	if r := ev.(event.Message).Replaces; r != "" {
		t.Errorf("a correction in another conversation kept Replaces %q", r)
	}
	f.view.expect(t, "the note", isInfo("the original is not known"))
	f.quit(t)
	msgs, err := f.store.Last(t.Context(), stubMe, "bob@example.org", 10)
	if err != nil {
		t.Fatal(err)
	}
	var links []string
	for _, m := range msgs {
		links = append(links, m.MsgID+">"+m.Replaces)
	}
	if got := strings.Join(links, " "); got != "m1> c1>m1 c2>" {
		t.Errorf("history rows (id>replaces) %q, want the original, the accepted correction linked, the refused one not", got)
	}
}

// TestCorrectCommand: /correct sends a correction of our last message in
// the open conversation, pointing at its id.
func TestCorrectCommand(t *testing.T) {
	stub := &protoStub{}
	f := withStub(t, stub)
	f.app.Queue("/correct too early")
	f.view.expect(t, "no conversation", func(ev event.Event) bool {
		e, ok := ev.(event.Error)
		return ok && strings.Contains(e.Text, "no conversation open")
	})
	f.app.Queue("/msg bob@example.org")
	f.app.Queue("/correct nothing yet")
	f.view.expect(t, "nothing sent", func(ev event.Event) bool {
		e, ok := ev.(event.Error)
		return ok && strings.Contains(e.Text, "nothing to correct")
	})
	f.app.Queue("helo")
	f.app.Queue("/correct hello")
	ev := f.view.expect(t, "the correction shown", isMessage("hello"))
	if r := ev.(event.Message).Replaces; r != "out-1" {
		t.Errorf("shown correction replaces %q, want out-1", r)
	}
	f.app.Queue("/correct hello!")
	f.view.expect(t, "a second correction", isMessage("hello!"))
	stub.mu.Lock()
	defer stub.mu.Unlock()
	if len(stub.sent) != 3 || stub.sent[1].Replaces != "out-1" || stub.sent[2].Replaces != "out-1" {
		t.Errorf("sent %+v: want both corrections to replace out-1", stub.sent)
	}
	f.quit(t)
}
