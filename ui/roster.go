package ui

import (
	"strconv"
	"strings"

	"chat/themes"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// rosterPane draws the roster snapshot: our account on top, then groups
// of contacts with presence symbols and unread counts. Only the visible
// rows are drawn, so a long roster costs no more than a short one. With
// the focus (Ctrl+R) typing filters it, Up/Down select and Enter opens.
type rosterPane struct {
	*tview.Box
	s      *screen
	theme  *themes.Theme
	snap   *rosterSnap
	unread map[string]int
	filter string
	rows   []rosterRow // the snapshot's rows that pass the filter
	sel    int         // selected row (a contact)
	top    int         // first row drawn
	// where the rows were last drawn, for clicks
	drawnTop, drawnY int
}

func newRosterPane(s *screen) *rosterPane {
	return &rosterPane{Box: tview.NewBox(), s: s, snap: &rosterSnap{}}
}

func (r *rosterPane) setTheme(th *themes.Theme, base tcell.Style) {
	r.theme = th
	_, bg, _ := cellStyle(base, th.Roster).Decompose()
	r.SetBackgroundColor(bg)
}

func (r *rosterPane) setSnap(s *rosterSnap) {
	sel := ""
	if r.sel < len(r.rows) {
		sel = r.rows[r.sel].jid
	}
	r.snap = s
	r.refilter()
	r.selectJID(sel)
}

func (r *rosterPane) setUnread(u map[string]int) { r.unread = u }

func (r *rosterPane) setFilter(f string) {
	r.filter = f
	r.refilter()
	r.sel, r.top = 0, 0
	r.moveSel(0)
}

// refilter keeps the contacts whose name or JID contains the filter
// (ignoring case), and the headings of groups that keep any.
func (r *rosterPane) refilter() {
	if r.filter == "" {
		r.rows = r.snap.rows
		return
	}
	f := strings.ToLower(r.filter)
	r.rows = nil
	var heading *rosterRow
	for i := range r.snap.rows {
		row := r.snap.rows[i]
		if row.jid == "" {
			heading = &r.snap.rows[i]
			continue
		}
		if !strings.Contains(strings.ToLower(row.label), f) && !strings.Contains(row.jid, f) {
			continue
		}
		if heading != nil {
			r.rows = append(r.rows, *heading)
			heading = nil
		}
		r.rows = append(r.rows, row)
	}
}

func (r *rosterPane) selectJID(j string) {
	for i, row := range r.rows {
		if row.jid != "" && row.jid == j {
			r.sel = i
			return
		}
	}
	r.moveSel(0)
}

// moveSel moves the selection by d rows to a contact, skipping headings.
func (r *rosterPane) moveSel(d int) {
	n := len(r.rows)
	if n == 0 {
		r.sel = 0
		return
	}
	i := min(max(r.sel+d, 0), n-1)
	dir := 1
	if d < 0 {
		dir = -1
	}
	for _, step := range []int{dir, -dir} {
		for j := i; j >= 0 && j < n; j += step {
			if r.rows[j].jid != "" {
				r.sel = j
				return
			}
		}
	}
}

// Draw draws the pane: a separator on the left, our account, the filter,
// then the rows that fit.
func (r *rosterPane) Draw(scr tcell.Screen) {
	r.DrawForSubclass(scr, r)
	x, y, w, h := r.GetInnerRect()
	if w < 3 || h < 1 {
		return
	}
	th := r.theme
	border := cellStyle(textStyle(th), th.Border)
	for i := range h {
		scr.SetContent(x, y+i, '│', nil, border)
	}
	x, w = x+1, w-1
	self := r.snap.self
	ps := th.Presence.Show(self.show, self.online)
	line := tag(ps.Style()) + esc(string(ps.Symbol)) + reset + " " + tag(th.RosterSelf) + esc(self.jid) + reset
	if !self.online && self.conn != "" {
		line += tag(th.Notice) + " " + esc(self.conn) + reset
	}
	tview.Print(scr, line, x, y, w, tview.AlignLeft, tcell.ColorDefault)
	y, h = y+1, h-1
	focused := r.HasFocus()
	if r.filter != "" || focused {
		tview.Print(scr, tag(th.Notice)+"filter: "+reset+esc(r.filter)+"▏", x, y, w, tview.AlignLeft, tcell.ColorDefault)
		y, h = y+1, h-1
	}
	if r.sel < r.top {
		r.top = r.sel
	} else if r.sel >= r.top+h {
		r.top = r.sel - h + 1
	}
	r.top = max(0, min(r.top, len(r.rows)-h))
	r.drawnTop, r.drawnY = r.top, y
	for i := 0; i < h && r.top+i < len(r.rows); i++ {
		r.drawRow(scr, r.rows[r.top+i], x, y+i, w, focused && r.top+i == r.sel)
	}
}

func (r *rosterPane) drawRow(scr tcell.Screen, row rosterRow, x, y, w int, selected bool) {
	th := r.theme
	if row.jid == "" {
		tview.Print(scr, tag(th.RosterGroup)+esc(row.group)+" "+row.count+reset, x, y, w, tview.AlignLeft, tcell.ColorDefault)
		return
	}
	count := ""
	if n := r.unread[row.jid]; n > 0 {
		count = " " + strconv.Itoa(n)
	}
	ps := th.Presence.Show(row.show, row.online)
	sym := esc(string(ps.Symbol))
	switch {
	case row.ask:
		sym = "?" // they ask to see our presence
	case row.asked && !row.online:
		sym = "…" // we asked to see theirs: not offline, pending
	}
	if selected {
		st := cellStyle(textStyle(th), th.RosterSelected)
		for i := range w {
			scr.SetContent(x+i, y, ' ', nil, st)
		}
		tview.Print(scr, tag(th.RosterSelected)+" "+sym+" "+esc(row.label), x, y, w-len(count), tview.AlignLeft, tcell.ColorDefault)
	} else {
		tview.Print(scr, " "+tag(ps.Style())+sym+reset+" "+esc(row.label), x, y, w-len(count), tview.AlignLeft, tcell.ColorDefault)
	}
	if count != "" {
		tview.Print(scr, tag(th.RosterUnread)+count+reset, x+w-len(count), y, len(count), tview.AlignLeft, tcell.ColorDefault)
	}
}

// open opens the selected contact's conversation and returns the focus to
// the input line.
func (r *rosterPane) open() {
	if r.sel < len(r.rows) && r.rows[r.sel].jid != "" {
		r.s.host.Queue("/win " + r.rows[r.sel].jid)
	}
	r.s.tv.SetFocus(r.s.input)
}

// InputHandler: typing filters, Up/Down/PgUp/PgDn/Home/End select, Enter
// opens, Esc clears the filter or goes back to the input line.
func (r *rosterPane) InputHandler() func(*tcell.EventKey, func(tview.Primitive)) {
	return r.WrapInputHandler(func(ev *tcell.EventKey, setFocus func(tview.Primitive)) {
		_, _, _, h := r.GetInnerRect()
		switch ev.Key() {
		case tcell.KeyRune:
			r.setFilter(r.filter + string(ev.Rune()))
		case tcell.KeyBackspace, tcell.KeyBackspace2:
			if f := []rune(r.filter); len(f) > 0 {
				r.setFilter(string(f[:len(f)-1]))
			}
		case tcell.KeyUp:
			r.moveSel(-1)
		case tcell.KeyDown:
			r.moveSel(1)
		case tcell.KeyPgUp:
			r.moveSel(-max(1, h-2))
		case tcell.KeyPgDn:
			r.moveSel(max(1, h-2))
		case tcell.KeyHome:
			r.sel = 0
			r.moveSel(0)
		case tcell.KeyEnd:
			r.sel = len(r.rows) - 1
			r.moveSel(0)
		case tcell.KeyEnter:
			r.open()
		case tcell.KeyEscape:
			if r.filter != "" {
				r.setFilter("")
				return
			}
			setFocus(r.s.input)
		}
	})
}

// MouseHandler: a click on a contact opens it, the wheel scrolls. The
// focus stays where it was.
func (r *rosterPane) MouseHandler() func(tview.MouseAction, *tcell.EventMouse, func(tview.Primitive)) (bool, tview.Primitive) {
	return func(action tview.MouseAction, ev *tcell.EventMouse, _ func(tview.Primitive)) (bool, tview.Primitive) {
		x, y := ev.Position()
		if !r.InRect(x, y) {
			return false, nil
		}
		switch action {
		case tview.MouseLeftClick, tview.MouseLeftDoubleClick:
			if i := r.drawnTop + y - r.drawnY; y >= r.drawnY && i < len(r.rows) && r.rows[i].jid != "" {
				r.sel = i
				r.s.host.Queue("/win " + r.rows[i].jid)
			}
		case tview.MouseScrollUp:
			r.top = max(0, r.top-wheelLines)
			r.sel = max(r.sel-wheelLines, 0)
			r.moveSel(0)
		case tview.MouseScrollDown:
			r.top += wheelLines
			r.sel = min(r.sel+wheelLines, len(r.rows)-1)
			r.moveSel(0)
		default:
			return false, nil
		}
		return true, nil
	}
}
