package themes

import (
	"fmt"
	"math"

	"mellium.im/xmpp/color"
)

// Nick says how nicks are coloured. Each contact gets a stable colour
// computed from its bare JID with XEP-0392 (Consistent Color Generation):
// the hue comes from a hash of the JID, Luma sets the brightness (high for
// dark backgrounds, low for light ones). With a Palette the hue picks one
// of its colours instead, for terminals with few colours; a palette of one
// "default" entry gives every nick the text colour (monochrome).
type Nick struct {
	Luma    int     `toml:"luma"` // 0..255
	Palette []Color `toml:"palette"`
	Attrs   Attrs   `toml:"attrs"`
}

// Style returns the style of the nick of bare JID jid.
func (n Nick) Style(jid string) Style {
	if len(n.Palette) > 0 {
		cbcr := color.Sum([]byte(jid), color.None)
		angle := math.Atan2(float64(cbcr[1])-127.5, float64(cbcr[0])-127.5) // -π..π
		i := int((angle + math.Pi) / (2 * math.Pi) * float64(len(n.Palette)))
		return Style{Fg: n.Palette[min(i, len(n.Palette)-1)], Attrs: n.Attrs}
	}
	c := color.String(jid, uint8(n.Luma), color.None)
	r, g, b, _ := c.RGBA()
	return Style{Fg: Color(fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)), Attrs: n.Attrs}
}
