package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"chat/event"
	"chat/history"

	"github.com/gdamore/tcell/v2"
)

// Issue 14, item 7: no silent or misleading replies.

func TestEscDisarmsCtrlC(t *testing.T) {
	r := newRig(t, 80, 24, nil)
	r.press(tcell.KeyCtrlC, 'c', tcell.ModCtrl)
	r.waitFor("press Ctrl+C again to quit")
	r.press(tcell.KeyEscape, 0, tcell.ModNone)
	r.waitUntil("hint gone", func(rows []string) bool { return !strings.Contains(strings.Join(rows, ""), "again to quit") })
}

func TestRepliesSaySomething(t *testing.T) {
	r := newRig(t, 120, 40, nil)
	r.event(event.Roster{Header: event.At(me), Version: "1", Items: []event.RosterItem{{JID: "bob@example.org", Subscription: "both"}}})
	r.waitFor("roster of 1 contact ")
	r.typ("/status dnd in a meeting")
	r.enter()
	r.typ("/status")
	r.enter()
	r.waitFor("status: dnd in a meeting")
	r.typ("/connect")
	r.enter()
	r.waitFor("already online")
	r.typ("/info")
	r.enter()
	rows := strings.Join(r.waitFor("SASL SCRAM-SHA-256"), "\n")
	if strings.Contains(rows, "TLS TLS") {
		t.Errorf("/info repeats TLS:\n%s", rows)
	}
	r.typ("/info bob@example.org")
	r.enter()
	rows = strings.Join(r.waitFor("subscription both"), "\n")
	if strings.Contains(rows, `name ""`) {
		t.Errorf("/info shows an empty name:\n%s", rows)
	}
	r.typ("/scrollback")
	r.enter()
	r.waitFor("the console has no history")
}

func TestHistoryAndSearchReplies(t *testing.T) {
	r := newRig(t, 120, 70, nil)
	var msgs []history.Message
	at := time.Now().Add(-time.Hour)
	for i := range 80 {
		msgs = append(msgs, history.Message{Account: me, Peer: "bob@example.org", From: "bob@example.org/phone",
			Body: fmt.Sprintf("needle %02d", i), Stamp: at.Add(time.Duration(i) * time.Second), Type: "chat"})
	}
	r.host.addHistory(t, msgs)
	r.typ("/search needle")
	r.enter()
	r.waitFor("showing the newest 50 of 80 messages matching")
	r.typ("/history bob@example.org 3")
	r.enter()
	rows := r.waitFor("last 3 messages with bob@example.org")
	for _, row := range rows {
		if strings.Contains(row, "needle 7") && strings.Contains(row, "bob@example.org <") {
			t.Errorf("/history repeats the JID on a line: %q", row)
		}
	}
	r.typ("/win bob@example.org")
	r.enter()
	r.waitTitle("2 bob@example.org")
	r.settle()
	r.typ("/scrollback")
	r.enter()
	r.waitFor("no older messages")
}
