package xhtml

import (
	"fmt"
	"strconv"
	"strings"
)

// decl is one CSS declaration of a style attribute.
type decl struct{ prop, value string }

// declarations splits a style attribute into declarations, leniently:
// property names are lower-cased, values trimmed and "!important" dropped;
// a piece without a colon is kept with an empty property so Validate can
// name it.
func declarations(css string) []decl {
	var out []decl
	for _, part := range strings.Split(css, ";") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		prop, value, _ := strings.Cut(part, ":")
		value = strings.TrimSpace(value)
		if n := len(value) - len("!important"); n >= 0 && strings.EqualFold(value[n:], "!important") {
			value = strings.TrimSpace(value[:n])
		}
		out = append(out, decl{strings.ToLower(strings.TrimSpace(prop)), value})
	}
	return out
}

// applyCSS applies the declarations of a style attribute that this package
// understands to st and ignores the rest, including any value it cannot
// read (expressions, url(), unknown colours).
func applyCSS(st *Style, css string) {
	if css == "" {
		return
	}
	for _, d := range declarations(css) {
		applyDecl(st, d)
	}
}

// applyDecl applies one declaration and reports whether it was understood.
func applyDecl(st *Style, d decl) bool {
	v := strings.ToLower(d.value)
	switch d.prop {
	case "color":
		c, ok := parseColor(v)
		if ok {
			st.FG = c
		}
		return ok
	case "background-color", "background":
		c, ok := parseColor(v)
		if ok {
			st.BG = c
		}
		return ok
	case "font-weight":
		bold, ok := fontWeight(v)
		if ok {
			st.Bold = bold
		}
		return ok
	case "font-style":
		switch {
		case v == "normal":
			st.Italic = false
		case v == "italic" || strings.HasPrefix(v, "oblique"):
			st.Italic = true
		default:
			return false
		}
		return true
	case "text-decoration", "text-decoration-line":
		return textDecoration(st, v)
	}
	return false
}

func fontWeight(v string) (bold, ok bool) {
	switch v {
	case "bold", "bolder":
		return true, true
	case "normal", "lighter":
		return false, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1000 {
		return false, false
	}
	return n >= 600, true
}

// textDecoration adds underline and line-through. As in CSS, a decoration
// cannot be removed by an inner element, so "none" changes nothing.
func textDecoration(st *Style, v string) bool {
	ok := false
	for _, w := range strings.Fields(v) {
		switch w {
		case "underline":
			st.Underline, ok = true, true
		case "line-through":
			st.Strike, ok = true, true
		case "none", "overline", "blink", "solid", "double", "dotted", "dashed", "wavy":
			ok = true
		default:
			if _, isColor := parseColor(w); !isColor {
				return false
			}
		}
	}
	return ok
}

// checkCSS is Validate's check of a style attribute: only color,
// background-color, font-weight, font-style and text-decoration, each with
// a value this package understands.
func checkCSS(css string) error {
	for _, d := range declarations(css) {
		switch d.prop {
		case "color", "background-color", "font-weight", "font-style", "text-decoration":
		default:
			return fmt.Errorf("style property %q: %w", excerpt(d.prop), ErrNotAllowed)
		}
		var st Style
		if !applyDecl(&st, d) {
			return fmt.Errorf("style value %q for %s not understood: %w", excerpt(d.value), d.prop, ErrNotAllowed)
		}
	}
	return nil
}

// parseColor reads a CSS colour: a name (the 16 basic colours and a few
// common ones), #rgb, #rrggbb (#rgba and #rrggbbaa ignore alpha), or
// rgb()/rgba() with numbers or percentages. It returns "#rrggbb". A
// transparent colour or anything else is not understood.
func parseColor(v string) (string, bool) {
	v = strings.ToLower(strings.TrimSpace(v))
	if c := namedColor(v); c != "" {
		return c, true
	}
	if strings.HasPrefix(v, "#") {
		return hexColor(v[1:])
	}
	if args, ok := strings.CutPrefix(v, "rgba("); ok {
		return rgbFunc(args)
	}
	if args, ok := strings.CutPrefix(v, "rgb("); ok {
		return rgbFunc(args)
	}
	return "", false
}

func hexColor(h string) (string, bool) {
	for _, c := range h {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return "", false
		}
	}
	switch len(h) {
	case 3, 4:
		return "#" + string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]}), true
	case 6, 8:
		return "#" + h[:6], true
	}
	return "", false
}

// rgbFunc reads "r, g, b)" or "r g b / a)", the arguments of rgb() or
// rgba(). A fully transparent colour is refused.
func rgbFunc(args string) (string, bool) {
	args, ok := strings.CutSuffix(strings.TrimSpace(args), ")")
	if !ok {
		return "", false
	}
	parts := strings.FieldsFunc(args, func(r rune) bool { return r == ',' || r == ' ' || r == '/' })
	if len(parts) != 3 && len(parts) != 4 {
		return "", false
	}
	var rgb [3]byte
	for i, p := range parts[:3] {
		c, ok := channel(p)
		if !ok {
			return "", false
		}
		rgb[i] = c
	}
	if len(parts) == 4 {
		a, err := strconv.ParseFloat(strings.TrimSuffix(parts[3], "%"), 64)
		if err != nil || a <= 0 {
			return "", false
		}
	}
	return fmt.Sprintf("#%02x%02x%02x", rgb[0], rgb[1], rgb[2]), true
}

// channel reads a colour channel, 0–255 or a percentage, clamped.
func channel(p string) (byte, bool) {
	pct := strings.HasSuffix(p, "%")
	f, err := strconv.ParseFloat(strings.TrimSuffix(p, "%"), 64)
	if err != nil || f != f {
		return 0, false
	}
	if pct {
		f = f * 255 / 100
	}
	return byte(min(max(f+0.5, 0), 255)), true
}

// namedColor returns the colour called name, or "".
func namedColor(name string) string {
	switch name {
	case "black":
		return "#000000"
	case "silver":
		return "#c0c0c0"
	case "gray", "grey":
		return "#808080"
	case "white":
		return "#ffffff"
	case "maroon":
		return "#800000"
	case "red":
		return "#ff0000"
	case "purple":
		return "#800080"
	case "fuchsia", "magenta":
		return "#ff00ff"
	case "green":
		return "#008000"
	case "lime":
		return "#00ff00"
	case "olive":
		return "#808000"
	case "yellow":
		return "#ffff00"
	case "navy":
		return "#000080"
	case "blue":
		return "#0000ff"
	case "teal":
		return "#008080"
	case "aqua", "cyan":
		return "#00ffff"
	}
	return moreColor(name)
}

// moreColor knows a few common extended colour names.
func moreColor(name string) string {
	switch name {
	case "orange":
		return "#ffa500"
	case "pink":
		return "#ffc0cb"
	case "brown":
		return "#a52a2a"
	case "gold":
		return "#ffd700"
	case "violet":
		return "#ee82ee"
	case "indigo":
		return "#4b0082"
	case "darkred":
		return "#8b0000"
	case "darkgreen":
		return "#006400"
	case "darkblue":
		return "#00008b"
	case "darkgray", "darkgrey":
		return "#a9a9a9"
	case "lightgray", "lightgrey":
		return "#d3d3d3"
	case "orangered":
		return "#ff4500"
	case "darkorange":
		return "#ff8c00"
	case "crimson":
		return "#dc143c"
	}
	return ""
}
