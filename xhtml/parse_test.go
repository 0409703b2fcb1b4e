package xhtml

import (
	"errors"
	"strings"
	"testing"
)

// styleOfText returns the style of the span holding the first occurrence
// of sub, which must lie within one span.
func styleOfText(t *testing.T, spans []Span, sub string) Style {
	t.Helper()
	for _, s := range spans {
		if strings.Contains(s.Text, sub) {
			return s.Style
		}
	}
	t.Fatalf("no span holds %q in %q", sub, Plain(spans))
	return Style{}
}

func TestParseRealClients(t *testing.T) {
	cases := []struct {
		name, inner, plain string
		styles             map[string]Style
		links              []string
	}{
		{"gajim", gajimSample,
			"Meeting moved to 3pm, see the agenda <https://example.org/agenda>\nBring coffee ☕",
			map[string]Style{
				"Meeting": {},
				"3pm":     {Bold: true, FG: "#ef2929"},
				"agenda":  {Underline: true, Link: "https://example.org/agenda"},
				"coffee":  {Italic: true},
			},
			[]string{"https://example.org/agenda"}},
		{"psi", psiSample, "Release notes tonight",
			map[string]Style{"Release": {Bold: true}, "notes": {}, "tonight": {Italic: true, FG: "#0000ff"}}, nil},
		{"pidgin", pidginSample, "hi there, http://pidgin.im now",
			map[string]Style{
				"hi":     {Bold: true, FG: "#0000ff"},
				"there":  {FG: "#0000ff"},
				"pidgin": {FG: "#0000ff", Underline: true, Link: "http://pidgin.im"},
				"now":    {FG: "#0000ff", Underline: true},
			},
			[]string{"http://pidgin.im"}},
		{"movim", movimSample,
			"Look at this Movim <https://movim.eu/> post\n[image: screenshot.png] <https://upload.example.net/abc/screenshot.png>",
			map[string]Style{"Movim": {Underline: true, Link: "https://movim.eu/"}, "[image": {Link: "https://upload.example.net/abc/screenshot.png"}},
			[]string{"https://movim.eu/", "https://upload.example.net/abc/screenshot.png"}},
		{"lists", listSample, "Todo:\n• milk\n• bread\n  1. white\n  2. rye", nil, nil},
		{"quotes", quoteSample, "> you said this\n> > and “that”\nreply",
			map[string]Style{"you said": {Quote: 1}, "this": {Italic: true, Quote: 1}, "and": {Quote: 2}, "reply": {}}, nil},
		{"pre", preSample, "func main() {\n\tprintln(\"hi\")\n}\nrun it with go run .",
			map[string]Style{"println": {Code: true}, "run it": {}, "go run": {Code: true}}, nil},
	}
	for _, tc := range cases {
		for _, via := range []bool{false, true} {
			inner := tc.inner
			if via {
				inner = viaClient(t, inner)
			}
			t.Run(tc.name, func(t *testing.T) {
				spans, err := Parse(inner)
				if err != nil {
					t.Fatalf("Parse(%q): %v", inner, err)
				}
				checkSafe(t, inner, spans)
				if got := Plain(spans); got != tc.plain {
					t.Errorf("Parse(%q) shows\n%q, want\n%q", inner, got, tc.plain)
				}
				for sub, want := range tc.styles {
					if got := styleOfText(t, spans, sub); got != want {
						t.Errorf("style of %q = %+v, want %+v", sub, got, want)
					}
				}
				if got := Links(spans); strings.Join(got, " ") != strings.Join(tc.links, " ") {
					t.Errorf("Links = %q, want %q", got, tc.links)
				}
			})
		}
	}
}

