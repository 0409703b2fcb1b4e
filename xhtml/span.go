package xhtml

import (
	"strings"

	"chat/sanitize"
)

// Style is how a piece of text should look. The zero value is plain text
// in the theme's colours.
type Style struct {
	Bold, Italic, Underline, Strike bool
	Code                            bool   // monospace: inline code or a preformatted block
	FG, BG                          string // "#rrggbb" as the sender gave it, or "" for the theme's; see AdaptStyle
	Link                            string // where the text leads (href or img src), sanitized; "" if nowhere
	Quote                           int    // block quote depth, 0 outside quotes
}

// Span is a run of text in one style. A rendered message is a []Span;
// line breaks (between paragraphs, list items, quotes, preformatted lines,
// or from <br/>) are "\n" inside Text. Text is sanitized (see the package
// comment) but not escaped for tview.
//
// Quote markers are part of the text: each line inside a block quote
// starts with "> " per level (from XHTML) or with the sender's own ">"
// (from styling), so a front end can colour lines by Style.Quote without
// drawing its own marker.
type Span struct {
	Text  string
	Style Style
}

// Plain returns the text of spans without styles: what a person sees.
func Plain(spans []Span) string {
	var b strings.Builder
	for _, s := range spans {
		b.WriteString(s.Text)
	}
	return b.String()
}

// Links returns each distinct link target in spans once, in order of first
// appearance, for a command such as "/open N" (N counting from 1). Targets
// are shown to the reader in the text too: Parse writes "text <target>".
func Links(spans []Span) []string {
	var links []string
	seen := map[string]bool{}
	for _, s := range spans {
		if l := s.Style.Link; l != "" && !seen[l] {
			seen[l] = true
			links = append(links, l)
		}
	}
	return links
}

// Raw returns body as a single unstyled span, sanitized: what to show when
// styling is turned off. It returns nil for an empty body.
func Raw(body string) []Span {
	t := sanitize.Text(body)
	if t == "" {
		return nil
	}
	return []Span{{Text: t}}
}

// visible reports whether spans hold any text other than white space.
func visible(spans []Span) bool {
	for _, s := range spans {
		if strings.TrimSpace(s.Text) != "" {
			return true
		}
	}
	return false
}

// common returns the style two neighbours share: a field on which they
// differ falls back to its zero value. A collapsed space between two runs
// takes this style, so it is underlined between two underlined words but
// not between a link and plain text.
func common(a, b Style) Style {
	c := Style{
		Bold: a.Bold && b.Bold, Italic: a.Italic && b.Italic,
		Underline: a.Underline && b.Underline, Strike: a.Strike && b.Strike,
		Code: a.Code && b.Code, Quote: min(a.Quote, b.Quote),
	}
	if a.FG == b.FG {
		c.FG = a.FG
	}
	if a.BG == b.BG {
		c.BG = a.BG
	}
	if a.Link == b.Link {
		c.Link = a.Link
	}
	return c
}
