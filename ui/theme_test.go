package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chat/event"

	"github.com/gdamore/tcell/v2"
)

func TestThemeSwitchRecoloursCells(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "broken.toml"), []byte("base = \"dark\"\n\nstatus = { bg = \"purplish\" }\n"), 0o600)
	r := newRig(t, 200, 24, func(o *Options) { o.ThemeDir = dir }) // wide: the error names a temporary path
	r.event(incoming("bob@example.org", "colour me"))
	r.typ("/win 2")
	r.enter()
	r.waitFor("colour me")
	statusBg := func() tcell.Color {
		st, _ := r.cellAt(0, 22)
		_, bg, _ := st.Decompose()
		return bg
	}
	nickFg := func() tcell.Color {
		x, y, _ := r.find("<bob>")
		st, _ := r.cellAt(x+1, y)
		fg, _, _ := st.Decompose()
		return fg
	}
	dark, darkNick := statusBg(), nickFg()
	if dark != tcell.GetColor("#26303d") {
		t.Errorf("dark status background = %v", dark)
	}
	r.typ("/theme light")
	r.enter()
	r.waitFor("theme: light")
	if bg := statusBg(); bg != tcell.GetColor("#d7e3f0") {
		t.Errorf("light status background = %v, want #d7e3f0", bg)
	}
	if fg := nickFg(); fg == darkNick || fg == tcell.ColorDefault {
		t.Errorf("nick colour did not change with the theme: %v", fg)
	}
	r.typ("/theme monochrome")
	r.enter()
	r.waitFor("theme: monochrome")
	st, _ := r.cellAt(0, 22)
	fg, bg, attrs := st.Decompose()
	if fg != tcell.ColorDefault || bg != tcell.ColorDefault || attrs&tcell.AttrReverse == 0 {
		t.Errorf("monochrome status bar = fg %v bg %v attrs %v, want default colours reversed", fg, bg, attrs)
	}
	r.typ("/theme broken")
	r.enter()
	rows := r.waitFor("line 3")
	if screen := strings.Join(rows, "\n"); !strings.Contains(screen, "(keeping") || !strings.Contains(screen, "monochrome)") {
		t.Errorf("bad theme error does not say the current theme stays:\n%s", strings.Join(rows, "\n"))
	}
	if st2, _ := r.cellAt(0, 22); st2 != st {
		t.Errorf("a bad theme changed the colours: %v", st2)
	}
	r.typ("/theme")
	r.enter()
	r.waitFor("*monochrome")
}

func TestNoColorStartsMonochrome(t *testing.T) {
	r := newRig(t, 80, 24, func(o *Options) {
		o.Theme = ""
		o.Getenv = func(k string) string {
			if k == "NO_COLOR" {
				return "1"
			}
			return ""
		}
	})
	r.waitFor("1 console")
	r.onUI(func() {})
	cells := 0
	r.onUI(func() {
		all, _, _ := r.sim.GetContents()
		for _, c := range all {
			fg, bg, _ := c.Style.Decompose()
			if fg != tcell.ColorDefault || bg != tcell.ColorDefault {
				cells++
			}
		}
	})
	if cells != 0 {
		t.Errorf("%d cells have colours under NO_COLOR:\n%s", cells, r.dump())
	}
}

func TestHostileTextIsShownNotObeyed(t *testing.T) {
	r := newRig(t, 100, 24, nil)
	r.event(event.Roster{Header: event.At(me), Items: []event.RosterItem{
		{JID: "mal@example.org", Name: "[blue]Mal\x1b[2J\u202eyrrol", Subscription: "both"}}})
	r.event(incoming("mal@example.org", "[red]alert[::b] \x1b[31mred\x1b]0;title\x07 \u202eevil [\"r\"]x[-] \u009b1m"))
	r.typ("/win 2")
	r.enter()
	rows := r.waitFor("[red]alert[::b]")
	screen := strings.Join(rows, "\n")
	for _, bad := range []string{"\x1b", "\x07", "\u202e", "\u009b"} {
		if strings.Contains(screen, bad) {
			t.Errorf("screen contains %q:\n%s", bad, screen)
		}
	}
	for _, want := range []string{`["r"]x[-]`, "evil", "<[blue]Mal", "2 mal@example.org ([blue]Mal"} {
		if !strings.Contains(screen, want) {
			t.Errorf("%q not shown literally:\n%s", want, screen)
		}
	}
	x, y, _ := r.find("alert")
	st, _ := r.cellAt(x, y)
	if fg, _, attrs := st.Decompose(); fg == tcell.ColorRed || attrs&tcell.AttrBold != 0 {
		t.Errorf("[red] or [::b] in the text styled it: fg %v attrs %v", fg, attrs)
	}
	if got := rowWith(rows, "Mal"); !strings.HasPrefix(got, "[blue]Mal") {
		t.Errorf("roster row = %q", got)
	}
}

func TestBadConfiguredThemeFallsBackWithAnError(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "mine.toml"), []byte("text = { fg = \"nope\" }\n"), 0o600)
	r := newRig(t, 200, 24, func(o *Options) { o.Theme, o.ThemeDir = "mine", dir }) // wide: a temporary path
	rows := r.waitFor("line 1: unknown colour")
	if !strings.Contains(strings.Join(rows, "\n"), "(using dark)") {
		t.Errorf("no fallback named:\n%s", strings.Join(rows, "\n"))
	}
}
