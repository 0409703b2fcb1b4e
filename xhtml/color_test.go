package xhtml

import (
	"fmt"
	"testing"
)

func TestParseColor(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"red", "#ff0000", true},
		{" Navy ", "#000080", true},
		{"grey", "#808080", true},
		{"orange", "#ffa500", true},
		{"#abc", "#aabbcc", true},
		{"#ABCDEF", "#abcdef", true},
		{"#abcd", "#aabbcc", true},
		{"#11223344", "#112233", true},
		{"rgb(255, 0, 128)", "#ff0080", true},
		{"rgb(300,-5,12.4)", "#ff000c", true},
		{"rgb(100%, 50%, 0%)", "#ff8000", true},
		{"rgb(1 2 3)", "#010203", true},
		{"rgba(1, 2, 3, 0.5)", "#010203", true},
		{"rgb(1 2 3 / 50%)", "#010203", true},
		{"rgba(1, 2, 3, 0)", "", false},
		{"transparent", "", false},
		{"#ab", "", false},
		{"#ggg", "", false},
		{"rgb(1,2)", "", false},
		{"rgb(1,2,3", "", false},
		{"rgb(nan, 1, 2)", "", false},
		{"expression(alert(1))", "", false},
		{"url(javascript:alert(1))", "", false},
		{"", "", false},
	}
	for _, tc := range cases {
		got, ok := parseColor(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseColor(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestContrastKnownValues(t *testing.T) {
	if c := contrast(rgb{}, white); c < 20.99 || c > 21.01 {
		t.Errorf("black on white = %v, want 21", c)
	}
	if c := contrast(rgb{0x77, 0x77, 0x77}, white); c < 4.47 || c > 4.49 {
		t.Errorf("#777 on white = %v, want 4.48", c)
	}
}

func TestAdaptColorExamples(t *testing.T) {
	light, dark := "#fdf6e3", "#1e1e1e"
	cases := []struct {
		name, fg, bg string
		depth        Depth
		want         string // "" with check set: only the properties are checked
	}{
		{"readable red kept", "#ff0000", "#000000", TrueColor, "#ff0000"},
		{"readable kept on light", "#000080", light, TrueColor, "#000080"},
		{"no colour", "#ff0000", dark, NoColor, ""},
		{"unreadable input", "expression(x)", dark, TrueColor, ""},
		{"empty fg", "", dark, TrueColor, ""},
		{"named fg", "lime", "#000000", Colors16, "#00ff00"},
		{"cube member kept", "#5f87af", "#000000", Colors256, "#5f87af"},
	}
	for _, tc := range cases {
		if got := AdaptColor(tc.fg, tc.bg, tc.depth); got != tc.want {
			t.Errorf("%s: AdaptColor(%q, %q, %d) = %q, want %q", tc.name, tc.fg, tc.bg, tc.depth, got, tc.want)
		}
	}
	// White text on a light theme becomes dark enough, and stays as
	// light as it can: just over the threshold.
	got := AdaptColor("#ffffff", light, TrueColor)
	c, _ := parseHex(got)
	bg, _ := parseHex(light)
	if r := contrast(c, bg); r < MinContrast || r > MinContrast+0.1 {
		t.Errorf("white on %s became %s with contrast %.2f, want just over %v", light, got, r, MinContrast)
	}
	// Dark blue on a dark theme becomes a lighter blue, not white.
	got = AdaptColor("#0000ff", dark, TrueColor)
	c, _ = parseHex(got)
	if c.b != 0xff || c.r == 0xff || c.r != c.g {
		t.Errorf("blue on dark became %s, want a lighter blue", got)
	}
	// An empty theme background means black.
	if a, b := AdaptColor("#000080", "", TrueColor), AdaptColor("#000080", "#000000", TrueColor); a != b {
		t.Errorf("empty theme bg gave %s, black gave %s", a, b)
	}
}

// TestAdaptColorProperties checks, over a grid of text and background
// colours, that the result is always readable and, when quantised, a
// member of the palette.
func TestAdaptColorProperties(t *testing.T) {
	levels := []uint8{0x00, 0x40, 0x80, 0xc0, 0xff}
	var grid []rgb
	for _, r := range levels {
		for _, g := range levels {
			for _, b := range levels {
				grid = append(grid, rgb{r, g, b})
			}
		}
	}
	members := map[Depth]map[rgb]bool{Colors256: {}, Colors16: {}}
	for _, e := range xterm240 {
		members[Colors256][e] = true
	}
	for _, e := range ansi16 {
		members[Colors16][e] = true
	}
	for _, depth := range []Depth{TrueColor, Colors256, Colors16} {
		for _, fg := range grid {
			for _, bg := range grid {
				got := AdaptColor(fg.hex(), bg.hex(), depth)
				c, ok := parseHex(got)
				if !ok {
					t.Fatalf("AdaptColor(%s, %s, %d) = %q, not a colour", fg.hex(), bg.hex(), depth, got)
				}
				if r := contrast(c, bg); r < MinContrast {
					t.Fatalf("AdaptColor(%s, %s, %d) = %s: contrast %.2f", fg.hex(), bg.hex(), depth, got, r)
				}
				if m := members[depth]; m != nil && !m[c] {
					t.Fatalf("AdaptColor(%s, %s, %d) = %s: not in the palette", fg.hex(), bg.hex(), depth, got)
				}
				if depth == TrueColor && contrast(fg, bg) >= MinContrast && c != fg {
					t.Fatalf("readable %s on %s changed to %s", fg.hex(), bg.hex(), got)
				}
			}
		}
	}
}

func TestAdaptStyle(t *testing.T) {
	cases := []struct {
		name             string
		in               Style
		themeFG, themeBG string
		depth            Depth
		wantFG, wantBG   string
	}{
		{"black text made grey, then bg unreadable", Style{FG: "#000000", BG: "#ffff00"}, "", "#000000", TrueColor, "#757575", ""},
		{"bg kept with theme text", Style{BG: "#000080"}, "#ffffff", "#000000", TrueColor, "", "#000080"},
		{"bg dropped when unreadable", Style{BG: "#ffff00"}, "#ffffff", "#000000", TrueColor, "", ""},
		{"bg with dark text on light theme", Style{FG: "#000000", BG: "#ffff00"}, "", "#ffffff", TrueColor, "#000000", "#ffff00"},
		{"bg quantised", Style{FG: "#000000", BG: "#fefe01"}, "", "#ffffff", Colors16, "#000000", "#ffff00"},
		{"theme fg defaults to contrast", Style{BG: "#000080"}, "", "#000000", TrueColor, "", "#000080"},
		{"no colour drops both", Style{FG: "#ff0000", BG: "#000000"}, "", "#000000", NoColor, "", ""},
		{"bad bg dropped", Style{BG: "url(x)"}, "", "#000000", TrueColor, "", ""},
	}
	for _, tc := range cases {
		got := AdaptStyle(tc.in, tc.themeFG, tc.themeBG, tc.depth)
		if got.FG != tc.wantFG || got.BG != tc.wantBG {
			t.Errorf("%s: AdaptStyle(%+v) FG, BG = %q, %q; want %q, %q", tc.name, tc.in, got.FG, got.BG, tc.wantFG, tc.wantBG)
		}
	}
}

func TestDepthFromColors(t *testing.T) {
	for n, want := range map[int]Depth{1 << 24: TrueColor, 256: Colors256, 88: Colors16, 16: Colors16, 8: Colors16, 2: NoColor, 0: NoColor, -1: NoColor} {
		if got := DepthFromColors(n); got != want {
			t.Errorf("DepthFromColors(%d) = %d, want %d", n, got, want)
		}
	}
}

func ExampleAdaptColor() {
	// White text from a sender with a dark theme, read on a light one.
	fmt.Println(AdaptColor("#ffffff", "#ffffff", TrueColor))
	fmt.Println(AdaptColor("#ffffff", "#ffffff", Colors256))
	fmt.Println(AdaptColor("red", "#000000", Colors16))
	// Output:
	// #767676
	// #767676
	// #ff0000
}
