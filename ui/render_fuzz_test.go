package ui

import (
	"strings"
	"testing"
	"time"

	"chat/event"
	"chat/sanitize"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"github.com/rivo/uniseg"
)

// FuzzRender sends a contact's roster name, resource, status and a message
// (body and XHTML-IM) through the real path (Show, Flush, the hand-over,
// the widgets, a simulation screen) and checks the cells: the chat view
// and the title read back exactly what the same widgets draw for the
// sanitised text with tags off, no cell links anywhere, and the lines
// around the message keep their own styles.
func FuzzRender(f *testing.F) {
	f.Add("A [:::https://evil.example/phish]CLICK", "", "[::u]Bob", "[yellow:red:b:https://evil.example/res]", "[black:black::/]x")
	f.Add("*bold* _it_ ~s~ `c` [red]x", `<p>a <a href="https://x/[y]">l[:::u]</a> <span style="color:#ff0000">r[-]</span></p>`, "", "r", "")
	f.Add("e\u0301[\u0301] \U0001F1EB\U0001F1F7 \u0600[x]\u0600", `<p><b>\U0001F1EB</b>\U0001F1F7 e<i>\u0301</i></p>`, "\u0301n", "\u0600", "a\nb[")
	f.Add("line\n[::b]two\n> quote [red]", "", "[\"r\"]", "[]", "[:::")
	f.Fuzz(func(t *testing.T, body, html, name, res, status string) {
		if len(body)+len(html)+len(name)+len(res)+len(status) > 400 {
			return
		}
		checkRender(t, body, html, name, res, status)
	})
}

func checkRender(t *testing.T, body, html, name, res, status string) {
	u, host, sim := newSyncUI(t, 80, 24, "dark")
	host.handle(event.Roster{Header: event.At(me), Items: []event.RosterItem{{JID: bob, Name: name, Subscription: "both"}}})
	host.line("/win " + bob)
	from := bob + "/" + res
	// A fixed time, so that day separators do not depend on the clock.
	at := event.Header{Time: time.Date(2025, 3, 4, 12, 0, 0, 0, time.Local), Account: me}
	say := func(body, html string) {
		host.handle(event.Message{Header: at, From: from, To: me, Peer: bob, Type: "chat", Body: body, XHTML: html, Stamp: at.Time})
	}
	say("zzbeforezz", "")
	host.handle(event.Presence{Header: at, From: from, Available: true, Status: status})
	say(body, html)
	say("zzafterzz", "")
	frameAndDraw(u)
	s := takeShot(sim)
	m := u.m

	x, y, w, h := u.s.chat.GetInnerRect()
	want := hungView(plainLines(m, m.current()), w, h)
	for i := range h {
		if got := strings.TrimRight(cut(s, y+i, x, w), " "); got != want[i] {
			t.Fatalf("chat row %d reads %q, want %q\nscreen:\n%s", i, got, want[i], s)
		}
	}
	tx, ty, tw, _ := u.s.title.GetInnerRect()
	if got, want := strings.TrimRight(cut(s, ty, tx, tw), " "), plainView(plainTitle(m, name, status), tw, 1, false)[0]; got != want {
		t.Fatalf("title reads %q, want %q", got, want)
	}
	for y, row := range s.cells {
		for x, c := range row {
			if u := urlOf(c.Style); u != "" {
				t.Fatalf("cell %d,%d links to %q:\n%s", x, y, u, s)
			}
		}
	}
	if a, b := lookOf(s.style(t, "zzafterzz")), lookOf(s.style(t, "zzbeforezz")); a != b {
		t.Fatalf("the line after the message is styled %v, the one before %v", a, b)
	}
	var stamp *look
	for y, row := range s.rows {
		if stampRow.MatchString(row) {
			st := lookOf(s.cells[y][0].Style)
			if stamp == nil {
				stamp = &st
			} else if st != *stamp {
				t.Fatalf("timestamp of row %d styled %v, the first %v:\n%s", y, st, *stamp, s)
			}
		}
	}
}

