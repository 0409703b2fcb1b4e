package ui

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"chat/event"
	"chat/themes"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/uniseg"
)

// newSyncUI is a UI whose two halves run in turn on the calling goroutine
// (see frameAndDraw), with the given theme.
func newSyncUI(t testing.TB, w, h int, theme string) (*UI, *syncHost, tcell.SimulationScreen) {
	t.Helper()
	sim := tcell.NewSimulationScreen("UTF-8")
	u, err := New(Options{Screen: sim, Theme: theme, ThemeDir: t.TempDir(), Editor: "false", Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	host := newSyncHost(t, u)
	u.Attach(host)
	if err := u.s.initScreen(sim); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Fini)
	sim.SetSize(w, h)
	host.handle(event.ConnState{Header: event.At(me), State: event.Online, JID: me + "/ui"})
	frameAndDraw(u)
	return u, host, sim
}

// shot is what a simulation screen shows: each row's text (wide
// characters once) and, per row, the x of each of its runes' cells.
type shot struct {
	rows  []string
	cells [][]tcell.SimCell // per row, the cells that start a cluster
}

func takeShot(sim tcell.SimulationScreen) shot {
	cells, w, h := sim.GetContents()
	var s shot
	for y := range h {
		var b strings.Builder
		var row []tcell.SimCell
		for x := 0; x < w; x++ {
			c := cells[y*w+x]
			t := string(c.Runes)
			if t == "" || t == "\x00" {
				t = " "
			}
			b.WriteString(t)
			row = append(row, c)
			if n := uniseg.StringWidth(t); n > 1 {
				x += n - 1
			}
		}
		s.rows = append(s.rows, strings.TrimRight(b.String(), " "))
		s.cells = append(s.cells, row)
	}
	return s
}

func (s shot) String() string { return strings.Join(s.rows, "\n") }

// style returns the style of the cell where text starts on screen (text
// must be ASCII up to there on its row).
func (s shot) style(t testing.TB, text string) tcell.Style {
	t.Helper()
	for y, row := range s.rows {
		if i := strings.Index(row, text); i >= 0 {
			return s.cells[y][uniseg.GraphemeClusterCount(row[:i])].Style
		}
	}
	t.Fatalf("%q not on screen:\n%s", text, s)
	return tcell.Style{}
}

// urlOf returns a cell style's link (tcell has no getter for it).
func urlOf(st tcell.Style) string { return reflect.ValueOf(st).FieldByName("url").String() }

// look is what a cell looks like: colours, attributes, underline, link
// (not tcell's link id, which a reset sets to an empty one).
type look struct {
	fg, bg tcell.Color
	attrs  tcell.AttrMask
	ul     tcell.UnderlineStyle
	url    string
}

func lookOf(st tcell.Style) look {
	fg, bg, a := st.Decompose()
	return look{fg, bg, a, st.GetUnderlineStyle(), urlOf(st)}
}

func underlined(st tcell.Style) bool {
	_, _, a := st.Decompose()
	return st.GetUnderlineStyle() != tcell.UnderlineStyleNone || a&tcell.AttrUnderline != 0
}

// The screen: a contact whose resource, roster name, status and
// messages are tview tags (URL tags among them) must see them shown as
// text, with no link, colour or underline of theirs on any cell.
func TestHostileTagsAreShownAsText(t *testing.T) {
	u, host, sim := newSyncUI(t, 200, 30, "dark")
	const (
		res    = "[yellow:red:b:https://evil.example/res]"
		name   = "[::u]Bob[:::https://evil.example/name]"
		status = "[:::https://evil.example/s]away[black:black]"
	)
	bodies := []string{
		"A [:::https://evil.example/phish]CLICK-HERE",
		"B [#ff0000:#ffff00:bu:https://evil.example/x]...",
		"C [black:black::/]INVISIBLE",
		`D ["region"]R [red[]`,
	}
	host.handle(event.Roster{Header: event.At(me), Items: []event.RosterItem{{JID: bob, Name: name, Subscription: "both"}}})
	host.line("/win " + bob)
	host.handle(event.Presence{Header: event.At(me), From: bob + "/" + res, Available: true, Status: status})
	for _, b := range bodies {
		host.handle(event.Message{Header: event.At(me), From: bob + "/" + res, To: me, Peer: bob, Type: "chat", Body: b, Stamp: time.Now()})
	}
	const link = "[:::https://evil.example/l]link"
	host.handle(event.Message{Header: event.At(me), From: bob + "/" + res, To: me, Peer: bob, Type: "chat", Body: "x", Stamp: time.Now(),
		XHTML: `<p><a href="https://evil.example/[x]">` + link + `</a></p>`})
	const failure = "server says [:::https://evil.example/e]boom[::u]"
	host.handle(event.Error{Header: event.At(me), Text: failure})
	host.handle(event.Message{Header: event.At(me), From: bob + "/" + res, To: me, Peer: bob, Type: "chat", Body: "after", Stamp: time.Now()})
	frameAndDraw(u)
	s := takeShot(sim)
	screen := s.String()
	shown := append(bodies, bob+"/"+res+" is available: "+status, "<"+name+">", "("+name+")", ": "+status, link, failure,
		"│ ● [::u]Bob[:::https:") // the last: the roster pane's row
	for _, want := range shown {
		if !strings.Contains(screen, want) {
			t.Errorf("%q not shown as text:\n%s", want, screen)
		}
	}
	for y, row := range s.cells {
		for x, c := range row {
			if u := urlOf(c.Style); u != "" {
				t.Fatalf("cell %d,%d (%q) links to %q:\n%s", x, y, string(c.Runes), u, screen)
			}
		}
	}
	text := lookOf(s.style(t, "after"))
	for _, w := range []string{"A [", "CLICK-HERE", "B [", "...", "INVISIBLE", `D ["`} {
		if got := lookOf(s.style(t, w)); got != text {
			t.Errorf("%q styled %v, plain text is %v", w, got, text)
		}
	}
	var stamp look
	for y, row := range s.rows {
		if !stampRow.MatchString(row) {
			continue
		}
		if st := lookOf(s.cells[y][0].Style); y == 1 {
			stamp = st
		} else if st != stamp || st.ul != tcell.UnderlineStyleNone || st.url != "" {
			t.Errorf("timestamp of row %d styled %v, the first one %v:\n%s", y, st, stamp, screen)
		}
	}
}

// stampRow matches a chat row that starts with a timestamp.
var stampRow = regexp.MustCompile(`^\d\d:\d\d `)

// Issue 14: themes that underline our own nick must not underline what
// follows it: the rest of the line, later lines, their timestamps.
func TestNoUnderlineAfterOwnNick(t *testing.T) {
	for _, theme := range themes.BuiltinNames() {
		t.Run(theme, func(t *testing.T) {
			u, host, sim := newSyncUI(t, 100, 20, theme)
			host.line("/win " + bob)
			host.handle(outgoing(bob, "first line"))
			host.handle(incoming(bob, "second line"))
			frameAndDraw(u)
			s := takeShot(sim)
			checked := 0
			for y, row := range s.rows {
				i := strings.Index(row, "<me> first line")
				if i < 0 && !strings.Contains(row, "second line") {
					continue
				}
				from := 0
				if i >= 0 {
					from = uniseg.GraphemeClusterCount(row[:i]) + len("<me>")
				}
				for x := from; x < uniseg.GraphemeClusterCount(row); x++ {
					if underlined(s.cells[y][x].Style) {
						t.Fatalf("cell %d of %q is underlined", x, row)
					}
					checked++
				}
			}
			if checked == 0 {
				t.Fatalf("messages not on screen:\n%s", s)
			}
		})
	}
}
