package ui

import (
	"math"
	"strings"
	"testing"

	"chat/xhtml"

	"github.com/gdamore/tcell/v2"
)

const bob = "bob@example.org"

// richMessage shows an incoming message from bob (with XHTML-IM if html is
// not "") in bob's buffer and waits for want.
func richMessage(r *rig, body, html, want string) {
	r.t.Helper()
	m := incoming(bob, body)
	m.XHTML = html
	r.event(m)
	r.typ("/win 2")
	r.enter()
	r.waitFor(want)
	r.settle()
}

// cell returns the style of the first cell of text on screen.
func (r *rig) cell(text string) tcell.Style {
	r.t.Helper()
	x, y, ok := r.find(text)
	if !ok {
		r.t.Fatalf("%q not on screen:\n%s", text, r.dump())
	}
	st, _ := r.cellAt(x, y)
	return st
}

func bold(st tcell.Style) bool {
	_, _, a := st.Decompose()
	return a&tcell.AttrBold != 0
}

func TestXHTMLBoldCells(t *testing.T) {
	r := newRig(t, 80, 24, nil)
	richMessage(r, "hi *bold*", "<p>hi <strong>bold</strong></p>", "hi bold")
	if !bold(r.cell("bold")) {
		t.Errorf("\"bold\" is not bold:\n%s", r.dump())
	}
	if bold(r.cell("hi bold")) {
		t.Error("\"hi\" is bold too")
	}
	x, y, _ := r.find("hi bold")
	if st, _ := r.cellAt(x+len("hi bold"), y); bold(st) {
		t.Error("bold leaks past the span")
	}
	if strings.Contains(r.dump(), "*bold*") {
		t.Error("the body was shown instead of the XHTML")
	}
}

func TestStylingFollowsSetting(t *testing.T) {
	r := newRig(t, 80, 24, nil)
	richMessage(r, "this is *strong* text", "", "this is *strong* text")
	if !bold(r.cell("strong*")) {
		t.Fatalf("*strong* is not bold with styling on")
	}
	if bold(r.cell("text")) {
		t.Error("bold leaks into the following text")
	}
	r.typ("/set styling off")
	r.enter()
	r.waitQueued("/set styling off")
	r.settle()
	r.waitFor("this is *strong* text")
	if bold(r.cell("strong*")) {
		t.Error("*strong* is still bold with styling off")
	}
	r.typ("/set styling on")
	r.enter()
	r.waitQueued("/set styling on")
	r.settle()
	if !bold(r.cell("strong*")) {
		t.Error("*strong* is not bold again with styling back on")
	}
}

func TestHostileXHTMLShowsLiterally(t *testing.T) {
	r := newRig(t, 80, 24, nil)
	richMessage(r, "plain", "<p>[red]x [::b]y \u202eevil\u202c end</p>", "[red]x [::b]y")
	screen := r.dump()
	if strings.ContainsRune(screen, '\u202e') {
		t.Error("a bidi override reached the screen")
	}
	if !strings.Contains(screen, "evil end") {
		t.Errorf("text around the override is missing:\n%s", screen)
	}
	st := r.cell("x [::b]y")
	if fg, _, _ := st.Decompose(); fg == tcell.ColorRed || bold(st) {
		t.Errorf("tags in the text were obeyed: %v", st)
	}
	r.event(incoming(bob, "[blue]z *[::u]w*"))
	r.waitFor("[blue]z *[::u]w*")
	r.settle()
	if fg, _, _ := r.cell("[blue]z").Decompose(); fg == tcell.ColorBlue {
		t.Error("a tag in a styled body was obeyed")
	}
}

func TestXHTMLColourReadableOnLight(t *testing.T) {
	r := newRig(t, 80, 24, func(o *Options) { o.Theme = "light" })
	richMessage(r, "sun", `<p><span style="color: #ffff66">sunny</span> day</p>`, "sunny day")
	fg, _, _ := r.cell("sunny").Decompose()
	if fg == tcell.ColorDefault || !fg.Valid() {
		t.Fatalf("the sender's colour was dropped: %v", fg)
	}
	if c := contrastOnWhite(fg); c < xhtml.MinContrast {
		t.Errorf("colour %06x has contrast %.2f on white, want ≥ %.1f", fg.Hex(), c, xhtml.MinContrast)
	}
	if fg2, _, _ := r.cell("day").Decompose(); fg2 == fg {
		t.Error("the colour leaks past its span")
	}
}

func TestMonochromeDropsColours(t *testing.T) {
	r := newRig(t, 80, 24, func(o *Options) { o.Theme = "monochrome" })
	richMessage(r, "x", `<p><span style="color: #00ff00">green</span></p>`, "green")
	if fg, _, _ := r.cell("green").Decompose(); fg != tcell.ColorDefault {
		t.Errorf("monochrome theme shows a sender colour: %v", fg)
	}
}

func contrastOnWhite(c tcell.Color) float64 {
	rr, gg, bb := c.TrueColor().RGB()
	lin := func(v int32) float64 {
		f := float64(v) / 255
		if f <= 0.03928 {
			return f / 12.92
		}
		return math.Pow((f+0.055)/1.055, 2.4)
	}
	l := 0.2126*lin(rr) + 0.7152*lin(gg) + 0.0722*lin(bb)
	return 1.05 / (l + 0.05)
}

func TestRichTextResetsEverySpan(t *testing.T) {
	spans := []xhtml.Span{{Text: "a\nb", Style: xhtml.Style{Bold: true, Link: "https://x"}}, {Text: "[c]"}}
	got := richText(spans, "[red::]", richPalette{})
	want := "[red::][::bu]a" + reset + "\n      [red::][::bu]b" + reset + "[red::][[:]c]" + reset
	if got != want {
		t.Errorf("richText = %q\nwant      %q", got, want)
	}
}

// BenchmarkRenderRich measures rendering a typical rich message (XHTML
// with bold, a colour and a link) into a tagged line, parsing included.
func BenchmarkRenderRich(b *testing.B) {
	u, _ := syncUI(b, 120, 40)
	m := u.m
	body := "Meeting at *3pm*, see https://example.org/agenda"
	html := `<p>Meeting at <span style="color: #3366ff; font-weight: bold">3pm</span>, ` +
		`see <a href="https://example.org/agenda">the agenda</a> and <em>bring</em> <code>notes</code></p>`
	proto := m.messageLine(bufKey{me, bob}, false, body, html)
	p := m.palette()
	b.ReportAllocs()
	for b.Loop() {
		l := proto
		if s := m.renderLine(&l, true, p); s == "" {
			b.Fatal("empty line")
		}
	}
}
