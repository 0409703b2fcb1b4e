package ui

import (
	"strings"

	"chat/themes"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// chatView shows the current buffer. Its text is tagged lines rendered by
// the loop; it only scrolls, and asks for older history when scrolled past
// its top. It never takes the focus from the input line.
type chatView struct {
	*tview.TextView
	s       *screen
	key     bufKey
	lines   int      // lines written since the last reset (0: the view is empty)
	loading bool     // an older page was asked for and has not come yet
	done    bool     // no older history
	raw     []string // the lines as rendered, before hang wraps them
	wrapW   int      // the width raw was wrapped to (0: not yet drawn)
}

// wheelLines is how far one step of the mouse wheel scrolls.
const wheelLines = 3

func newChatView(s *screen) *chatView {
	tv := tview.NewTextView().SetDynamicColors(true).SetRegions(false).
		SetWrap(false).SetScrollable(true) // hang wraps
	tv.ScrollToEnd()
	return &chatView{TextView: tv, s: s}
}

func (c *chatView) setTheme(_ *themes.Theme, base tcell.Style) {
	_, bg, _ := base.Decompose()
	c.SetTextStyle(base).SetBackgroundColor(bg)
}

// apply shows a view frame: a whole buffer, a page of older lines on top
// (keeping what is on screen in place), or new lines at the bottom.
func (c *chatView) apply(v *viewFrame) {
	c.done = v.done
	switch {
	case v.reset && v.keep:
		row, _ := c.GetScrollOffset()
		before := c.GetWrappedLineCount()
		c.raw = append(c.raw[:0], v.lines...)
		c.SetText(c.wrapped(v.lines))
		c.ScrollTo(max(0, row+c.GetWrappedLineCount()-before), 0)
		c.lines = len(v.lines)
	case v.reset || v.clear:
		c.raw = append(c.raw[:0], v.lines...)
		c.SetText(c.wrapped(v.lines))
		c.lines = len(v.lines)
		if v.reset {
			c.ScrollToEnd()
		}
	default:
		c.write(v.lines)
	}
	if v.reset {
		c.key, c.loading = v.key, false
		if !v.keep {
			c.s.status.setScrolled(false)
		}
	}
	if v.done {
		c.loading = false
	}
}

func (c *chatView) write(lines []string) {
	if len(lines) == 0 {
		return
	}
	c.raw = append(c.raw, lines...)
	w := c.BatchWriter()
	defer w.Close()
	for _, l := range lines {
		if c.lines > 0 {
			w.Write([]byte{'\n'})
		}
		w.Write([]byte(keepJoined(hang(l, c.wrapW))))
		c.lines++
	}
}

// wrapped joins lines, each wrapped with a hanging indent.
func (c *chatView) wrapped(lines []string) string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = keepJoined(hang(l, c.wrapW))
	}
	return strings.Join(out, "\n")
}

// Draw wraps the lines again when the width has changed, then draws.
func (c *chatView) Draw(scr tcell.Screen) {
	if _, _, w, _ := c.GetInnerRect(); w != c.wrapW {
		row, _ := c.GetScrollOffset()
		_, _, _, height := c.GetInnerRect()
		atEnd := row+height >= c.GetWrappedLineCount()
		c.wrapW = w
		c.SetText(c.wrapped(c.raw))
		if atEnd {
			c.ScrollToEnd()
		} else {
			c.ScrollTo(row, 0)
		}
	}
	c.TextView.Draw(scr)
}

// scroll moves the view by n rows (negative: up). Past the top it asks
// the loop for older history; at the bottom it follows new lines again.
func (c *chatView) scroll(n int) {
	row, _ := c.GetScrollOffset()
	_, _, _, height := c.GetInnerRect()
	if n < 0 && row <= 0 {
		c.askOlder()
		return
	}
	total := c.GetWrappedLineCount()
	row = max(0, row+n)
	if row+height >= total {
		c.ScrollToEnd()
		c.s.status.setScrolled(false)
		return
	}
	c.ScrollTo(row, 0)
	c.s.status.setScrolled(true)
}

func (c *chatView) page() int {
	_, _, _, h := c.GetInnerRect()
	return max(1, h-1)
}

func (c *chatView) askOlder() {
	if c.loading || c.done || c.key.console() {
		return
	}
	c.loading = true
	c.s.host.Queue("/scrollback")
}

// MouseHandler scrolls with the wheel; clicks do nothing, so the focus
// stays on the input line.
func (c *chatView) MouseHandler() func(tview.MouseAction, *tcell.EventMouse, func(tview.Primitive)) (bool, tview.Primitive) {
	return func(action tview.MouseAction, ev *tcell.EventMouse, _ func(tview.Primitive)) (bool, tview.Primitive) {
		if !c.InRect(ev.Position()) {
			return false, nil
		}
		switch action {
		case tview.MouseScrollUp:
			c.scroll(-wheelLines)
		case tview.MouseScrollDown:
			c.scroll(wheelLines)
		default:
			return false, nil
		}
		return true, nil
	}
}
