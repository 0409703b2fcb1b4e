package xhtml

import (
	"errors"
	"strings"
	"testing"
	"unicode"

	"chat/sanitize"
)

func TestFromStyling(t *testing.T) {
	cases := []struct{ name, markup, want string }{
		{"unstyled gives nothing", "just text\nand more", ""},
		{"strong and emphasis", "a *b* _c_", "<p>a <strong>b</strong> <em>c</em></p>"},
		{"strike and code", "~x~ `y`", `<p><span style="text-decoration: line-through">x</span> <code>y</code></p>`},
		{"nested spans", "*a _b_*", "<p><strong>a </strong><strong><em>b</em></strong></p>"},
		{"lines", "*a*\nb", "<p><strong>a</strong><br/>b</p>"},
		{"blank line kept", "*a*\n\nb", "<p><strong>a</strong><br/><br/>b</p>"},
		{"escaping", "*<b>&'\"*", "<p><strong>&lt;b&gt;&amp;&#39;&#34;</strong></p>"},
		{"quote", "> *q*\nreply", "<blockquote><p><strong>q</strong></p></blockquote><p>reply</p>"},
		{"nested quote", "> a\n>> b", "<blockquote><p>a</p><blockquote><p>b</p></blockquote></blockquote>"},
		{"pre block", "```\n  x < y\n\tz\n```\nok", "<pre>  x &lt; y\n&#x9;z</pre><p>ok</p>"},
		{"spaces kept", "  *a*  b", "<p>\u00a0\u00a0<strong>a</strong> \u00a0b</p>"},
		{"controls dropped", "*a\x1b[31m\u202E\ufffeb*", "<p><strong>ab</strong></p>"},
		{"blank line before a quote", "*a*\n\n> b", "<p><strong>a</strong><br/><br/></p><blockquote><p>b</p></blockquote>"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := FromStyling(tc.markup)
			if err != nil {
				t.Fatalf("FromStyling(%q): %v", tc.markup, err)
			}
			if got != tc.want {
				t.Errorf("FromStyling(%q) =\n%q, want\n%q", tc.markup, got, tc.want)
			}
			if err := Validate(got); err != nil {
				t.Errorf("FromStyling(%q) does not validate: %v", tc.markup, err)
			}
		})
	}
}

func TestFromStylingLimits(t *testing.T) {
	for name, markup := range map[string]string{
		"over MaxInput":        strings.Repeat("*a* ", MaxInput),
		"deep quotes":          strings.Repeat(">", MaxDepth+1) + " *x*",
		"markup grows too big": strings.Repeat("*<* ", MaxInput/4-1),
	} {
		if _, err := FromStyling(markup); !errors.Is(err, ErrLimit) {
			t.Errorf("%s: FromStyling error %v, want ErrLimit", name, err)
		}
	}
}

// visibleRun is one visible character and the styles FromStyling keeps.
type visibleRun struct {
	r                          rune
	bold, italic, strike, code bool
	quote                      int
}

// visibleOfSpans lists the non-space characters Parse shows, without the
// "> " markers it puts at the start of quoted lines.
func visibleOfSpans(spans []Span) []visibleRun {
	var out []visibleRun
	lineStart := true
	for _, s := range spans {
		for i, part := range strings.Split(s.Text, "\n") {
			if i > 0 {
				lineStart = true
			}
			if part == "" {
				continue
			}
			if lineStart && s.Style.Quote > 0 {
				part = strings.TrimPrefix(part, strings.Repeat("> ", s.Style.Quote))
			}
			lineStart = false
			out = appendVisible(out, part, s.Style)
		}
	}
	return out
}

func appendVisible(out []visibleRun, text string, st Style) []visibleRun {
	for _, r := range text {
		if !unicode.IsSpace(r) {
			out = append(out, visibleRun{r, st.Bold, st.Italic, st.Strike, st.Code, st.Quote})
		}
	}
	return out
}