func TestParseHostile(t *testing.T) {
	cases := []struct {
		name, inner string
		err         error  // nil: must parse
		plain       string // with err nil: what must be shown
	}{
		{"deep nesting", hostileSamples[0], ErrLimit, ""},
		{"1 MiB text", hostileSamples[1], ErrLimit, ""},
		{"100 KiB attribute", hostileSamples[2], ErrLimit, ""},
		{"3 KiB attribute", `<a href="` + strings.Repeat("x", 3<<10) + `">big</a>`, ErrLimit, ""},
		{"script and style dropped", hostileSamples[3], nil, "hi there"},
		{"javascript link is just text", hostileSamples[4], nil, "click me <javascript:alert(1)>"},
		{"css expressions ignored", hostileSamples[5], nil, "css"},
		{"bidi override removed", hostileSamples[6], nil, "rtl gnp.exe and raw here"},
		{"c1 csi removed with its parameters", hostileSamples[7], nil, "c1 csi and"},
		{"escape by reference refused by XML", hostileSamples[8], errAny, ""},
		{"raw escape refused by XML", hostileSamples[9], errAny, ""},
		{"controls in attributes", hostileSamples[10], nil, "x <http://ab/>[image: cat] <http://x/y>"},
		{"entity bomb refused", hostileSamples[11], ErrNotAllowed, ""},
		{"external DTD refused", hostileSamples[12], ErrNotAllowed, ""},
		{"tview tags stay literal", hostileSamples[13], nil, `[red]not red[-] [::b]not bold ["region"]`},
		{"too many spans", hostileSamples[14], ErrLimit, ""},
		{"line breaks capped", hostileSamples[15], nil, "x"},
		{"cdata is text, comments ignored", hostileSamples[16], nil, "a<script>b</script>c"},
		{"foreign elements show their text", hostileSamples[17], nil, "unknown namespace"},
		{"unclosed element", hostileSamples[18], errAny, ""},
		{"html entity unknown to XML", hostileSamples[19], errAny, ""},
		{"invalid utf-8", hostileSamples[20], errAny, ""},
		{"data uri image is not a link", hostileSamples[21], nil, "[image: pixel] <data:image/png…>"},
		{"nesting at the limit", strings.Repeat("<span>", MaxDepth) + "ok" + strings.Repeat("</span>", MaxDepth), nil, "ok"},
		{"nesting over the limit", strings.Repeat("<span>", MaxDepth+1) + "no" + strings.Repeat("</span>", MaxDepth+1), ErrLimit, ""},
		{"input at the limit", "<p>" + strings.Repeat("a", MaxInput-7) + "</p>", nil, strings.Repeat("a", MaxInput-7)},
		{"input over the limit", "<p>" + strings.Repeat("a", MaxInput-6) + "</p>", ErrLimit, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			spans, err := Parse(tc.inner)
			checkSafe(t, tc.inner, spans)
			switch {
			case tc.err == nil && err != nil:
				t.Fatalf("Parse(%.80q): %v", tc.inner, err)
			case tc.err == errAny && err == nil, tc.err != nil && tc.err != errAny && !errors.Is(err, tc.err):
				t.Fatalf("Parse(%.80q) = %.80q, %v; want error %v", tc.inner, Plain(spans), err, tc.err)
			case tc.err == nil && Plain(spans) != tc.plain:
				t.Errorf("Parse(%.80q) shows %.200q, want %q", tc.inner, Plain(spans), tc.plain)
			}
		})
	}
}

// errAny stands for "some error" in tables.
var errAny = errors.New("any error")

func TestParseLayout(t *testing.T) {
	cases := []struct{ name, inner, plain string }{
		{"white space collapses", "  a \n\t b  ", "a b"},
		{"paragraphs on their own lines", "<p>a</p><p>b</p>c", "a\nb\nc"},
		{"empty blocks add nothing", "<p></p><p> </p><div><p>a</p></div>", "a"},
		{"br keeps one blank line at most twice", "a<br/><br/><br/><br/><br/>b", "a\n\n\nb"},
		{"leading br dropped", "<br/>a", "a"},
		{"space between styled words", "<b>a</b> <i>b</i>", "a b"},
		{"no space inside words", "<b>a</b><i>b</i>", "ab"},
		{"link text equal to target", `<a href="https://x.example/">https://x.example/</a>`, "https://x.example/"},
		{"link without text", `see <a href="https://x.example/"></a>`, "see <https://x.example/>"},
		{"link without href", `<a>plain</a>`, "plain"},
		{"image without alt", `<img src="https://x/y.png"/>`, "[image] <https://x/y.png>"},
		{"image without src", `<img alt="gone"/>`, "[image: gone]"},
		{"quote inside words", `he said <q>hi</q>.`, "he said “hi”."},
		{"li outside a list", `<li>x</li>`, "• x"},
		{"ordered list", `<ol><li>a</li><li>b</li><li>c</li></ol>`, "1. a\n2. b\n3. c"},
		{"pre keeps spaces", "<pre>a  b\n  c</pre>", "a  b\n  c"},
		{"pre in quote gets markers", "<blockquote><pre>a\nb</pre></blockquote>", "> a\n> b"},
		{"headings are blocks", "<h1>Title</h1>text", "Title\ntext"},
		{"body and html are transparent", "<html><head><title>t</title></head><body><p>x</p></body></html>", "x"},
		{"upper-case names", "<P>a</P><P>b</P>", "a\nb"},
		{"line separator in text", "a\u2028b", "a b"},
		{"tab in text collapses", "a\tb", "a b"},
		{"nbsp kept", "a\u00a0\u00a0b", "a\u00a0\u00a0b"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			spans, err := Parse(tc.inner)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.inner, err)
			}
			if got := Plain(spans); got != tc.plain {
				t.Errorf("Parse(%q) shows %q, want %q", tc.inner, got, tc.plain)
			}
		})
	}
}

