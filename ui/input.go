package ui

import (
	"strings"

	"chat/themes"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"github.com/rivo/uniseg"
)

// inputLine is where messages and commands are typed: a tview TextArea
// (readline-like movement and editing, undo, wide characters, bracketed
// paste kept as one multi-line message) plus Enter to send, Alt+Enter for
// a new line, Up/Down through this buffer's history and Tab completion.
type inputLine struct {
	*tview.TextArea
	s    *screen
	key  bufKey
	hist map[bufKey]*inputHistory
	fits bool // the whole message fits in the rows given
}

// inputHistory is the lines typed in one buffer, oldest first; pos is
// where Up/Down are (len(lines) = the draft being typed).
type inputHistory struct {
	lines []string
	pos   int
	draft string
}

const maxHistory = 500

func newInputLine(s *screen) *inputLine {
	in := &inputLine{TextArea: tview.NewTextArea(), s: s, hist: map[bufKey]*inputHistory{}}
	in.SetLabel("> ").SetWrap(true).SetWordWrap(false)
	in.SetInputCapture(in.capture)
	in.SetChangedFunc(func() { in.resize(); in.typed() })
	return in
}

func (in *inputLine) setTheme(th *themes.Theme, base tcell.Style) {
	st := cellStyle(base, th.Input)
	_, bg, _ := st.Decompose()
	in.SetTextStyle(st).SetBackgroundColor(bg)
	in.SetLabelStyle(cellStyle(st, th.Prompt))
	in.SetPlaceholderStyle(cellStyle(st, th.Notice))
	in.SetSelectedStyle(st.Reverse(true))
}

func (in *inputLine) setBuffer(k bufKey) {
	if k != in.key {
		in.left(in.key, false)
	}
	in.key = k
}

func (in *inputLine) history() *inputHistory {
	h, ok := in.hist[in.key]
	if !ok {
		h = &inputHistory{}
		in.hist[in.key] = h
	}
	return h
}

// resize grows the input with the message (newlines and wrapped rows),
// up to maxInputRows rows; when everything fits, all of it is shown.
func (in *inputLine) resize() {
	_, _, w, _ := in.GetInnerRect()
	w -= uniseg.StringWidth(in.GetLabel())
	rows := 0
	for _, l := range strings.Split(in.GetText(), "\n") {
		rows += 1
		if w > 0 {
			rows += max(0, uniseg.StringWidth(l)-1) / w
		}
	}
	in.fits = rows <= maxInputRows
	in.s.root.ResizeItem(in, min(rows, maxInputRows), 0)
}

// Draw shows the whole message when it fits (the TextArea may have
// scrolled while it was one row high).
func (in *inputLine) Draw(scr tcell.Screen) {
	if in.fits {
		in.SetOffset(0, 0)
	}
	in.TextArea.Draw(scr)
}

// capture handles the input's own keys before the TextArea does.
func (in *inputLine) capture(ev *tcell.EventKey) *tcell.EventKey {
	act := in.s.u.keys.action(ev)
	if act != actComplete {
		in.s.complete.reset()
	}
	switch act {
	case actSend:
		in.send()
		return nil
	case actNewline:
		return tcell.NewEventKey(tcell.KeyEnter, 0, tcell.ModNone)
	case actComplete:
		in.completeWord()
		return nil
	case actHistoryPrev, actHistoryNext:
		row, _, _, _ := in.GetCursor()
		lines := strings.Count(in.GetText(), "\n")
		if act == actHistoryPrev && row > 0 || act == actHistoryNext && row < lines {
			return ev // move within a multi-line message
		}
		in.browse(act == actHistoryPrev)
		return nil
	}
	if ev.Key() == tcell.KeyCtrlU && ev.Modifiers()&tcell.ModAlt == 0 {
		in.killToStart()
		return nil
	}
	return ev
}

// send posts the text to the loop as one line (a multi-line message stays
// one message) and remembers it in this buffer's history.
func (in *inputLine) send() {
	text := in.GetText()
	if strings.TrimSpace(text) == "" {
		return
	}
	h := in.history()
	if len(h.lines) == 0 || h.lines[len(h.lines)-1] != text {
		h.lines = append(h.lines, text)
		if len(h.lines) > maxHistory {
			h.lines = h.lines[1:]
		}
	}
	h.pos, h.draft = len(h.lines), ""
	in.SetText("", false)
	in.s.host.Queue(text)
}

// browse moves through this buffer's history, keeping the draft.
func (in *inputLine) browse(back bool) {
	h := in.history()
	if h.pos > len(h.lines) {
		h.pos = len(h.lines)
	}
	if h.pos == len(h.lines) {
		h.draft = in.GetText()
	}
	switch {
	case back && h.pos > 0:
		h.pos--
	case !back && h.pos < len(h.lines):
		h.pos++
	default:
		return
	}
	text := h.draft
	if h.pos < len(h.lines) {
		text = h.lines[h.pos]
	}
	in.SetText(text, true)
}

// killToStart deletes from the start of the line to the cursor (readline's
// Ctrl+U).
func (in *inputLine) killToStart() {
	_, _, cursor := in.GetSelection()
	text := in.GetText()
	start := strings.LastIndexByte(text[:cursor], '\n') + 1
	in.Replace(start, cursor, "")
}

func (in *inputLine) completeWord() {
	_, _, cursor := in.GetSelection()
	text, pos, ok := in.s.complete.tab(in.GetText(), cursor)
	if !ok {
		return
	}
	in.SetText(text, false)
	in.Select(pos, pos)
	in.s.complete.remember(text, pos)
}
