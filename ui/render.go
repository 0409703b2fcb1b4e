package ui

import (
	"fmt"
	"time"

	"chat/event"
	"chat/themes"
)

// frame renders what changed since the last frame and clears the dirty
// marks. Loop only.
func (m *model) frame() frame {
	var f frame
	if m.themeChanged {
		f.theme, f.redraw = m.theme, true
		m.nicks = map[string]string{}
		m.reset, m.rosterDirty, m.statusDirty = true, true, true
		m.themeChanged = false
	}
	if m.redraw {
		f.redraw, m.redraw = true, false
	}
	if s := m.styling(); s != m.styled {
		m.styled, m.reset = s, true // /set styling: show the buffer again
	}
	b := m.current()
	switch {
	case m.reset:
		f.view = &viewFrame{key: b.key, reset: true, keep: m.keep, lines: m.renderLines(b, 0), done: b.done}
	case b.sent < len(b.lines) || m.viewTouched:
		f.view = &viewFrame{key: b.key, lines: m.renderLines(b, b.sent), done: b.done}
	}
	b.sent = len(b.lines)
	m.reset, m.keep, m.viewTouched = false, false, false
	if m.statusDirty {
		f.status = m.statusSnap()
		title := m.title()
		f.title = &title
		m.statusDirty = false
	}
	if m.rosterDirty {
		f.roster = m.rosterSnap()
		m.rosterDirty = false
	}
	if m.shownChanged {
		shown := m.rosterShown
		f.shown, m.shownChanged = &shown, false
	}
	f.filter, m.filter = m.filter, nil
	if n, ok := m.u.opts.Config.note(m.notes); ok {
		f.notes = []note{n}
	}
	m.notes = m.notes[:0]
	return f
}

// renderLines renders b.lines[from:] with day separators and the unread
// marker.
func (m *model) renderLines(b *buffer, from int) []string {
	out := make([]string, 0, len(b.lines)-from+1)
	var prev time.Time
	styled, p := m.styling(), m.palette()
	if from > 0 {
		prev = b.lines[from-1].at
	}
	for i := from; i < len(b.lines); i++ {
		l := b.lines[i]
		if i == b.marker {
			out = append(out, tag(m.theme.Unread)+"──── new messages ────"+reset)
		}
		if newDay(prev, l.at, i == 0) {
			out = append(out, tag(m.theme.Day)+"──── "+l.at.Local().Format("Monday 2 January 2006")+" ────"+reset)
		}
		out = append(out, m.renderLine(&b.lines[i], styled, p))
		prev = l.at
	}
	return out
}

// newDay reports whether a day separator goes before a line at t: the day
// changed since prev, or t is the first line and not today.
func newDay(prev, t time.Time, first bool) bool {
	y, mo, d := t.Local().Date()
	if first || prev.IsZero() {
		ny, nm, nd := time.Now().Date()
		return y != ny || mo != nm || d != nd
	}
	py, pm, pd := prev.Local().Date()
	return y != py || mo != pm || d != pd
}

// indent is the width of "15:04 ": continuation lines start under the text.
const indent = "      "

// localMark starts command output shown in a conversation buffer, so that
// it is not taken for part of the conversation.
const localMark = "-!- "

func (m *model) renderLine(l *line, styled bool, p richPalette) string {
	th := m.theme
	ts := tag(th.Time) + l.at.Local().Format("15:04") + reset + " "
	if l.local {
		ts += tag(th.Notice) + localMark + reset
	}
	switch l.kind {
	case kindAction:
		return ts + tag(th.Action) + "* " + esc(l.nick) + " " + richText(m.spansOf(l, styled), tag(th.Action), p) + reset
	case kindNotice:
		return ts + tag(th.Notice) + escLines(l.text, reset+"\n"+indent+tag(th.Notice)) + reset
	case kindError:
		return ts + tag(th.Error) + escLines(l.text, reset+"\n"+indent+tag(th.Error)) + reset
	}
	nick := m.nickTag(l.jid) + "<" + esc(l.nick) + ">" + reset + " "
	base := ""
	if l.high {
		base = tag(th.Highlight)
	}
	return ts + nick + richText(m.spansOf(l, styled), base, p) + reset + tag(th.Notice) + lineMarks(l) + reset
}

func (m *model) nickTag(jid string) string {
	if jid == "" {
		return tag(m.theme.Self)
	}
	t, ok := m.nicks[jid]
	if !ok {
		t = tag(m.theme.Nick.Style(jid))
		m.nicks[jid] = t
	}
	return t
}

// title is the line above the chat: the buffer and, for a conversation,
// the contact's presence.
func (m *model) title() string {
	b := m.current()
	th := m.theme
	n := fmt.Sprintf("%d ", m.cur+1)
	if b.key.console() {
		return n + "console"
	}
	if t, ok := m.roomTitle(b); ok { // room.go
		return n + t
	}
	text := n + esc(b.key.peer)
	if m.host == nil {
		return text
	}
	acct, ok := m.host.State().Lookup(b.key.account)
	if !ok {
		return text
	}
	c, ok := acct.Contacts[b.key.peer]
	if !ok {
		return text + " (not in the roster)"
	}
	if c.Item.Name != "" {
		text += " (" + esc(c.Item.Name) + ")"
	}
	p, online := c.Best()
	ps := th.Presence.Show(p.Show, online)
	word := "offline"
	if online {
		word = orWord(p.Show, "available")
	}
	text += " " + tag(ps.Style()) + esc(string(ps.Symbol)) + " " + esc(word) + reset
	if online && p.Status != "" {
		text += ": " + esc(p.Status)
	}
	return text + m.typing(b.key.account, b.key.peer)
}

// statusSnap is the status bar's data.
type statusSnap struct {
	account, conn string
	show, status  string // our own presence (show "" = online) while online
	tls           string // the link's TLS version while online, "" if none
	current       int
	items         []statusItem
	unread        map[string]int // peer → unread count, for the roster pane
}

type statusItem struct {
	name     string
	activity int
}

func (m *model) statusSnap() *statusSnap {
	s := &statusSnap{current: m.cur, unread: map[string]int{}}
	if m.host != nil {
		s.account = m.host.Current()
		s.conn = string(event.Offline)
		if a, ok := m.host.State().Lookup(s.account); ok {
			s.conn = string(a.Conn.State)
			if a.Conn.State == event.Online {
				s.tls = a.Conn.TLS
			}
		}
		if p, ok := m.host.OwnPresence(s.account); ok {
			s.show, s.status = p.Show, p.Status
		}
	}
	for _, b := range m.bufs {
		name := "console"
		if !b.key.console() {
			name = m.nickOf(b.key)
		}
		s.items = append(s.items, statusItem{name: name, activity: b.activity})
		if b.key.account == s.account && b.unread > 0 {
			s.unread[b.key.peer] = b.unread
		}
	}
	return s
}

// setTheme switches theme; everything is redrawn with it.
func (m *model) setTheme(th *themes.Theme) {
	m.theme, m.themeChanged = th, true
}
