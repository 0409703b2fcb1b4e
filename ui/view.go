package ui

import (
	"fmt"
	"strings"
	"time"

	"chat/event"
)

// Show records one event in the model; the loop calls it after updating
// state. It touches no widget: Flush hands the changes over.
func (u *UI) Show(ev event.Event) {
	m := u.m
	m.statusDirty = true
	switch e := ev.(type) {
	case event.Message:
		m.message(e)
	case event.ConnState:
		kind := kindNotice
		if e.Err != "" {
			kind = kindError
		}
		m.consoleLine(kind, connText(e))
		m.rosterDirty = true
	case event.Presence:
		m.presence(e)
	case event.Subscription:
		m.subscription(e)
	case event.Roster:
		m.rosterDirty = true
		if !e.Unchanged {
			m.consoleLine(kindNotice, fmt.Sprintf("%s: roster of %s", e.Account, plural(len(e.Items), "contact")))
		}
	case event.RosterPush:
		m.rosterDirty = true
		m.consoleLine(kindNotice, e.Account+": "+pushText(e.Item))
	case event.Error:
		text := e.Text
		if e.Context != "" {
			text = e.Context + ": " + text
		}
		m.output(kindError, e.Time, text)
	case event.Info:
		m.output(kindNotice, e.Time, e.Text)
	case event.Receipt:
		m.receipt(e)
	case event.ChatState:
		m.chatState(e)
	default:
		m.roomEvent(ev) // room.go
	}
}

// Flush hands what changed since the last Flush to tview's goroutine as
// one frame. The loop calls it once per batch of events.
func (u *UI) Flush() {
	m := u.m
	u.openFailures()
	m.syncPeer()
	if f := m.frame(); !f.empty() {
		u.post(f)
	}
}

func (m *model) message(e event.Message) {
	k := bufKey{e.Account, e.Peer}
	if e.Type == "error" {
		b := m.bufs[0]
		if i := m.find(k); i >= 0 {
			b = m.bufs[i]
		}
		m.add(b, line{at: e.Time, kind: kindError, text: fmt.Sprintf("message to %s failed: %s", e.Peer, orWord(e.Error, "error"))}, lvlNotice)
		return
	}
	if e.Body == "" || e.Peer == "" {
		return
	}
	if e.Replaces != "" && m.correct(e) {
		return
	}
	if !e.Outgoing {
		m.messageFrom(k)
	}
	l := roomLine(e, m.messageLine(k, e.Outgoing, e.Body, e.XHTML)) // room.go
	l.msgID = e.ID
	l.at = e.Stamp
	if l.at.IsZero() {
		l.at = e.Time
	}
	fresh := m.find(k) < 0
	b := m.open(k)
	level := lvlMessage
	switch {
	case e.Outgoing:
		level = lvlNone
	case l.high:
		level = lvlHighlight
	}
	if fresh && len(b.lines) > 0 && same(b.lines[len(b.lines)-1], l) {
		// The buffer's first page of history already holds it: count it only.
		b.lines = b.lines[:len(b.lines)-1]
	}
	first := b != m.current() && b.unread == 0
	m.add(b, l, level)
	if !e.Outgoing && first && b.unread > 0 {
		m.consoleLine(kindNotice, fmt.Sprintf("new message from %s (window %d)", m.nickOf(k), m.find(k)+1))
	}
	switch {
	case !e.Outgoing:
		m.alert(b, l)
	case b != m.current() && m.sentHere(e):
		m.switchTo(m.find(k)) // "/msg bob hi" typed here: go to the conversation
	}
}

// sentHere reports whether an outgoing message was sent by this client
// (not a carbon of another one).
func (m *model) sentHere(e event.Message) bool {
	if m.host == nil {
		return false
	}
	a, ok := m.host.State().Lookup(e.Account)
	return ok && a.Conn.JID != "" && a.Conn.JID == e.From
}

func same(a, b line) bool {
	return a.at.Equal(b.at) && a.kind == b.kind && a.text == b.text && a.nick == b.nick
}

func (m *model) presence(e event.Presence) {
	m.rosterDirty = true
	peer := bare(e.From)
	if peer == e.Account || e.Error != "" {
		return
	}
	what := "offline"
	if e.Available {
		what = orWord(e.Show, "available")
	}
	text := fmt.Sprintf("%s is %s", e.From, what)
	if e.Status != "" {
		text += ": " + e.Status
	}
	m.consolePresence(e.Account, e.From, what, text)
	i := m.find(bufKey{e.Account, peer})
	if i < 0 {
		return
	}
	m.add(m.bufs[i], line{at: e.Time, kind: kindNotice, text: text}, lvlNone)
}

// consolePresence notes a contact's presence change in the console, as
// Profanity does; the first presence of each resource (the burst at
// login) is only remembered.
func (m *model) consolePresence(account, from, what, text string) {
	if m.shows == nil {
		m.shows = map[string]string{}
	}
	key := account + " " + from
	prev, seen := m.shows[key]
	if what == "offline" {
		delete(m.shows, key)
	} else {
		m.shows[key] = what
	}
	if seen && prev != what || seen && what == "offline" {
		m.consoleLine(kindNotice, text)
	}
}

func (m *model) subscription(e event.Subscription) {
	var text string
	level := lvlNotice
	switch e.Type {
	case "subscribe":
		text = fmt.Sprintf("%s asks to see your presence: /auth allow %s or /auth deny %s", e.From, e.From, e.From)
		level = lvlMessage
	case "subscribed":
		text = e.From + " accepted: you see their presence"
	case "unsubscribe":
		text = e.From + " stopped seeing your presence"
	case "unsubscribed":
		text = e.From + " refused or cancelled your subscription"
	default:
		text = e.From + " " + e.Type
	}
	if e.Status != "" {
		text += " (" + e.Status + ")"
	}
	m.rosterDirty = true
	m.add(m.bufs[0], line{at: e.Time, kind: kindNotice, text: e.Account + ": " + text}, level)
}

// alert queues a notification for a message that is not in view.
func (m *model) alert(b *buffer, l line) {
	if b == m.current() && m.u.focused.Load() {
		return
	}
	m.notes = append(m.notes, pendingNote{who: l.nick, text: l.text, high: l.high})
}

func connText(e event.ConnState) string {
	out := fmt.Sprintf("%s: %s", e.Account, e.State)
	switch e.State {
	case event.Online:
		out += fmt.Sprintf(" as %s via %s (%s, SASL %s)", e.JID, e.Server, e.TLS, e.Mechanism)
	case event.Reconnecting:
		out += fmt.Sprintf(" in %s", e.Retry.Round(100*time.Millisecond))
	}
	if e.Err != "" {
		out += ": " + e.Err
	}
	return out
}

// pushText describes a roster push. /add makes two (the item, then our
// subscription request): the second says the request is pending rather
// than "updated" again.
func pushText(it event.RosterItem) string {
	switch {
	case it.Subscription == "remove":
		return "contact " + it.JID + " removed"
	case it.Ask == "subscribe":
		return fmt.Sprintf("contact %s: asked to see their presence, waiting for an answer (subscription %s)", it.JID, orWord(it.Subscription, "none"))
	}
	return fmt.Sprintf("contact %s updated (subscription %s)", it.JID, orWord(it.Subscription, "none"))
}

// plural is "1 contact", "2 contacts".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func orWord(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func bare(j string) string {
	if i := strings.IndexByte(j, '/'); i >= 0 {
		return j[:i]
	}
	return j
}
