package xhtml

import (
	"fmt"
	"math"
)

// Depth is how many colours a terminal can show.
type Depth int

// Colour depths, from tcell's Screen.Colors(): see DepthFromColors.
const (
	TrueColor Depth = iota // 24-bit colour: any "#rrggbb"
	Colors256              // the xterm 256-colour palette
	Colors16               // the 16 ANSI colours
	NoColor                // monochrome: colours are dropped
)

// DepthFromColors maps a terminal's colour count (as tcell's
// Screen.Colors reports it) to a Depth.
func DepthFromColors(n int) Depth {
	switch {
	case n > 256:
		return TrueColor
	case n >= 256:
		return Colors256
	case n >= 8:
		return Colors16
	}
	return NoColor
}

// MinContrast is the WCAG 2 contrast ratio AdaptColor guarantees between
// text and the theme background: 4.5:1, the level for normal text.
const MinContrast = 4.5

// AdaptColor fits fg, a sender's "#rrggbb" text colour, to a terminal whose
// background is themeBG ("" means black). If fg is not readable on it
// (contrast below MinContrast) it is lightened or darkened just enough,
// then quantised to depth: for Colors256 the nearest readable entry of the
// xterm colour cube and grey ramp (not the first 16, whose real colours
// depend on the terminal's theme), for Colors16 the nearest readable ANSI
// colour as tcell defines them, returned as that entry's "#rrggbb". It
// returns "" for NoColor or an fg it cannot read, meaning the theme's own
// text colour. With Colors16 the terminal may redefine its colours, so the
// contrast holds only for the standard palette.
func AdaptColor(fg, themeBG string, depth Depth) string {
	c, ok := parseHex(fg)
	if !ok || depth == NoColor {
		return ""
	}
	bg := themeColor(themeBG, rgb{})
	return quantize(readable(c, bg), bg, depth).hex()
}

// AdaptStyle adapts the colours of st for a terminal: FG as AdaptColor
// does; BG quantised to depth and kept only if the text drawn on it (FG,
// or themeFG when FG is "") is readable on it, otherwise dropped. themeFG
// "" means white on a dark background and black on a light one.
func AdaptStyle(st Style, themeFG, themeBG string, depth Depth) Style {
	st.FG = AdaptColor(st.FG, themeBG, depth)
	b, ok := parseHex(st.BG)
	if !ok || depth == NoColor {
		st.BG = ""
		return st
	}
	bg := themeColor(themeBG, rgb{})
	text := themeColor(themeFG, contrasting(bg))
	if st.FG != "" {
		text, _ = parseHex(st.FG)
	}
	q := quantizeAny(b, depth)
	st.BG = ""
	if contrast(text, q) >= MinContrast {
		st.BG = q.hex()
	}
	return st
}

// rgb is a colour with 8-bit channels.
type rgb struct{ r, g, b uint8 }

func (c rgb) hex() string { return fmt.Sprintf("#%02x%02x%02x", c.r, c.g, c.b) }

// parseHex reads "#rrggbb" (or anything parseColor reads).
func parseHex(s string) (rgb, bool) {
	h, ok := parseColor(s)
	if !ok {
		return rgb{}, false
	}
	var v [3]uint8
	for i := range v {
		hi, lo := unhex(h[1+2*i]), unhex(h[2+2*i])
		v[i] = hi<<4 | lo
	}
	return rgb{v[0], v[1], v[2]}, true
}

func unhex(c byte) uint8 {
	if c >= 'a' {
		return c - 'a' + 10
	}
	return c - '0'
}

func themeColor(s string, def rgb) rgb {
	if c, ok := parseHex(s); ok {
		return c
	}
	return def
}

var white = rgb{255, 255, 255}

// contrasting returns white or black, whichever reads better on bg.
func contrasting(bg rgb) rgb {
	if contrast(white, bg) >= contrast(rgb{}, bg) {
		return white
	}
	return rgb{}
}

// linear maps an sRGB channel value to linear light, as WCAG 2 defines
// it. It is filled once and only read.
var linear = func() (t [256]float64) {
	for i := range t {
		f := float64(i) / 255
		if f <= 0.04045 {
			t[i] = f / 12.92
		} else {
			t[i] = math.Pow((f+0.055)/1.055, 2.4)
		}
	}
	return t
}()

// luminance is the WCAG 2 relative luminance of c.
func luminance(c rgb) float64 {
	return 0.2126*linear[c.r] + 0.7152*linear[c.g] + 0.0722*linear[c.b]
}

// contrast is the WCAG 2 contrast ratio of two colours, from 1 to 21.
func contrast(a, b rgb) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// mix moves c a fraction t of the way to d.
func mix(c, d rgb, t float64) rgb {
	m := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + (float64(y)-float64(x))*t)) }
	return rgb{m(c.r, d.r), m(c.g, d.g), m(c.b, d.b)}
}

// readable returns c if it reads on bg, else the colour closest to c on
// the way to white (on a dark bg) or black (on a light one) that does.
// White or black always reach at least 4.58:1 against any background, and
// contrast only grows on the last stretch of the way, so a binary search
// finds the first readable point.
func readable(c, bg rgb) rgb {
	if contrast(c, bg) >= MinContrast {
		return c
	}
	target := contrasting(bg)
	lo, hi := 0.0, 1.0
	for range 20 {
		mid := (lo + hi) / 2
		if contrast(mix(c, target, mid), bg) >= MinContrast {
			hi = mid
		} else {
			lo = mid
		}
	}
	return mix(c, target, hi)
}
