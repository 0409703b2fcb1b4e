package ui

import (
	"strings"
	"testing"

	"github.com/rivo/tview"
)

// FuzzHang: whatever the text (it comes from the network, escaped), no row
// of the wrapped text is wider than the width, continuation rows carry the
// indent, and no visible character is lost or added.
func FuzzHang(f *testing.F) {
	f.Add("12:00 <bob> "+strings.Repeat("word ", 30), 40)
	f.Add("12:00 "+esc("[red]x[::u]")+strings.Repeat("👍🏽", 40), 20)
	f.Add("12:00 a\n      b c d e f g h i j k l m n o p", 13)
	f.Fuzz(func(t *testing.T, text string, width int) {
		if width < 0 || width > 500 {
			return
		}
		text = esc(text)
		out := hang(text, width)
		if width <= 2*len(indent) {
			return
		}
		for i, row := range strings.Split(out, "\n") {
			if w := tview.TaggedStringWidth(row); w > width && tview.TaggedStringWidth(strings.TrimLeft(row, " ")) > 2 {
				t.Fatalf("row %d is %d wide, more than %d: %q", i, w, width, row)
			}
		}
		strip := func(s string) string { return strings.Join(strings.Fields(s), "") }
		if strip(out) != strip(text) {
			t.Fatalf("hang changed the text:\n%q\n%q", text, out)
		}
	})
}
