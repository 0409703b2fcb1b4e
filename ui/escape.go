package ui

import (
	"strings"
	"unicode/utf8"

	"chat/sanitize"

	"github.com/rivo/uniseg"
)

// Escaping for tview's tags. Every string that reaches a widget from the
// network, a file name, a config file or a server goes through escape
// (as esc for one-line fields, escLines for texts), so that tview draws it as text and never
// reads markup in it.
//
// The grammar is tview v0.42.0's (strings.go, step and parseTag); check it
// again when tview is upgraded. There a tag starts at a '[' that begins a
// grapheme cluster and is followed by a letter, digit, '#', ':', '-' or
// '"', and ends at the next ']' that completes it: style tags
// [fg:bg:attrs], URL tags [fg:bg:attrs:URL] whose URL may hold any byte
// but ']' (even '[' and newlines), and region tags ["name"]. Tags in a row
// are read as one run. Separately, wherever the text at a '[' matches
// `^\[[^\[\]]+\[+\]` tview enters its escaped-tag mode, in which "[X[]"
// prints "[X]". tview.Escape only handles tags made of
// [a-zA-Z0-9_,;: \-."#], so "[:::https://x/]" passes through it.
//
// escape instead puts the empty tag "[:]" (it changes no colour, attribute,
// URL or region) after every '[' of the text. Then:
//   - no '[' of the text starts a tag: the byte after it is the '[' of
//     "[:]", which no tag may start with, or, where a combining mark
//     follows the '[', a byte of that mark (never ASCII);
//   - "[:]" itself ends at its own ']' and the run of tags stops at the
//     text's next character, which is never a '[' that could start a tag;
//   - the output never holds "[]", so the escaped-tag pattern, which needs
//     it, never matches and tview never swallows a '['.
//
// Text must not reach into what is around it through grapheme clusters
// either. A Prepend character (U+0600 and the like) joins the character
// after it, so at the end of a string it would take the '[' of the tag that
// follows (the tag would show as text and the style before it would go
// on); combining marks, ZWJ and spacing marks at the start of a string
// would join our own character before it (or, after a tag, be drawn only
// in part by tview). escape drops both: Prepend characters at the end and
// joining marks at the start of the text.

// noTag is tview's empty style tag: it changes nothing.
const noTag = "[:]"

// escape returns s with tview's tag syntax made inert; tview draws the
// result as exactly the grapheme clusters of trimJoins(s). s should
// already be sanitised.
func escape(s string) string {
	s = trimJoins(s)
	n := strings.Count(s, "[")
	if n == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + n*len(noTag))
	for {
		i := strings.IndexByte(s, '[')
		if i < 0 {
			break
		}
		b.WriteString(s[:i+1])
		s = s[i+1:]
		if !joinsBracket(s) {
			b.WriteString(noTag)
		}
	}
	b.WriteString(s)
	return b.String()
}

// joinsBracket reports whether rest starts with a character that joins a
// '[' before it into one grapheme cluster (a combining mark, ZWJ, a
// spacing mark). Inserting a tag there would split the cluster, and the
// '[' cannot start a tag anyway.
func joinsBracket(rest string) bool {
	if rest == "" || rest[0] < utf8.RuneSelf {
		return false
	}
	_, size := utf8.DecodeRuneInString(rest)
	c, _, _, _ := uniseg.FirstGraphemeClusterInString("["+rest[:size], -1)
	return len(c) > 1
}

// trimJoins removes what would join s to its neighbours: characters at the
// start that join the one before them and characters at the end that join
// the one after them.
func trimJoins(s string) string {
	for s != "" && joinsBracket(s) {
		_, size := utf8.DecodeRuneInString(s)
		s = s[size:]
	}
	for s != "" {
		r, size := utf8.DecodeLastRuneInString(s)
		if r < utf8.RuneSelf {
			return s
		}
		last := s[len(s)-size:]
		if c, _, _, _ := uniseg.FirstGraphemeClusterInString(last+"[", -1); len(c) == len(last) {
			return s
		}
		s = s[:len(s)-size]
	}
	return s
}

// esc makes one-line text (a name, a status, a JID) safe for a widget
// that reads tags: sanitised as a line, then escaped.
func esc(s string) string { return escape(sanitize.Line(s)) }

// escLines makes text of one or more lines safe: sanitised, then each
// line escaped, the lines joined with sep (which may hold tags: each line
// is escaped alone, so nothing of the text reaches into sep).
func escLines(s, sep string) string {
	t := sanitize.Text(s)
	if !strings.Contains(t, "\n") {
		return escape(t)
	}
	lines := strings.Split(t, "\n")
	for i, l := range lines {
		lines[i] = escape(l)
	}
	return strings.Join(lines, sep)
}
