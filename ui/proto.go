package ui

import (
	"strings"

	"chat/event"
	"chat/history"
)

// This file is the everyday protocol on the screen: a correction
// (XEP-0308) replaces its original line in place, marked edited; our
// lines get a mark once the contact's client has received (✓) or shown
// (✓✓) them (XEP-0184, XEP-0333); "typing…" follows a contact who is
// composing, in the title bar and the roster (XEP-0085); and the input
// line tells the loop when we type, stop or leave a conversation.
//
// The loop has already judged corrections: one that reaches Show with
// Replaces set comes from the sender of the original (see package app).

// Receipt marks, lowest first.
const (
	markNone = iota
	markReceived
	markDisplayed
)

// maxMarkScan bounds how far back from the newest line a receipt or a
// correction looks for its message.
const maxMarkScan = 500

// correct replaces the line of the message e corrects, if the buffer
// still has it; it reports whether it did.
func (m *model) correct(e event.Message) bool {
	i := m.find(bufKey{e.Account, e.Peer})
	if i < 0 {
		return false
	}
	b := m.bufs[i]
	for j := len(b.lines) - 1; j >= 0 && j >= len(b.lines)-maxMarkScan; j-- {
		l := &b.lines[j]
		if l.msgID != e.Replaces || l.outgoing != e.Outgoing {
			continue
		}
		nl := m.messageLine(b.key, e.Outgoing, e.Body, e.XHTML)
		nl.at, nl.id, nl.msgID, nl.mark, nl.edited = l.at, l.id, l.msgID, l.mark, true
		*l = nl
		if i == m.cur {
			m.reset = true
		}
		return true
	}
	return false
}

// receipt marks our line with id, and for a marker the lines we sent
// before it, as received or displayed.
func (m *model) receipt(e event.Receipt) {
	i := m.find(bufKey{e.Account, e.Peer})
	if i < 0 {
		return
	}
	mark := markReceived
	if e.Marker == "displayed" || e.Marker == "acknowledged" {
		mark = markDisplayed
	}
	b := m.bufs[i]
	found := false
	for j := len(b.lines) - 1; j >= 0 && j >= len(b.lines)-maxMarkScan; j-- {
		l := &b.lines[j]
		if !l.outgoing || l.msgID == "" {
			continue
		}
		if l.msgID == e.ID {
			found = true
		}
		if found && l.mark < mark {
			l.mark = mark
			if e.Receipt { // a receipt is for one message only
				break
			}
		}
	}
	if found && i == m.cur {
		m.reset = true
	}
}

// chatState redraws what shows a contact's typing.
func (m *model) chatState(e event.ChatState) {
	m.statusDirty, m.rosterDirty = true, true
	k := bufKey{e.Account, e.Peer}
	if e.State != event.Composing {
		delete(m.typists, k)
		return
	}
	if m.typists == nil {
		m.typists = map[bufKey]bool{}
	}
	m.typists[k] = true
}

// messageFrom ends a contact's "typing…": the loop forgets it with their
// message, and the roster is drawn again.
func (m *model) messageFrom(k bufKey) {
	if m.typists[k] {
		delete(m.typists, k)
		m.rosterDirty = true
	}
}

// lineMarks is what follows a message line: edited, and our receipts.
func lineMarks(l *line) string {
	out := ""
	if l.edited {
		out += " (edited)"
	}
	switch l.mark {
	case markReceived:
		out += " ✓"
	case markDisplayed:
		out += " ✓✓"
	}
	return out
}

// typing is the title bar's or roster's note that the contact of k is
// composing, or "".
func (m *model) typing(account, peer string) string {
	if m.host == nil || peer == "" {
		return ""
	}
	if m.host.PeerChatState(account, peer) == event.Composing {
		return " typing…"
	}
	return ""
}

// typed tells the loop, on each change of the input line in a
// conversation, that we are composing (or, with the line emptied, active
// again); the loop sends only changes, and only where it is wanted. A
// command being typed is not composing.
func (in *inputLine) typed() {
	if in.key.console() || in.s.host == nil {
		return
	}
	text := in.GetText()
	if strings.HasPrefix(text, "/") && !strings.HasPrefix(text, "//") {
		return
	}
	state := event.Composing
	if strings.TrimSpace(text) == "" {
		state = event.Active
	}
	in.s.host.Typing(in.key.peer, state)
}

// left tells the loop we moved away from conversation k (paused: the
// draft stays), or closed it (gone).
func (in *inputLine) left(k bufKey, closed bool) {
	if k.console() || in.s.host == nil {
		return
	}
	state := event.Paused
	if closed {
		state = event.Gone
	}
	in.s.host.Typing(k.peer, state)
}

// correctStored applies a stored correction to its original in a page
// of history (same sender, same direction), reporting whether it found
// it; one whose original is not in the page is shown as a line of its
// own.
func correctStored(lines []line, from map[int]string, h history.Message) bool {
	for i := len(lines) - 1; i >= 0; i-- {
		l := &lines[i]
		if l.msgID != h.Replaces || l.outgoing != h.Outgoing || from[i] != h.From {
			continue
		}
		l.text, l.xhtml, l.spans, l.edited = h.Body, h.XHTML, nil, true
		if rest, ok := strings.CutPrefix(h.Body, "/me "); ok {
			l.kind, l.text, l.xhtml = kindAction, rest, ""
		} else {
			l.kind = kindMessage
		}
		return true
	}
	return false
}
