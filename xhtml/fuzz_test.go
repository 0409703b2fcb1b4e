package xhtml

import (
	"errors"
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{gajimSample, psiSample, pidginSample, movimSample, listSample, quoteSample, preSample} {
		f.Add(s)
	}
	for _, s := range hostileSamples {
		if len(s) <= 4<<10 {
			f.Add(s)
		}
	}
	f.Add(`<p style="color:#fff;background-color:rgb(1,2,3)"><a href="x">y</a><q>z</q><pre>a
b</pre></p>`)
	f.Fuzz(func(t *testing.T, inner string) {
		spans, err := Parse(inner)
		checkSafe(t, inner, spans)
		if err != nil {
			if spans != nil {
				t.Fatalf("Parse(%q) returned spans with error %v", inner, err)
			}
			return
		}
		if len(spans) > MaxSpans {
			t.Fatalf("Parse(%q): %d spans, over MaxSpans", inner, len(spans))
		}
		if len(inner) > MaxInput {
			t.Fatalf("Parse accepted %d bytes", len(inner))
		}
		for _, s := range spans {
			if s.Text == "" || s.Style.Quote > MaxDepth {
				t.Fatalf("Parse(%q): bad span %+v", inner, s)
			}
		}
		if strings.Count(Plain(spans), "\n\n\n\n") > 0 {
			t.Fatalf("Parse(%q): more than %d line breaks in a row", inner, maxNewlines)
		}
		// What Parse accepts, Validate either accepts or names a reason.
		if err := Validate(inner); err != nil && !errors.Is(err, ErrNotAllowed) {
			t.Fatalf("Parse accepted %q but Validate says %v", inner, err)
		}
	})
}

func FuzzStyling(f *testing.F) {
	for _, s := range stylingSamples {
		f.Add(s)
	}
	f.Add("\x1b[31m*red*\x1b[0m \u202Eevil \u009b2J [red]")
	f.Add(strings.Repeat(">", 40) + " deep")
	f.Fuzz(func(t *testing.T, body string) {
		spans := Styling(body)
		checkSafe(t, body, spans)
		for _, s := range spans {
			if s.Style.Quote > MaxDepth || s.Style.Underline || s.Style.FG != "" || s.Style.Link != "" {
				t.Fatalf("Styling(%q): bad span %+v", body, s)
			}
		}
		if len(spans) > MaxSpans {
			t.Fatalf("Styling(%q): %d spans", body, len(spans))
		}
		raw := Plain(Raw(body))
		got := Plain(spans)
		if !strings.HasPrefix(raw, got) || strings.TrimRight(raw[len(got):], " \n") != "" {
			t.Fatalf("Styling(%q) shows %q, the raw body is %q", body, got, raw)
		}
	})
}

func FuzzFromStyling(f *testing.F) {
	for _, s := range stylingSamples {
		f.Add(s)
	}
	f.Add("*<script>&amp;*\x00\ufffe")
	f.Fuzz(func(t *testing.T, markup string) {
		out, err := FromStyling(markup)
		if err != nil {
			if !errors.Is(err, ErrLimit) {
				t.Fatalf("FromStyling(%q): %v", markup, err)
			}
			return
		}
		if err := Validate(out); err != nil {
			t.Fatalf("FromStyling(%q) = %q: %v", markup, out, err)
		}
		checkRoundTrip(t, markup)
	})
}
