package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"chat/client"
	"chat/event"
	"chat/history"

	"github.com/gdamore/tcell/v2"
)

func (h *syncHost) PeerChatState(string, string) string { return "" }
func (h *syncHost) Typing(string, string)               {}

// The protocol methods of the rig's engine: chat states sent are recorded,
// every peer supports everything, and the questions answer nothing.
func (e *fakeEngine) Supports(string, string) bool { return true }
func (e *fakeEngine) SendChatState(to, state string) error {
	e.mu.Lock()
	e.states = append(e.states, to+" "+state)
	e.mu.Unlock()
	return nil
}
func (e *fakeEngine) chatStates() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.states...)
}
func (e *fakeEngine) SendDisplayed(string, string) error                  { return nil }
func (e *fakeEngine) Ping(context.Context, string) (time.Duration, error) { return 0, nil }
func (e *fakeEngine) DiscoInfo(context.Context, string, string) (client.DiscoInfo, error) {
	return client.DiscoInfo{}, nil
}
func (e *fakeEngine) DiscoItems(context.Context, string, string) ([]client.DiscoItem, error) {
	return nil, nil
}
func (e *fakeEngine) Version(context.Context, string) (client.SoftwareVersion, error) {
	return client.SoftwareVersion{}, nil
}
func (e *fakeEngine) Time(context.Context, string) (client.EntityTime, error) {
	return client.EntityTime{}, nil
}
func (e *fakeEngine) LastActivity(context.Context, string) (client.LastActivity, error) {
	return client.LastActivity{}, nil
}
func (e *fakeEngine) Block(context.Context, ...string) error      { return nil }
func (e *fakeEngine) Unblock(context.Context, ...string) error    { return nil }
func (e *fakeEngine) Blocklist(context.Context) ([]string, error) { return nil, nil }
func (e *fakeEngine) GetVCard(context.Context, string) (client.VCard, error) {
	return client.VCard{}, nil
}
func (e *fakeEngine) SetVCard(context.Context, client.VCard) error { return nil }

func withID(m event.Message, id, replaces string) event.Message {
	m.ID, m.Replaces = id, replaces
	return m
}

// TestCorrectionReplacesTheLineInPlace: a correction from the sender of
// the original replaces its line, marked edited; one refused by the loop
// (another resource) is a new line.
func TestCorrectionReplacesTheLineInPlace(t *testing.T) {
	r := newRig(t, 80, 24, nil)
	r.contacts()
	r.event(withID(incoming("bob@example.org", "see you at noom"), "m1", ""))
	r.event(incoming("bob@example.org", "bring the map"))
	r.typ("/win bob@example.org")
	r.enter()
	r.waitFor("<Bob> bring the map")
	r.event(withID(incoming("bob@example.org", "see you at noon"), "c1", "m1"))
	rows := r.waitFor("<Bob> see you at noon (edited)")
	chat := strings.Join(rows, "\n")
	if strings.Contains(chat, "noom") {
		t.Errorf("the original is still shown:\n%s", chat)
	}
	if strings.Index(chat, "see you at noon") > strings.Index(chat, "bring the map") {
		t.Errorf("the correction did not stay in the original's place:\n%s", chat)
	}
	other := withID(incoming("bob@example.org", "not from the phone"), "c2", "m1")
	other.From = "bob@example.org/laptop"
	r.event(other)
	rows = r.waitFor("bob@example.org/laptop refused")
	if got := strings.Join(rows, "\n"); !strings.Contains(got, "<Bob> not from the phone") || strings.Contains(got, "not from the phone (edited)") {
		t.Errorf("a refused correction is not a plain new line:\n%s", got)
	}
}

