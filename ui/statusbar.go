package ui

import (
	"strconv"

	"chat/themes"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// statusBar is the line above the input: our account and its connection
// state, the current buffer, and the numbers of the buffers with activity
// (irssi's "Act:"), each styled by its level. A click on a number opens
// that buffer.
type statusBar struct {
	*tview.Box
	s        *screen
	theme    *themes.Theme
	snap     *statusSnap
	hint     string
	scrolled bool
	hits     []hit // where each buffer number was drawn
}

type hit struct{ x0, x1, buf int }

func newStatusBar(s *screen) *statusBar {
	return &statusBar{Box: tview.NewBox(), s: s, snap: &statusSnap{}}
}

func (b *statusBar) setTheme(th *themes.Theme, base tcell.Style) {
	b.theme = th
	_, bg, _ := cellStyle(base, th.Status).Decompose()
	b.SetBackgroundColor(bg)
}

func (b *statusBar) set(s *statusSnap)       { b.snap = s }
func (b *statusBar) setHint(h string)        { b.hint = h }
func (b *statusBar) setScrolled(scroll bool) { b.scrolled = scroll }

// Draw draws " account state │ N:name │ act: 2,5 " and a hint on the
// right.
func (b *statusBar) Draw(scr tcell.Screen) {
	b.DrawForSubclass(scr, b)
	x, y, w, _ := b.GetInnerRect()
	th := b.theme
	base := cellStyle(textStyle(th), th.Status)
	for i := range w {
		scr.SetContent(x+i, y, ' ', nil, base)
	}
	b.hits = b.hits[:0]
	hint := b.hint
	if hint == "" && b.scrolled {
		hint = "-- more below (PgDn) --"
	}
	end := x + w
	if hint != "" { // the hint keeps its room: the left side is cut instead
		hw := min(w, tview.TaggedStringWidth(esc(hint))+1)
		tview.Print(scr, tag(th.StatusHighlight)+esc(hint)+" "+reset, end-hw, y, hw, tview.AlignRight, tcell.ColorDefault)
		end -= hw + 1
	}
	put := func(text string, st themes.Style, buf int) {
		if x >= end {
			return
		}
		_, n := tview.Print(scr, tag(st)+text+reset, x, y, end-x, tview.AlignLeft, tcell.ColorDefault)
		if buf >= 0 {
			b.hits = append(b.hits, hit{x, x + n, buf})
		}
		x += n
	}
	s := b.snap
	if s.account != "" {
		put(" "+esc(s.account)+" ", th.Status, -1)
		b.drawPresence(s, put)
	}
	if s.current < len(s.items) {
		put(" │ ", th.Status, -1)
		put(strconv.Itoa(s.current+1)+":"+esc(s.items[s.current].name), th.StatusCurrent, s.current)
	}
	first := true
	for i, it := range s.items {
		if it.activity == lvlNone || i == s.current {
			continue
		}
		if first {
			put(" │ act: ", th.Status, -1)
			first = false
		} else {
			put(",", th.Status, -1)
		}
		put(strconv.Itoa(i+1), b.levelStyle(it.activity), i)
	}
}

// drawPresence draws the connection state, or once online our presence as
// Profanity does ("[dnd] in a meeting") and whether the link is encrypted.
func (b *statusBar) drawPresence(s *statusSnap, put func(string, themes.Style, int)) {
	if s.conn != "online" {
		put(esc(s.conn), b.connStyle(s.conn), -1)
		return
	}
	show := s.show
	if show == "" {
		show = "online"
	}
	put(esc("["+show+"]"), b.theme.Status, -1)
	if s.status != "" {
		put(" "+esc(s.status), b.theme.Status, -1)
	}
	if s.tls == "" {
		put(" unencrypted", b.theme.StatusHighlight, -1)
		return
	}
	put(" "+esc(s.tls), b.theme.Status, -1)
}

func (b *statusBar) connStyle(conn string) themes.Style {
	if conn == "online" {
		return b.theme.Status
	}
	return b.theme.StatusHighlight
}

func (b *statusBar) levelStyle(level int) themes.Style {
	switch level {
	case lvlHighlight:
		return b.theme.StatusHighlight
	case lvlMessage:
		return b.theme.StatusMessage
	}
	return b.theme.StatusActivity
}

// MouseHandler opens the buffer whose number was clicked.
func (b *statusBar) MouseHandler() func(tview.MouseAction, *tcell.EventMouse, func(tview.Primitive)) (bool, tview.Primitive) {
	return func(action tview.MouseAction, ev *tcell.EventMouse, _ func(tview.Primitive)) (bool, tview.Primitive) {
		x, y := ev.Position()
		if action != tview.MouseLeftClick && action != tview.MouseLeftDoubleClick || !b.InRect(x, y) {
			return false, nil
		}
		for _, h := range b.hits {
			if x >= h.x0 && x < h.x1 {
				b.s.host.Queue("/win " + strconv.Itoa(h.buf+1))
				return true, nil
			}
		}
		return true, nil
	}
}
