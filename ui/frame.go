package ui

import "chat/themes"

// A frame is what the loop hands to tview's goroutine after a batch: plain
// data, already rendered to tagged text where that is the widget's input.
// Nil fields are unchanged.
type frame struct {
	theme  *themes.Theme
	view   *viewFrame
	title  *string
	status *statusSnap
	roster *rosterSnap
	shown  *bool   // roster pane shown
	filter *string // roster filter
	notes  []note
	redraw bool // a full repaint of the terminal (Ctrl+L, theme switch)
}

// viewFrame changes the chat view: it replaces its text (reset) or appends
// lines to it.
type viewFrame struct {
	key   bufKey
	reset bool
	keep  bool // with reset: older lines were added on top; keep the view where it is
	clear bool // without reset: remove what is shown before appending
	lines []string
	done  bool // no older history to ask for
}

// maxViewLines bounds what the chat view holds: when more lines than this
// arrive before a draw, only the last maxViewLines are kept.
const maxViewLines = 5000

// note is a notification to give on tview's goroutine.
type note struct {
	bell  bool
	title string // desktop notification; "" for none
	body  string
}

const maxNotes = 4

func (f *frame) empty() bool {
	return f.theme == nil && f.view == nil && f.title == nil && f.status == nil && f.roster == nil &&
		f.shown == nil && f.filter == nil && len(f.notes) == 0 && !f.redraw
}

// merge folds a newer frame n into f, so that drawing f gives what drawing
// both in order would. Snapshots are replaced (intermediate ones dropped);
// appended lines accumulate, bounded by maxViewLines.
func (f *frame) merge(n frame) {
	if n.theme != nil {
		f.theme = n.theme
	}
	if n.title != nil {
		f.title = n.title
	}
	if n.status != nil {
		f.status = n.status
	}
	if n.roster != nil {
		f.roster = n.roster
	}
	if n.shown != nil {
		f.shown = n.shown
	}
	if n.filter != nil {
		f.filter = n.filter
	}
	f.redraw = f.redraw || n.redraw
	f.notes = append(f.notes, n.notes...)
	if len(f.notes) > maxNotes {
		f.notes = f.notes[len(f.notes)-maxNotes:]
	}
	f.view = mergeView(f.view, n.view)
}

func mergeView(old, n *viewFrame) *viewFrame {
	switch {
	case n == nil:
		return old
	case old == nil || n.reset || old.key != n.key:
		v := *n
		return trimView(&v)
	}
	v := *old
	v.lines = append(v.lines[:len(v.lines):len(v.lines)], n.lines...)
	v.done = n.done
	return trimView(&v)
}

func trimView(v *viewFrame) *viewFrame {
	if len(v.lines) <= maxViewLines {
		return v
	}
	v.lines = v.lines[len(v.lines)-maxViewLines:]
	v.keep = false
	if !v.reset {
		v.clear = true // what is shown would scroll out of the bound anyway
	}
	return v
}
