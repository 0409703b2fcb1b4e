package ui

import (
	"fmt"
	"strings"

	"chat/themes"

	"github.com/gdamore/tcell/v2"
)

// tag returns the tview style tag that switches to s; reset goes back to
// the widget's text style.
func tag(s themes.Style) string {
	attrs := ""
	for _, a := range strings.Split(string(s.Attrs), ",") {
		attrs += attrLetters[a]
	}
	return "[" + colorTag(s.Fg) + ":" + colorTag(s.Bg) + ":" + attrs + "]"
}

// reset is a full reset: colours, attributes and URL back to the
// widget's, then underline off. "[-:-:-]" alone is not enough in tview
// v0.42.0: "-" for the attributes leaves tcell's underline style (which is
// what the terminal is told) on, and the URL is a fourth field.
const reset = "[-:-:-:-][::U]"

var attrLetters = map[string]string{
	"bold": "b", "dim": "d", "italic": "i", "underline": "u",
	"reverse": "r", "blink": "l", "strikethrough": "s",
}

func colorTag(c themes.Color) string {
	if strings.HasPrefix(string(c), "color") { // palette numbers have no tag name
		return fmt.Sprintf("#%06x", c.TCell().TrueColor().Hex())
	}
	return string(c)
}

// cellStyle returns s as a tcell style on top of base.
func cellStyle(base tcell.Style, s themes.Style) tcell.Style {
	if s.Fg != "" {
		base = base.Foreground(s.Fg.TCell())
	}
	if s.Bg != "" {
		base = base.Background(s.Bg.TCell())
	}
	m := s.Attrs.Mask()
	if m&tcell.AttrUnderline != 0 {
		base = base.Underline(true)
	}
	return base.Attributes(m &^ tcell.AttrUnderline)
}

// textStyle is the theme's base style for everything.
func textStyle(th *themes.Theme) tcell.Style {
	return cellStyle(tcell.StyleDefault, th.Text)
}
