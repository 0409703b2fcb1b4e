package ui

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"chat/themes"
	"chat/xhtml"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/uniseg"
)

// Rich text: a message's body (with XEP-0393 styling) or its XHTML-IM is
// turned into spans by package xhtml, and the spans into tview-tagged text
// here. Span text is escaped with escLines (see escape.go) and every span,
// and every line of a span, ends with a full reset, so nothing a sender
// writes can leak style, underline or a link into what follows.

// settings is what the UI reads from a host that has settings (*app.App
// does; hosts without them get styling on).
type settings interface{ Setting(name string) string }

// styling reports whether message styling and XHTML-IM are shown. Loop
// only.
func (m *model) styling() bool {
	if s, ok := m.host.(settings); ok {
		return s.Setting("styling") != "off"
	}
	return true
}

// richPalette is what rendering spans needs from the theme and terminal.
type richPalette struct {
	fg, bg string // the theme's text colours as "#rrggbb", or "" unknown
	depth  xhtml.Depth
	code   string // tag for code
	quote  string // tag for quoted lines
}

func (m *model) palette() richPalette {
	th := m.theme
	p := richPalette{depth: m.depth(), code: tag(themes.Style{Fg: th.Time.Fg}), quote: tag(themes.Style{Fg: th.Notice.Fg})}
	p.fg, p.bg = hexOf(th.Text.Fg), hexOf(th.Text.Bg)
	if p.bg == "" {
		p.bg = guessBackground(th)
	}
	return p
}

// depth is the colour depth for senders' colours: none under NO_COLOR or
// with the monochrome theme, else what the terminal reports.
func (m *model) depth() xhtml.Depth {
	if m.theme.Name == "monochrome" || m.u.opts.Getenv("NO_COLOR") != "" {
		return xhtml.NoColor
	}
	n := int(m.u.colors.Load())
	if n == 0 {
		return xhtml.Colors256 // not known yet: a safe middle
	}
	return xhtml.DepthFromColors(n)
}

// hexOf returns c as "#rrggbb", or "" for "default" or an unknown colour.
func hexOf(c themes.Color) string {
	if c == "" || c == "default" {
		return ""
	}
	tc := c.TCell()
	if tc == tcell.ColorDefault || !tc.Valid() {
		return ""
	}
	return fmt.Sprintf("#%06x", tc.TrueColor().Hex())
}

// guessBackground guesses the terminal's background for a theme that uses
// the terminal's own: light themes give their title bar a light colour.
func guessBackground(th *themes.Theme) string {
	h := hexOf(th.Title.Bg)
	if h == "" {
		return ""
	}
	var r, g, b int
	fmt.Sscanf(h, "#%02x%02x%02x", &r, &g, &b)
	if 299*r+587*g+114*b > 128*1000 {
		return "#ffffff"
	}
	return "#000000"
}

// spansOf returns the spans of a message line: styled (XHTML-IM, else
// styling markup) when styling is on, the raw body otherwise. Styled spans
// are cached in the line.
func (m *model) spansOf(l *line, styled bool) []xhtml.Span {
	if !styled {
		return xhtml.Raw(l.text)
	}
	if l.spans == nil {
		l.spans, _ = xhtml.Choose(l.text, l.xhtml)
		if l.spans == nil {
			l.spans = []xhtml.Span{}
		}
	}
	return l.spans
}

// richText renders spans as tagged text. base is the line's own style tag
// (e.g. the highlight colour, or ""), restored after every span;
// continuation lines are indented.
func richText(spans []xhtml.Span, base string, p richPalette) string {
	var b strings.Builder
	for _, s := range clusterAligned(spans) {
		if s.Text == "" {
			continue
		}
		open := base + spanTag(s.Style, p)
		b.WriteString(open)
		b.WriteString(escLines(s.Text, reset+"\n"+indent+open))
		b.WriteString(reset)
	}
	return b.String()
}

// clusterAligned returns spans with every boundary between two of them at
// a grapheme cluster boundary of their joint text: a cluster split by a
// style change (a flag, an emoji sequence, a letter and its accent) goes
// whole to the span it starts in. tview cannot draw a cluster across a tag.
// spans is not changed.
func clusterAligned(spans []xhtml.Span) []xhtml.Span {
	var out []xhtml.Span
	if slices.ContainsFunc(spans, func(s xhtml.Span) bool { return s.Text == "" }) {
		out = slices.DeleteFunc(slices.Clone(spans), func(s xhtml.Span) bool { return s.Text == "" })
		spans = out
	}
	for i := 1; i < len(spans); i++ {
		prev, next := spans[i-1].Text, spans[i].Text
		if out != nil {
			prev, next = out[i-1].Text, out[i].Text
		}
		n := joinedPrefix(prev, next)
		if n == 0 {
			continue
		}
		if out == nil {
			out = slices.Clone(spans)
		}
		out[i-1].Text, out[i].Text = prev+next[:n], next[n:]
		if out[i].Text == "" { // all of it joined: the next span follows prev
			out = slices.Delete(out, i, i+1)
			spans = out
			i--
		}
	}
	if out == nil {
		return spans
	}
	return out
}

// joinedPrefix returns how many bytes at the start of next belong to the
// last grapheme cluster of prev.
func joinedPrefix(prev, next string) int {
	if prev == "" || next == "" || prev[len(prev)-1] < utf8.RuneSelf && next[0] < utf8.RuneSelf {
		return 0 // two ASCII characters never join (sanitised text has no CR)
	}
	var last string
	for g := uniseg.NewGraphemes(prev); g.Next(); {
		last = g.Str()
	}
	c, _, _, _ := uniseg.FirstGraphemeClusterInString(last+next, -1)
	return max(0, len(c)-len(last))
}

// spanTag is the tview tag for a span's style, "" for plain text.
func spanTag(st xhtml.Style, p richPalette) string {
	var attrs string
	if st.Bold {
		attrs += "b"
	}
	if st.Italic {
		attrs += "i"
	}
	if st.Underline || st.Link != "" {
		attrs += "u"
	}
	if st.Strike {
		attrs += "s"
	}
	out := ""
	switch {
	case st.Code:
		out = p.code
	case st.Quote > 0:
		out = p.quote
	}
	if st.FG != "" || st.BG != "" {
		a := xhtml.AdaptStyle(st, p.fg, p.bg, p.depth)
		if a.FG != "" || a.BG != "" {
			out += "[" + a.FG + ":" + a.BG + "]"
		}
	}
	if attrs != "" {
		out += "[::" + attrs + "]"
	}
	return out
}

// linksOf returns the links of a message line in order: link targets of
// its XHTML and addresses written in its text.
func (m *model) linksOf(l *line) []string {
	if l.kind != kindMessage && l.kind != kindAction {
		return nil
	}
	spans := m.spansOf(l, true)
	links := xhtml.Links(spans)
	for _, w := range strings.Fields(xhtml.Plain(spans)) {
		if u := trimURL(w); u != "" && !contains(links, u) {
			links = append(links, u)
		}
	}
	return links
}

// trimURL returns the address in a word of text ("<https://x>," gives
// "https://x"), or "" if it holds none.
func trimURL(w string) string {
	w = strings.TrimLeft(w, "<(\"'")
	if !strings.Contains(w, ":") {
		return ""
	}
	w = strings.TrimRight(w, ">)\"'.,;:!?")
	if openable(w) != nil || len(w) < len("xmpp:a") {
		return ""
	}
	return w
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
