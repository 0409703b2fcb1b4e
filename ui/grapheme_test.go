package ui

import (
	"strings"
	"testing"

	"github.com/rivo/uniseg"
)

// TestSkinToneEmojiLayout: emoji with a skin-tone modifier (one grapheme
// cluster, two columns) are laid out and drawn with the same width: rows
// wrap where the drawing ends, and the roster border stays in its column.
func TestSkinToneEmojiLayout(t *testing.T) {
	r := newRig(t, 80, 20, nil)
	r.contacts()
	r.typ("/win bob@example.org")
	r.enter()
	r.waitTitle("2 bob@example.org")
	r.event(incoming("bob@example.org", "thumbs "+strings.Repeat("👍🏽 ", 40)+"end"))
	r.waitFor("end")
	r.settle()
	border := -1
	var cells [][]string
	r.onUI(func() {
		cs, w, h := r.sim.GetContents()
		for y := range h {
			var row []string
			for x := range w {
				row = append(row, string(cs[y*w+x].Runes))
			}
			cells = append(cells, row)
		}
	})
	for y, row := range cells[1 : len(cells)-2] {
		col := -1
		for x, c := range row {
			if c == "│" {
				col = x
				break
			}
		}
		if border < 0 {
			border = col
		}
		if col != border {
			t.Errorf("row %d: the border is at column %d, not %d", y+1, col, border)
		}
		for x, c := range row {
			if strings.ContainsRune(c, '👍') && strings.TrimSuffix(c, "\ufe0f") != "👍🏽" {
				t.Errorf("row %d col %d holds %q, not the whole cluster", y+1, x, c)
			}
			if strings.ContainsRune(c, '👍') && uniseg.StringWidth(c) != 2 {
				t.Errorf("row %d col %d: %q is %d wide", y+1, x, c, uniseg.StringWidth(c))
			}
		}
	}
	most := 0
	for _, row := range cells {
		n := 0
		for _, c := range row {
			if strings.ContainsRune(c, '👍') {
				n++
			}
		}
		most = max(most, n)
	}
	if most < 15 { // 59 columns hold 18 "👍🏽 "
		t.Errorf("at most %d emoji on a row: the line breaks early", most)
	}
	if t.Failed() {
		for _, c := range cells[1][:30] {
			t.Logf("%q", c)
		}
	}
}
