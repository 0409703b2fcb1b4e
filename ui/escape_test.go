package ui

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"chat/sanitize"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
	"github.com/rivo/uniseg"
)

// hostileTags are tag forms tview v0.42.0 parses, and near misses: the
// issue's URL tags, style and region tags, escaped tags, and tags that a
// URL would run on into.
var hostileTags = []string{
	"A [:::https://evil.example/phish]CLICK-ME",
	"B [#ff0000:#ffff00:bu:https://evil.example/x]...",
	"C [black:black::/]INVISIBLE",
	"[yellow:red:b:https://evil.example/res]",
	"[red]alert[::b]bold[-]", `["region"]x[""]`, "[::u]under", "[:::-]",
	"[red[]", "[a[[]b", "[]", "[[]", "[", "x[", "[:::", "[red:", "[:::a[b]c",
	"[::bu:https://a]b[:::https://c]d", "[#abcdef]", "[-:-:-:-]", "[:]",
	"[\u0301red]", "e\u0301[red]", "\u0600[red]", "[red]\u0600", "\u0301\u0302lead",
	"[\"a b\"]", "[-]", "[::]", "[:::https://x/[]]", "日本[語]", "🇫🇷[red]",
}

// plainStyle is the style Print draws with when no tag changes it.
var plainStyle = tcell.StyleDefault.Foreground(tcell.ColorWhite)

// printed draws text with tview.Print on a fresh screen and returns what
// the cells read back (each drawn cluster once) and their styles.
func printed(t testing.TB, text string, w int) (string, []tcell.Style) {
	t.Helper()
	sim := tcell.NewSimulationScreen("UTF-8")
	if err := sim.Init(); err != nil {
		t.Fatal(err)
	}
	defer sim.Fini()
	sim.SetSize(w, 1)
	tview.Print(sim, text, 0, 0, w, tview.AlignLeft, tcell.ColorWhite)
	sim.Show()
	cells, cw, _ := sim.GetContents()
	var texts []string
	var styles []tcell.Style
	for x := 0; x < cw; x++ {
		s := string(cells[x].Runes)
		if s == "" || s == "\x00" {
			s = " "
		}
		texts, styles = append(texts, s), append(styles, cells[x].Style)
		if n := uniseg.StringWidth(s); n > 1 {
			x += n - 1
		}
	}
	for len(texts) > 0 && texts[len(texts)-1] == " " {
		texts, styles = texts[:len(texts)-1], styles[:len(styles)-1]
	}
	return strings.Join(texts, ""), styles
}

// drawnText is what tview shows for s as text: its grapheme clusters that
// take room, less what escape trims.
func drawnText(s string) string {
	var b strings.Builder
	for g := uniseg.NewGraphemes(trimJoins(s)); g.Next(); {
		if g.Width() > 0 {
			b.WriteString(g.Str())
		}
	}
	return b.String()
}

// checkPlain fails if a cell style differs from want in colour, attributes,
// underline or link.
func checkPlain(t testing.TB, what string, got, want tcell.Style) {
	t.Helper()
	gf, gb, ga := got.Decompose()
	wf, wb, wa := want.Decompose()
	if gf != wf || gb != wb || ga != wa || got.GetUnderlineStyle() != want.GetUnderlineStyle() || urlOf(got) != urlOf(want) {
		t.Fatalf("%s: style fg %v bg %v attrs %v underline %v url %q, want fg %v bg %v attrs %v underline %v url %q",
			what, gf, gb, ga, got.GetUnderlineStyle(), urlOf(got), wf, wb, wa, want.GetUnderlineStyle(), urlOf(want))
	}
}

// checkEscape draws escape(s) between a tag and a reset and checks the
// cells read back s in the tag's style, and that nothing outlives reset.
func checkEscape(t testing.TB, s string) {
	t.Helper()
	s = sanitize.Line(s)
	want := drawnText(s)
	if uniseg.StringWidth(want) > 400 {
		return
	}
	text, styles := printed(t, "[red::b]"+escape(s)+reset+"Z", 512)
	if got := strings.TrimSuffix(text, "Z"); got != want {
		t.Fatalf("escape(%q) = %q draws %q, want %q", s, escape(s), got, want)
	}
	red := plainStyle.Foreground(tcell.ColorRed).Bold(true)
	n := len(styles) - 1 // the cells before "Z"
	for x := 0; x < n; x++ {
		checkPlain(t, fmt.Sprintf("cell %d of %q", x, s), styles[x], red)
	}
	checkPlain(t, fmt.Sprintf("cell after %q", s), styles[n], plainStyle)
}

func TestEscapeDrawsLiterally(t *testing.T) {
	for _, s := range hostileTags {
		checkEscape(t, s)
	}
}

// Everything a tag can change is undone by reset, underline included
// (issue 14: "[-:-:-]" left tcell's underline style on).
func TestResetEndsEverything(t *testing.T) {
	_, styles := printed(t, "[red:blue:bidsrlu:https://x]a"+reset+"b", 10)
	checkPlain(t, "after reset", styles[1], plainStyle)
}

func FuzzEscape(f *testing.F) {
	for _, s := range hostileTags {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 300 {
			return
		}
		checkEscape(t, s)
	})
}

// escape follows tview v0.42.0's tag grammar: another tview version must
// be read again (its step and parseTag) before this test is moved on.
func TestEscapeKnowsTheLinkedTview(t *testing.T) {
	mod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mod), "github.com/rivo/tview v0.42.0\n") {
		t.Error("go.mod requires another tview than v0.42.0: check escape.go against its tag parser")
	}
}

var sink string

// BenchmarkEscapeClean measures a message with no '[' (the common case:
// no allocation).
func BenchmarkEscapeClean(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = escape("a plain message of some length, as most of them are")
	}
}

// BenchmarkEscapeTags measures a message full of tags.
func BenchmarkEscapeTags(b *testing.B) {
	s := strings.Repeat("[:::https://evil.example/x]a[red]b ", 8)
	b.ReportAllocs()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		sink = escape(s)
	}
}