// checkRoundTrip checks that the XHTML FromStyling builds shows, once
// parsed, the same characters in the same styles as the markup does with
// its directives left out.
func checkRoundTrip(t testing.TB, markup string) {
	t.Helper()
	out, err := FromStyling(markup)
	if err != nil || out == "" {
		return
	}
	if err := Validate(out); err != nil {
		t.Fatalf("FromStyling(%q) = %q, which does not validate: %v", markup, out, err)
	}
	spans, err := Parse(out)
	if errors.Is(err, ErrLimit) {
		return // valid, but more spans than a reader shows
	}
	if err != nil {
		t.Fatalf("Parse(FromStyling(%q)) = %v", markup, err)
	}
	pieces, _ := decode(sanitize.XMLText(sanitize.Text(markup)), false)
	var want []visibleRun
	for _, p := range pieces {
		want = appendVisible(want, p.text, p.style)
	}
	got := visibleOfSpans(spans)
	if len(got) != len(want) {
		t.Fatalf("markup %q\nXHTML %q\nshows %q, want %q", markup, out, Plain(spans), runesOf(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("markup %q\nXHTML %q\ncharacter %d: %+v, want %+v", markup, out, i, got[i], want[i])
		}
	}
}

func runesOf(v []visibleRun) string {
	var b strings.Builder
	for _, x := range v {
		b.WriteRune(x.r)
	}
	return b.String()
}

func TestFromStylingRoundTrip(t *testing.T) {
	for _, m := range stylingSamples {
		checkRoundTrip(t, m)
	}
}

// stylingSamples are message styling bodies as people type them.
var stylingSamples = []string{
	"*bold* _em_ ~strike~ `code`",
	"> quoted *text*\n>> deeper _one_\nreply with `code`",
	"```python\ndef f(x):\n    return x * 2\n```\nthat is *all*",
	"*bold _and em_ and ~gone~*",
	"> ```\n> pre in quote\n> ```\nout",
	"  indented *line*\n\n\nafter  gaps",
	"snake_case_name and 2 * 3 * 4",
	"emoji 🎉 *fête* _naïve_ ~ταυ~ `中文`",
	"*unclosed and _mixed* up_",
	">\n> a\n>\n*b*",
}

func TestValidate(t *testing.T) {
	valid := []string{
		"", "plain text", movimSample, listSample, quoteSample, preSample,
		`<p xmlns="http://www.w3.org/1999/xhtml" xml:lang="en">x</p>`,
		`<img src="https://x/y.png" alt="y" width="10" height="10"/>`,
		`<span style="color: red; background-color: #fff; font-weight: bold; font-style: italic; text-decoration: underline;">x</span>`,
	}
	for _, v := range valid {
		if err := Validate(v); err != nil {
			t.Errorf("Validate(%.60q): %v", v, err)
		}
	}
	invalid := []struct {
		inner, mention string
		is             error
	}{
		{`<script>alert(1)</script>`, "<script>", ErrNotAllowed},
		{`<p onclick="x()">a</p>`, "onclick", ErrNotAllowed},
		{`<a href="x" target="_blank">a</a>`, "target", ErrNotAllowed},
		{`<p href="x">a</p>`, "href on <p>", ErrNotAllowed},
		{`<p style="position: absolute">a</p>`, `"position"`, ErrNotAllowed},
		{`<p style="color: expression(alert(1))">a</p>`, "expression", ErrNotAllowed},
		{`<p style="font-weight: heavy">a</p>`, "heavy", ErrNotAllowed},
		{`<p style="color red">a</p>`, `"color red"`, ErrNotAllowed},
		{`<p>a`, "not well-formed", nil},
		{`<p>a</q>`, "not well-formed", nil},
		{`a &nbsp; b`, "not well-formed", nil},
		{`<!DOCTYPE p><p>a</p>`, "DOCTYPE", ErrNotAllowed},
		{`<?php echo 1 ?><p>a</p>`, "php", ErrNotAllowed},
		{`<x:p xmlns:x="urn:y">a</x:p>`, "urn:y", ErrNotAllowed},
		{`<p xmlns="urn:other">a</p>`, "urn:other", ErrNotAllowed},
		{`<p xmlns:evil="urn:e">a</p>`, "urn:e", ErrNotAllowed},
		{`<body><p>a</p></body>`, "<body>", ErrNotAllowed},
		{`<P>a</P>`, "<P>", ErrNotAllowed},
		{strings.Repeat("<span>", MaxDepth+1) + strings.Repeat("</span>", MaxDepth+1), "nested", ErrLimit},
		{`<img alt="` + strings.Repeat("a", MaxAttr+1) + `"/>`, "attribute alt", ErrLimit},
		{"<p>" + strings.Repeat("a", MaxInput) + "</p>", "bytes", ErrLimit},
	}
	for _, tc := range invalid {
		err := Validate(tc.inner)
		if err == nil {
			t.Errorf("Validate(%.60q) = nil, want an error mentioning %s", tc.inner, tc.mention)
			continue
		}
		if !strings.Contains(err.Error(), tc.mention) {
			t.Errorf("Validate(%.60q) = %q, want it to mention %s", tc.inner, err, tc.mention)
		}
		if tc.is != nil && !errors.Is(err, tc.is) {
			t.Errorf("Validate(%.60q) = %v, want it to wrap %v", tc.inner, err, tc.is)
		}
	}
}
