package ui

import (
	"strings"

	"github.com/rivo/tview"
)

// hang wraps a rendered (tagged) line to width with a hanging indent:
// every row after the first starts with indent, under the text after the
// time stamp, as the continuation lines of multi-line messages do. Rows
// already starting a new line ("\n" in the text) are wrapped the same way.
// Widths are tview's, per grapheme cluster, as the view draws them.
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

func hangSegment(b *strings.Builder, seg string, width int) {
	rows := tview.WordWrap(seg, width)
	if len(rows) == 0 {
		return
	}
	b.WriteString(strings.TrimRight(rows[0], " "))
	rest := strings.Join(rows[1:], "")
	if rest == "" {
		return
	}
	for _, r := range tview.WordWrap(strings.TrimLeft(rest, " "), width-len(indent)) {
		b.WriteString("\n" + indent + strings.TrimRight(r, " "))
	}
}