// TestReceiptMarksOurLines: our line gets ✓ when the contact's client
// received it and ✓✓ once shown; a marker also marks the lines before.
func TestReceiptMarksOurLines(t *testing.T) {
	r := newRig(t, 80, 24, nil)
	r.contacts()
	r.typ("/win bob@example.org")
	r.enter()
	for _, l := range []string{"first", "second"} {
		r.typ(l)
		r.enter()
		r.waitFor("<me> " + l)
	}
	r.event(event.Receipt{Header: event.At(me), From: "bob@example.org/phone", Peer: "bob@example.org", ID: "rig-1", Marker: "received", Receipt: true})
	rows := r.waitFor("<me> first ✓")
	if rowWith(rows, "<me> second") != "" && strings.Contains(rowWith(rows, "<me> second"), "✓") {
		t.Errorf("a receipt for one message marked another: %q", rowWith(rows, "<me> second"))
	}
	r.event(event.Receipt{Header: event.At(me), From: "bob@example.org/phone", Peer: "bob@example.org", ID: "rig-2", Marker: "displayed"})
	r.waitFor("<me> second ✓✓")
	r.waitFor("<me> first ✓✓")
}

// TestTypingShownAndSent: the contact's "composing" shows in the title
// and the roster until their message; typing in their buffer sends
// composing, emptying the line active, closing the buffer gone.
func TestTypingShownAndSent(t *testing.T) {
	r := newRig(t, 80, 24, nil)
	r.contacts()
	r.typ("/win bob@example.org")
	r.enter()
	r.waitTitle("2 bob@example.org")
	r.event(event.ChatState{Header: event.At(me), From: "bob@example.org/phone", Peer: "bob@example.org", State: event.Composing})
	rows := r.waitUntil("typing in the title", func(rows []string) bool { return strings.Contains(rows[0], "typing…") })
	if !strings.Contains(rowWith(rows, "Bob"), "typing…") {
		t.Errorf("roster row for Bob = %q, want typing…", rowWith(rows, "Bob"))
	}
	r.event(incoming("bob@example.org", "done typing"))
	r.waitUntil("typing gone", func(rows []string) bool {
		return !strings.Contains(strings.Join(rows, "\n"), "typing…") && strings.Contains(strings.Join(rows, "\n"), "done typing")
	})

	r.typ("hel")
	r.settle()
	for i := 0; i < 3; i++ {
		r.press(tcell.KeyBackspace2, 0, tcell.ModNone)
	}
	r.settle()
	r.typ("/close")
	r.enter()
	r.waitTitle("1 console")
	r.settle()
	want := "bob@example.org composing,bob@example.org active,bob@example.org gone"
	if got := strings.Join(r.host.eng.chatStates(), ","); got != want {
		t.Errorf("chat states sent: %s, want %s", got, want)
	}
}

// TestStoredCorrectionShownInPlace: history keeps the original and the
// correction as two rows; the buffer shows one line, corrected and
// marked edited. A stored "correction" from another sender stays a line
// of its own.
func TestStoredCorrectionShownInPlace(t *testing.T) {
	r := newRig(t, 80, 24, nil)
	at := time.Now().Add(-time.Hour)
	msg := func(from, id, replaces, body string, d time.Duration) history.Message {
		return history.Message{Account: me, Peer: "bob@example.org", From: from, Type: "chat", Stamp: at.Add(d),
			Body: body, MsgID: id, Replaces: replaces}
	}
	r.host.addHistory(t, []history.Message{
		msg("bob@example.org/phone", "m1", "", "lunch at 1e", 0),
		msg("bob@example.org/phone", "m2", "", "at the usual place", time.Second),
		msg("bob@example.org/phone", "c1", "m1", "lunch at 1", 2*time.Second),
		msg("eve@example.org/x", "c2", "m2", "at my place", 3*time.Second),
	})
	r.typ("/win bob@example.org")
	r.enter()
	rows := r.waitFor("lunch at 1 (edited)")
	chat := strings.Join(rows, "\n")
	if strings.Contains(chat, "lunch at 1e") || strings.Index(chat, "lunch at 1 (edited)") > strings.Index(chat, "at the usual place") {
		t.Errorf("the stored correction is not in its original's place:\n%s", chat)
	}
	if !strings.Contains(chat, "at my place") || strings.Contains(chat, "at my place (edited)") {
		t.Errorf("a stored correction from another sender was applied:\n%s", chat)
	}
}
