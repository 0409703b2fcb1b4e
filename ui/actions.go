package ui

import (
	"strconv"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// capture handles the global keys before the focused widget sees them.
// Actions that change what the loop owns (the current buffer, the roster
// pane) are sent to it as commands, so they behave exactly like typing
// them; scrolling, redrawing and the editor stay here.
func (s *screen) capture(ev *tcell.EventKey) *tcell.EventKey {
	act := s.u.keys.action(ev)
	if act != actQuit && s.quitArmed {
		s.quitArmed = false
		s.status.setHint("")
	}
	if n, ok := bufferNumber(act); ok {
		s.host.Queue("/win " + strconv.Itoa(n))
		return nil
	}
	switch act {
	case actQuit:
		if s.quitArmed {
			s.host.Queue("/quit")
			return nil
		}
		s.quitArmed = true
		s.status.setHint("press Ctrl+C again to quit")
		return nil
	case actNextBuffer:
		s.host.Queue("/win next")
	case actPrevBuffer:
		s.host.Queue("/win prev")
	case actNextActivity:
		s.host.Queue("/win active")
	case actScrollUp:
		s.chat.scroll(-s.chat.page())
	case actScrollDown:
		s.chat.scroll(s.chat.page())
	case actRedraw:
		s.scr.Sync()
	case actToggleRoster:
		s.host.Queue("/roster toggle")
	case actFocusRoster:
		s.focusRoster()
	case actEditor:
		s.edit()
	default:
		if ev.Key() == tcell.KeyCtrlC {
			// Unbound Ctrl+C must not reach tview, which would stop: pass a
			// copy instead.
			return tcell.NewEventKey(ev.Key(), ev.Rune(), ev.Modifiers())
		}
		return ev
	}
	return nil
}

func bufferNumber(act action) (int, bool) {
	for n := 1; n <= 10; n++ {
		if act == bufferAction(n) {
			return n, true
		}
	}
	return 0, false
}

// focusRoster moves the focus to the roster (showing it) or back.
func (s *screen) focusRoster() {
	if s.tv.GetFocus() == tview.Primitive(s.roster) {
		s.tv.SetFocus(s.input)
		return
	}
	if !s.rosterShown {
		s.host.Queue("/roster show")
	}
	s.tv.SetFocus(s.roster)
}
