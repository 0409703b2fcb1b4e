package themes

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/uniseg"
)

// Parse reads a theme from TOML text; where names the text in errors (a
// file path). A theme with base = "NAME" starts from that built-in theme.
// Errors name the line: a syntax error, an unknown key (a typo such as
// "fgg"), an unknown colour or attribute, a symbol wider than one cell.
func Parse(where, name string, data []byte) (*Theme, error) {
	text := string(data)
	var head struct {
		Base string `toml:"base"`
	}
	if _, err := toml.Decode(text, &head); err != nil {
		return nil, parseError(where, text, err)
	}
	t := &Theme{}
	if head.Base != "" {
		if head.Base == name {
			return nil, fmt.Errorf("theme %s: line %d: base %q is the theme itself", where, keyLine(text, "base"), head.Base)
		}
		b, err := Builtin(head.Base)
		if err != nil {
			return nil, fmt.Errorf("theme %s: line %d: base: %w", where, keyLine(text, "base"), err)
		}
		t = b
	}
	md, err := toml.Decode(text, t)
	if err != nil {
		return nil, parseError(where, text, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		key := und[0]
		return nil, fmt.Errorf("theme %s: line %d: unknown key %q", where, keyLine(text, key[len(key)-1]), key.String())
	}
	if t.Nick.Luma < 0 || t.Nick.Luma > 255 {
		return nil, fmt.Errorf("theme %s: line %d: nick luma %d out of range 0..255", where, keyLine(text, "luma"), t.Nick.Luma)
	}
	t.Name = name
	return t, nil
}

func parseError(where, text string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		line := pe.Position.Line
		if line == 0 && pe.LastKey != "" {
			k := strings.Split(pe.LastKey, ".")
			line = keyLine(text, k[len(k)-1])
		}
		return fmt.Errorf("theme %s: line %d: %s", where, line, pe.Message)
	}
	return fmt.Errorf("theme %s: %w", where, err)
}

// keyLine returns the 1-based line where key is first assigned (also
// inside an inline table), or 0.
func keyLine(text, key string) int {
	for i, line := range strings.Split(text, "\n") {
		if j := strings.IndexByte(line, '#'); j >= 0 && !strings.Contains(line[:j], `"`) {
			line = line[:j]
		}
		for rest := line; ; {
			k := strings.Index(rest, key)
			if k < 0 {
				break
			}
			before := strings.TrimRight(rest[:k], " \t")
			after := strings.TrimLeft(rest[k+len(key):], " \t")
			if (before == "" || strings.HasSuffix(before, "{") || strings.HasSuffix(before, ",") || strings.HasSuffix(before, ".")) && strings.HasPrefix(after, "=") {
				return i + 1
			}
			rest = rest[k+len(key):]
		}
	}
	return 0
}

// Color is a colour: "" (inherit), "default" (the terminal's), a name
// tcell knows ("red", "darkcyan", "color208") or "#rrggbb".
type Color string

// UnmarshalText implements encoding.TextUnmarshaler, validating the name.
func (c *Color) UnmarshalText(b []byte) error {
	s := strings.ToLower(strings.TrimSpace(string(b)))
	if s != "" && s != "default" && !validColor(s) {
		return fmt.Errorf("unknown colour %q: use a name such as \"red\" or \"darkcyan\", \"color208\", \"#rrggbb\" or \"default\"", b)
	}
	*c = Color(s)
	return nil
}

func validColor(s string) bool {
	if _, ok := tcell.ColorNames[s]; ok {
		return true
	}
	if n, ok := strings.CutPrefix(s, "color"); ok {
		v, err := strconv.Atoi(n)
		return err == nil && v >= 0 && v <= 255
	}
	if len(s) == 7 && s[0] == '#' {
		_, err := strconv.ParseUint(s[1:], 16, 32)
		return err == nil
	}
	return false
}

// TCell returns the tcell colour; "" and "default" give ColorDefault.
func (c Color) TCell() tcell.Color {
	s := string(c)
	if n, ok := strings.CutPrefix(s, "color"); ok {
		if v, err := strconv.Atoi(n); err == nil {
			return tcell.PaletteColor(v)
		}
	}
	return tcell.GetColor(s)
}

// Attrs is a comma-separated list of text attributes: bold, dim, italic,
// underline, reverse, blink, strikethrough.
type Attrs string

var attrNames = map[string]tcell.AttrMask{
	"bold": tcell.AttrBold, "dim": tcell.AttrDim, "italic": tcell.AttrItalic,
	"underline": tcell.AttrUnderline, "reverse": tcell.AttrReverse,
	"blink": tcell.AttrBlink, "strikethrough": tcell.AttrStrikeThrough,
}

// UnmarshalText implements encoding.TextUnmarshaler, validating the names.
func (a *Attrs) UnmarshalText(b []byte) error {
	var names []string
	for _, f := range strings.Split(string(b), ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "" {
			continue
		}
		if _, ok := attrNames[f]; !ok {
			return fmt.Errorf("unknown attribute %q: use bold, dim, italic, underline, reverse, blink or strikethrough", f)
		}
		names = append(names, f)
	}
	*a = Attrs(strings.Join(names, ","))
	return nil
}

// Mask returns the attributes as a tcell mask.
func (a Attrs) Mask() tcell.AttrMask {
	var m tcell.AttrMask
	for _, f := range strings.Split(string(a), ",") {
		m |= attrNames[f]
	}
	return m
}

// Symbol is a presence symbol: one character one cell wide.
type Symbol string

// UnmarshalText implements encoding.TextUnmarshaler, checking the width.
func (s *Symbol) UnmarshalText(b []byte) error {
	if w := uniseg.StringWidth(string(b)); w != 1 || uniseg.GraphemeClusterCount(string(b)) != 1 {
		return fmt.Errorf("symbol %q must be one character one cell wide", b)
	}
	*s = Symbol(b)
	return nil
}
