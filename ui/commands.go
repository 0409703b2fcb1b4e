package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"chat/app"
	"chat/command"
	"chat/themes"
)

type cmd = command.Command[*app.App]

// Commands returns the UI's commands for app.Options.Commands. They run on
// the loop like every command, so they work from scripts and -c too; keys
// and clicks send them as well (Alt+2 is "/win 2").
func (u *UI) Commands() []cmd {
	m := u.m
	return []cmd{
		{Name: "win", Aliases: []string{"window"}, MinArgs: 1, MaxArgs: 1, Usage: "N|JID|next|prev|active",
			Help: "go to buffer N, open the conversation with JID, or go to the next, previous or most active buffer",
			Run:  func(_ *app.App, args []string) error { return m.cmdWin(args[0]) }},
		{Name: "wins", Aliases: []string{"windows"}, Help: "list the buffers",
			Run: func(*app.App, []string) error { m.cmdWins(); return nil }},
		{Name: "close", MaxArgs: 1, Usage: "[N|JID]", Help: "close this buffer, buffer N, or the conversation with JID (the console stays)",
			Run: func(_ *app.App, args []string) error { return m.cmdClose(args) }},
		{Name: "clear", Help: "clear this buffer's lines (the history is kept)",
			Run: func(*app.App, []string) error { m.cmdClear(); return nil }},
		{Name: "theme", MaxArgs: 1, Usage: "[NAME]", Help: "switch the colour theme, or list the themes",
			Run: func(_ *app.App, args []string) error { return m.cmdTheme(args) }},
		{Name: "roster", MaxArgs: 2, Rest: true, Usage: "[show|hide|toggle|filter TEXT|by presence|group]",
			Help: "list the contacts; or show, hide or toggle the roster pane, filter it by TEXT, or group it by presence (as Profanity does) or by roster group",
			Run:  m.cmdRoster},
		{Name: "links", Help: "list this buffer's links, numbered from the oldest",
			Run: func(*app.App, []string) error { m.cmdLinks(); return nil }},
		{Name: "open", MaxArgs: 1, Usage: "[N]",
			Help: "open link N of this buffer (as /links numbers them, oldest first; the newest without N) with ui.toml's opener, $BROWSER or xdg-open; only http, https, xmpp and mailto",
			Run:  func(_ *app.App, args []string) error { return m.cmdOpen(args) }},
		{Name: "scrollback", Help: "load older messages of this conversation from the history (PgUp at the top does it)",
			Run: func(*app.App, []string) error { m.cmdScrollback(); return nil }},
	}
}

func (m *model) cmdWin(arg string) error {
	switch strings.ToLower(arg) {
	case "next":
		m.switchTo((m.cur + 1) % len(m.bufs))
		return nil
	case "prev":
		m.switchTo((m.cur + len(m.bufs) - 1) % len(m.bufs))
		return nil
	case "active":
		if i := m.nextActive(); i >= 0 {
			m.switchTo(i)
		}
		return nil
	}
	if i, ok := m.number(arg); ok {
		m.switchTo(i)
		return nil
	}
	if _, err := strconv.Atoi(arg); err == nil {
		return fmt.Errorf("no buffer %s (there are %d)", arg, len(m.bufs))
	}
	j := strings.ToLower(bare(arg))
	if !strings.Contains(j, "@") && !strings.Contains(j, ".") {
		return fmt.Errorf("%q is neither a buffer number nor a JID", arg)
	}
	if m.host == nil || m.host.Current() == "" {
		return fmt.Errorf("no account to talk to %s from", j)
	}
	k := bufKey{m.host.Current(), j}
	m.open(k)
	m.switchTo(m.find(k))
	return nil
}

func (m *model) cmdWins() {
	var b strings.Builder
	b.WriteString("buffers:")
	for i, buf := range m.bufs {
		mark := " "
		if i == m.cur {
			mark = "*"
		}
		name := "console"
		if !buf.key.console() {
			name = buf.key.peer
			if n := m.nickOf(buf.key); n != localpart(buf.key.peer) {
				name += " (" + n + ")"
			}
		}
		fmt.Fprintf(&b, "\n %s%2d %s", mark, i+1, name)
		if buf.unread > 0 {
			fmt.Fprintf(&b, ", %d unread", buf.unread)
		}
	}
	m.output(kindNotice, time.Now(), b.String())
}

func (m *model) cmdClose(args []string) error {
	i := m.cur
	if len(args) == 1 {
		n, ok := m.number(args[0])
		if !ok {
			n, ok = m.byJID(args[0])
		}
		if !ok {
			return fmt.Errorf("no buffer %s (see /wins)", args[0])
		}
		i = n
	}
	if i == 0 {
		return fmt.Errorf("the console cannot be closed (/quit leaves)")
	}
	m.close(i)
	return nil
}

// byJID finds the buffer of the conversation with j on the current account.
func (m *model) byJID(j string) (int, bool) {
	if m.host == nil {
		return 0, false
	}
	i := m.find(bufKey{m.host.Current(), strings.ToLower(bare(j))})
	return i, i >= 0
}

func (m *model) cmdClear() {
	b := m.current()
	b.lines, b.sent, b.marker, b.done = nil, 0, -1, true
	m.reset = true
}

func (m *model) cmdTheme(args []string) error {
	dir := m.u.opts.ThemeDir
	if len(args) == 0 {
		var names []string
		for _, n := range themes.Names(dir) {
			if n == m.theme.Name {
				n = "*" + n
			}
			names = append(names, n)
		}
		m.output(kindNotice, time.Now(), "themes: "+strings.Join(names, " ")+" (user themes in "+orWord(dir, "no folder")+")")
		return nil
	}
	th, err := themes.Load(dir, args[0])
	if err != nil {
		return fmt.Errorf("%w (keeping %s)", err, m.theme.Name)
	}
	m.setTheme(th)
	m.output(kindNotice, time.Now(), "theme: "+th.Name)
	return nil
}

func (m *model) cmdRoster(a *app.App, args []string) error {
	if len(args) == 0 {
		if a != nil {
			a.ShowRoster()
		}
		return nil
	}
	shown := m.rosterShown
	switch strings.ToLower(args[0]) {
	case "show":
		shown = true
	case "hide":
		shown = false
	case "toggle":
		shown = !shown
	case "filter":
		f := ""
		if len(args) == 2 {
			f = strings.TrimSpace(args[1])
		}
		m.filter, shown = &f, true
	case "by":
		by := ""
		if len(args) == 2 {
			by = strings.ToLower(strings.TrimSpace(args[1]))
		}
		if by != "presence" && by != "group" {
			return fmt.Errorf("unknown %q: use /roster by presence or /roster by group", by)
		}
		m.byPresence, m.rosterDirty = by == "presence", true
		m.output(kindNotice, time.Now(), "roster grouped by "+by)
	default:
		return fmt.Errorf("unknown %q: use /roster show, hide, toggle, filter TEXT or by presence|group", args[0])
	}
	if shown != m.rosterShown {
		m.rosterShown, m.shownChanged = shown, true
	}
	return nil
}

func (m *model) cmdScrollback() {
	if m.current().key.console() {
		m.output(kindNotice, time.Now(), "the console has no history: /scrollback loads older messages in a conversation")
		return
	}
	if !m.older(m.current()) {
		m.viewTouched = true // nothing older: the view learns it is done
		m.output(kindNotice, time.Now(), "no older messages in the history")
	}
}