// cut returns the text of the cells of row y from x, w columns wide.
func cut(s shot, y, x, w int) string {
	var b strings.Builder
	col := 0
	for _, c := range s.cells[y] {
		t := string(c.Runes)
		if t == "" || t == "\x00" {
			t = " "
		}
		if col >= x && col < x+w {
			b.WriteString(t)
		}
		col += max(1, uniseg.StringWidth(t))
	}
	return b.String()
}

// plainView draws text with a TextView that reads no tags, as the chat
// view and title are set up otherwise, and returns its rows.
func plainView(text string, w, h int, wrap bool) []string {
	sim := tcell.NewSimulationScreen("UTF-8")
	_ = sim.Init()
	defer sim.Fini()
	sim.SetSize(w, h)
	tv := tview.NewTextView().SetDynamicColors(false).SetRegions(false).SetWrap(wrap).SetWordWrap(wrap).SetScrollable(true)
	tv.SetText(text)
	tv.ScrollToEnd()
	tv.SetRect(0, 0, w, h)
	tv.Draw(sim)
	sim.Show()
	s := takeShot(sim)
	return s.rows
}

// hungView is plainView of lines wrapped as the chat view wraps them,
// with a hanging indent.
func hungView(lines []string, w, h int) []string {
	sim := tcell.NewSimulationScreen("UTF-8")
	_ = sim.Init()
	defer sim.Fini()
	sim.SetSize(w, h)
	hung := make([]string, len(lines))
	for i, l := range lines {
		parts := strings.Split(l, "\n")
		for j, p := range parts {
			parts[j] = escape(p)
		}
		hung[i] = keepJoined(hang(strings.Join(parts, "\n"), w))
	}
	tv := tview.NewTextView().SetDynamicColors(true).SetRegions(false).SetWrap(false).SetScrollable(true)
	tv.SetText(strings.Join(hung, "\n"))
	tv.ScrollToEnd()
	tv.SetRect(0, 0, w, h)
	tv.Draw(sim)
	sim.Show()
	return takeShot(sim).rows
}

// shown is what a one-line field looks like, shownLines a text of lines.
func shown(s string) string { return trimJoins(sanitize.Line(s)) }

func shownLines(s string) string {
	lines := strings.Split(sanitize.Text(s), "\n")
	for i, l := range lines {
		lines[i] = trimJoins(l)
	}
	return strings.Join(lines, "\n"+indent)
}

// plainLines is renderLines without tags.
func plainLines(m *model, b *buffer) []string {
	var out []string
	var prev time.Time
	styled := m.styling()
	for i := range b.lines {
		l := &b.lines[i]
		if i == b.marker {
			out = append(out, "──── new messages ────")
		}
		if newDay(prev, l.at, i == 0) {
			out = append(out, "──── "+l.at.Local().Format("Monday 2 January 2006")+" ────")
		}
		out = append(out, plainLine(m, l, styled))
		prev = l.at
	}
	return out
}

// plainLine is renderLine without tags.
func plainLine(m *model, l *line, styled bool) string {
	ts := l.at.Local().Format("15:04") + " "
	spans := func() string {
		var b strings.Builder
		for _, s := range clusterAligned(m.spansOf(l, styled)) {
			b.WriteString(shownLines(s.Text))
		}
		return b.String()
	}
	switch l.kind {
	case kindAction:
		return ts + "* " + shown(l.nick) + " " + spans()
	case kindNotice, kindError:
		return ts + shownLines(l.text)
	}
	return ts + "<" + shown(l.nick) + "> " + spans()
}

// plainTitle is the title of bob's buffer without tags.
func plainTitle(m *model, name, status string) string {
	text := "2 " + bob
	if name != "" {
		text += " (" + shown(name) + ")"
	}
	ps := m.theme.Presence.Show("", true)
	text += " " + shown(string(ps.Symbol)) + " available"
	if status != "" {
		text += ": " + shown(status)
	}
	return text
}