func TestParseStyles(t *testing.T) {
	cases := []struct {
		inner, sub string
		want       Style
	}{
		{`<span style="color: red">x</span>`, "x", Style{FG: "#ff0000"}},
		{`<span style="COLOR: #ABC !important">x</span>`, "x", Style{FG: "#aabbcc"}},
		{`<span style="background-color: rgb(0, 128, 255)">x</span>`, "x", Style{BG: "#0080ff"}},
		{`<span style="font-weight: 700">x</span>`, "x", Style{Bold: true}},
		{`<strong><span style="font-weight: normal">x</span></strong>`, "x", Style{}},
		{`<span style="font-style: oblique 10deg">x</span>`, "x", Style{Italic: true}},
		{`<span style="text-decoration: underline line-through">x</span>`, "x", Style{Underline: true, Strike: true}},
		{`<u><span style="text-decoration: none">x</span></u>`, "x", Style{Underline: true}},
		{`<span style="color: #12345">x</span>`, "x", Style{}},
		{`<span style="color">x</span>`, "x", Style{}},
		{`<del>x</del>`, "x", Style{Strike: true}},
		{`<code>x</code>`, "x", Style{Code: true}},
		{`<cite>x</cite>`, "x", Style{Italic: true}},
		{`<a href=" https://a/ ">x</a>`, "x", Style{Underline: true, Link: "https://a/"}},
		{`<blockquote><blockquote>x</blockquote></blockquote>`, "x", Style{Quote: 2}},
	}
	for _, tc := range cases {
		spans, err := Parse(tc.inner)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.inner, err)
		}
		if got := styleOfText(t, spans, tc.sub); got != tc.want {
			t.Errorf("Parse(%q): style of %q = %+v, want %+v", tc.inner, tc.sub, got, tc.want)
		}
	}
}

func TestLinksInOrderOnce(t *testing.T) {
	spans, err := Parse(`<a href="https://b/">b</a> <a href="https://a/">a</a> <a href="https://b/">again</a> <img src="https://c/"/>`)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"https://b/", "https://a/", "https://c/"}
	if got := Links(spans); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Links = %q, want %q", got, want)
	}
}

func TestChoose(t *testing.T) {
	cases := []struct {
		name, body, xhtml, plain string
		usedXHTML                bool
	}{
		{"xhtml preferred", "Hello *world*", "<p>Hello <strong>world</strong></p>", "Hello world", true},
		{"conversations sends no xhtml", "Hello *world*", "", "Hello *world*", false},
		{"empty xhtml", "body", "<p> </p>", "body", false},
		{"only a script", "body", "<script>x</script>", "body", false},
		{"broken xhtml", "body", "<p>unclosed", "body", false},
		{"doctype", "body", "<!DOCTYPE x><p>x</p>", "body", false},
		{"over a limit", "body", strings.Repeat("<span>", 100) + "x" + strings.Repeat("</span>", 100), "body", false},
		{"image only is visible", "", `<img alt="a"/>`, "[image: a]", true},
		{"both empty", "", "", "", false},
		{"body sanitized on fallback", "\x1b[2Jsafe", "<p>", "safe", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			spans, used := Choose(tc.body, tc.xhtml)
			if used != tc.usedXHTML || Plain(spans) != tc.plain {
				t.Errorf("Choose(%q, %.40q) = %q, %v; want %q, %v", tc.body, tc.xhtml, Plain(spans), used, tc.plain, tc.usedXHTML)
			}
		})
	}
	spans, _ := Choose("Hello *world*", "")
	if st := styleOfText(t, spans, "world"); !st.Bold {
		t.Errorf("fallback body not styled: %+v", spans)
	}
}
