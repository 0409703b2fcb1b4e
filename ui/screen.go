package ui

import (
	"chat/themes"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// screen is tview's half of the UI: the widgets and what only they know
// (scroll position, input text, roster selection). Only tview's goroutine
// touches it once Run has started.
type screen struct {
	u        *UI
	host     Host // only Queue is used from here
	tv       *tview.Application
	scr      tcell.Screen
	theme    *themes.Theme
	root     *tview.Flex
	middle   *tview.Flex
	title    *tview.TextView
	chat     *chatView
	roster   *rosterPane
	status   *statusBar
	input    *inputLine
	complete *completer

	rosterShown bool
	quitArmed   bool // Ctrl+C was pressed once
}

// Layout: the title bar, the chat with the roster to its right, the status
// bar, the input line (1 to maxInputRows rows as the message grows).
const (
	maxInputRows  = 6
	minRosterCols = 18
	maxRosterCols = 32
	// Below rosterHideCols columns the roster pane is hidden so that the
	// chat keeps room (it comes back when the terminal is wider; /roster
	// and Alt+R still decide when there is room).
	rosterHideCols = 60
)

func newScreen(u *UI, th *themes.Theme) *screen {
	s := &screen{u: u, tv: u.tv}
	s.title = tview.NewTextView().SetDynamicColors(true).SetRegions(false).SetWrap(false)
	s.chat = newChatView(s)
	s.roster = newRosterPane(s)
	s.status = newStatusBar(s)
	s.input = newInputLine(s)
	s.complete = newCompleter(u.opts.ThemeDir)
	s.middle = tview.NewFlex().AddItem(s.chat, 0, 1, false).AddItem(s.roster, maxRosterCols, 0, false)
	s.root = tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(s.title, 1, 0, false).
		AddItem(s.middle, 0, 1, false).
		AddItem(s.status, 1, 0, false).
		AddItem(s.input, 1, 0, true)
	s.rosterShown = true
	s.setTheme(th)
	s.tv.SetRoot(s.root, true).SetFocus(s.input)
	s.tv.SetInputCapture(s.capture)
	s.tv.SetBeforeDrawFunc(func(scr tcell.Screen) bool { s.layout(scr); return false })
	return s
}

// initScreen sets the terminal (or the given screen) up for tview: mouse,
// bracketed paste and focus reports.
func (s *screen) initScreen(scr tcell.Screen) error {
	if scr == nil {
		var err error
		if scr, err = tcell.NewScreen(); err != nil {
			return err
		}
	}
	w := &watchScreen{Screen: scr, u: s.u}
	s.tv.SetScreen(w) // initialises it
	if w.initErr != nil {
		return w.initErr
	}
	s.scr = w
	s.u.colors.Store(int32(w.Colors()))
	s.tv.EnableMouse(true).EnablePaste(true)
	w.EnableFocus()
	return nil
}

// watchScreen notes the terminal's focus reports as tview reads events.
type watchScreen struct {
	tcell.Screen
	u       *UI
	initErr error
}

func (w *watchScreen) Init() error {
	w.initErr = w.Screen.Init()
	return w.initErr
}

func (w *watchScreen) PollEvent() tcell.Event {
	ev := w.Screen.PollEvent()
	if f, ok := ev.(*tcell.EventFocus); ok {
		w.u.focused.Store(f.Focused)
	}
	return ev
}

// layout sizes the roster to the screen before each draw.
func (s *screen) layout(scr tcell.Screen) {
	w, _ := scr.Size()
	cols := 0
	if s.rosterShown && w >= rosterHideCols {
		cols = min(max(w/4, minRosterCols), maxRosterCols)
	}
	s.middle.ResizeItem(s.roster, cols, 0)
}

// draw draws everything now, as tview does after an update (for tests and
// benchmarks that do not run tview's loop).
func (s *screen) draw() {
	w, h := s.scr.Size()
	s.layout(s.scr)
	s.root.SetRect(0, 0, w, h)
	s.scr.Clear()
	s.root.Draw(s.scr)
	s.scr.Show()
}

// apply shows a frame from the loop.
func (s *screen) apply(f frame) {
	if f.theme != nil {
		s.setTheme(f.theme)
	}
	if f.shown != nil {
		s.showRoster(*f.shown)
	}
	if f.filter != nil {
		s.roster.setFilter(*f.filter)
	}
	if f.roster != nil {
		s.roster.setSnap(f.roster)
		s.complete.contacts = f.roster.rows
	}
	if f.status != nil {
		s.status.set(f.status)
		s.roster.setUnread(f.status.unread)
	}
	if f.title != nil {
		s.title.SetText(*f.title)
	}
	if f.view != nil {
		s.chat.apply(f.view)
		s.input.setBuffer(f.view.key)
	}
	for _, n := range f.notes {
		s.notify(n)
	}
	if f.redraw && s.scr != nil {
		s.scr.Sync()
	}
}

func (s *screen) setTheme(th *themes.Theme) {
	s.theme = th
	base := textStyle(th)
	_, bg, _ := base.Decompose()
	for _, b := range []*tview.Box{s.root.Box, s.middle.Box} {
		b.SetBackgroundColor(bg)
	}
	title := cellStyle(base, th.Title)
	_, tbg, _ := title.Decompose()
	s.title.SetTextStyle(title).SetBackgroundColor(tbg)
	s.chat.setTheme(th, base)
	s.roster.setTheme(th, base)
	s.status.setTheme(th, base)
	s.input.setTheme(th, base)
}

func (s *screen) showRoster(shown bool) {
	s.rosterShown = shown
	if !shown && s.tv.GetFocus() == s.roster {
		s.tv.SetFocus(s.input)
	}
}
