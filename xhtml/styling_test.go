package xhtml

import (
	"reflect"
	"strings"
	"testing"
)

func TestStyling(t *testing.T) {
	bold, em, strike, code := Style{Bold: true}, Style{Italic: true}, Style{Strike: true}, Style{Code: true}
	cases := []struct {
		name, body string
		want       []Span
	}{
		{"plain", "just text", []Span{{"just text", Style{}}}},
		{"strong", "a *b* c", []Span{{"a ", Style{}}, {"*b*", bold}, {" c", Style{}}}},
		{"emphasis", "_x_", []Span{{"_x_", em}}},
		{"strike", "~gone~", []Span{{"~gone~", strike}}},
		{"inline pre", "run `ls *` now", []Span{{"run ", Style{}}, {"`ls *`", code}, {" now", Style{}}}},
		{"nested", "*bold _both_*", []Span{{"*bold ", bold}, {"_both_", Style{Bold: true, Italic: true}}, {"*", bold}}},
		{"unmatched", "2 * 3 = 6 and *nope", []Span{{"2 * 3 = 6 and *nope", Style{}}}},
		{"inside words", "snake_case_name", []Span{{"snake_case_name", Style{}}}},
		{"empty directive pair", "**", []Span{{"**", Style{}}}},
		{"block pre", "```go\nx := `*no*`\n```\nafter", []Span{{"```go\nx := `*no*`\n```\n", code}, {"after", Style{}}}},
		{"unterminated pre runs to the end", "```\ncode", []Span{{"```\ncode", code}}},
		{"quote", "> hi\nbye", []Span{{"> hi\n", Style{Quote: 1}}, {"bye", Style{}}}},
		{"nested quote", ">> deep *b*", []Span{{">> deep ", Style{Quote: 2}}, {"*b*", Style{Bold: true, Quote: 2}}}},
		{"spans end at the line", "*a\nb*", []Span{{"*a\nb*", Style{}}}},
		{"controls removed first", "\x1b[31m*red*\x1b[0m \u202Eevil", []Span{{"*red*", bold}, {" evil", Style{}}}},
		{"tview tags literal", "[red] *x* [-]", []Span{{"[red] ", Style{}}, {"*x*", bold}, {" [-]", Style{}}}},
		{"trailing newlines trimmed", "a\n\n", []Span{{"a", Style{}}}},
		{"quote only at line start", "*0*>00", []Span{{"*0*", bold}, {">00", Style{}}}},
		{"pre only at line start", "*a*```\nx\n```", []Span{{"*a*", bold}, {"```\nx\n```", Style{}}}},
		{"marker does not carry over a newline", ">\n >x\nz", []Span{{">\n", Style{Quote: 1}}, {" >x\nz", Style{}}}},
		{"pre in quote", "> ```\n> a\n> ```", []Span{
			{"> ", Style{Quote: 1}}, {"```\n", Style{Code: true, Quote: 1}}, {"> ", Style{Quote: 1}},
			{"a\n", Style{Code: true, Quote: 1}}, {"> ", Style{Quote: 1}}, {"```", Style{Code: true, Quote: 1}}}},
		{"empty", "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Styling(tc.body)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Styling(%q) =\n%+v, want\n%+v", tc.body, got, tc.want)
			}
		})
	}
}

func TestStylingFallsBackToRaw(t *testing.T) {
	cases := map[string]string{
		"too many quote levels":   strings.Repeat(">", 5000) + " *x*",
		"quote levels over lines": strings.Repeat(">\n ", 100) + "*x*",
		"over MaxInput":           strings.Repeat("*a* ", MaxInput/4+1),
		"line over 64 KiB":        strings.Repeat("a", 70<<10),
		"too many spans":          strings.Repeat("*a* ", MaxSpans),
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			got := Styling(body)
			if len(got) != 1 || got[0].Style != (Style{}) || got[0].Text != body {
				t.Errorf("Styling(%.40q…) gave %d spans, want the raw body", body, len(got))
			}
		})
	}
	long := "*x* " + strings.Repeat("word ", 4000) + "_y_"
	if got := Styling(long); len(got) != 3 || !got[0].Style.Bold || !got[2].Style.Italic {
		t.Errorf("a long line with a few directives is not styled: %d spans", len(got))
	}
	deep := strings.Repeat(">", MaxDepth) + " x"
	if got := Styling(deep); got[len(got)-1].Style.Quote != MaxDepth {
		t.Errorf("Styling of %d quote levels: %+v", MaxDepth, got)
	}
}

func TestRawAndPlain(t *testing.T) {
	if got := Raw(""); got != nil {
		t.Errorf("Raw(\"\") = %+v, want nil", got)
	}
	got := Raw("*not styled*\x1b]0;title\x07 [red]")
	want := []Span{{Text: "*not styled* [red]"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Raw = %+v, want %+v", got, want)
	}
	if p := Plain([]Span{{Text: "a"}, {Text: "b\n", Style: Style{Bold: true}}, {Text: "c"}}); p != "ab\nc" {
		t.Errorf("Plain = %q", p)
	}
}
