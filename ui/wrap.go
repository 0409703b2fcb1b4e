package ui

import (
	"strings"

	"github.com/rivo/tview"
)

// hang wraps a rendered (tagged) line to width with a hanging indent:
// every row after the first starts with indent, under the text after the
// time stamp, as the continuation lines of multi-line messages do. Rows
// already starting a new line ("\n" in the text) are wrapped the same way.
//
// Rows break at spaces, measured per grapheme cluster by tview's own
// TaggedStringWidth, which is what the view draws with; tview's WordWrap
// is not used because it breaks after every emoji with a skin-tone
// modifier. The chat view does no wrapping of its own. A word wider than
// a row is cut between clusters.
func hang(text string, width int) string {
	if width <= 2*len(indent) || tview.TaggedStringWidth(text) <= width && !strings.Contains(text, "\n") {
		return text
	}
	var b strings.Builder
	for i, seg := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		hangSegment(&b, seg, width)
	}
	return b.String()
}

// hangSegment writes one line of text as rows of at most width columns.
func hangSegment(b *strings.Builder, seg string, width int) {
	row, used := "", 0 // the row being filled and its width
	flush := func() {
		b.WriteString(strings.TrimRight(row, " "))
		b.WriteString("\n" + indent)
		row, used = "", len(indent)
	}
	words := strings.SplitAfter(seg, " ")
	for i, w := range words {
		ww := tview.TaggedStringWidth(strings.TrimRight(w, " "))
		if used+ww > width && used > len(indent) && strings.TrimSpace(row) != "" {
			flush()
			if i > 0 {
				w = strings.TrimLeft(w, " ")
			}
		}
		for used+ww > width && ww > 0 { // a word longer than a row
			head, tail := cutWidth(w, width-used)
			if head == "" {
				break
			}
			row += head
			flush()
			w, ww = tail, tview.TaggedStringWidth(strings.TrimRight(tail, " "))
		}
		row += w
		used += tview.TaggedStringWidth(w)
	}
	b.WriteString(strings.TrimRight(row, " "))
}

// cutWidth splits s after the most whole rows tview.WordWrap allows in
// width columns (its first row), falling back to nothing.
func cutWidth(s string, width int) (head, tail string) {
	rows := tview.WordWrap(s, width)
	if len(rows) == 0 || tview.TaggedStringWidth(rows[0]) > width {
		return "", s
	}
	return rows[0], s[len(rows[0]):]
}

// keepJoined works around uniseg v0.4.7, which reports a mandatory line
// break after every emoji with a skin-tone modifier (👍🏽): tview's text
// view then ends the row there. A U+FE0F (emoji presentation, zero width)
// after the modifier makes uniseg treat the cluster as one emoji again;
// the width and what the terminal shows stay the same.
func keepJoined(s string) string {
	if !strings.ContainsAny(s, "\U0001F3FB\U0001F3FC\U0001F3FD\U0001F3FE\U0001F3FF") {
		return s
	}
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		b.WriteRune(r)
		if r >= 0x1F3FB && r <= 0x1F3FF && (i+1 == len(rs) || rs[i+1] != 0xFE0F && rs[i+1] != 0x200D) {
			b.WriteRune(0xFE0F)
		}
	}
	return b.String()
}
