package xhtml

// ansi16 is the 16-colour palette as tcell names it (the CSS basic
// colours), so tcell maps each entry back to its ANSI index exactly.
var ansi16 = [16]rgb{
	{0x00, 0x00, 0x00}, {0x80, 0x00, 0x00}, {0x00, 0x80, 0x00}, {0x80, 0x80, 0x00},
	{0x00, 0x00, 0x80}, {0x80, 0x00, 0x80}, {0x00, 0x80, 0x80}, {0xc0, 0xc0, 0xc0},
	{0x80, 0x80, 0x80}, {0xff, 0x00, 0x00}, {0x00, 0xff, 0x00}, {0xff, 0xff, 0x00},
	{0x00, 0x00, 0xff}, {0xff, 0x00, 0xff}, {0x00, 0xff, 0xff}, {0xff, 0xff, 0xff},
}

// xterm240 is entries 16–255 of the xterm palette: the 6×6×6 colour cube
// and the 24-step grey ramp. It is filled once and only read.
var xterm240 = func() (p [240]rgb) {
	levels := [6]uint8{0x00, 0x5f, 0x87, 0xaf, 0xd7, 0xff}
	for i := range 216 {
		p[i] = rgb{levels[i/36], levels[i/6%6], levels[i%6]}
	}
	for i := range 24 {
		v := uint8(8 + 10*i)
		p[216+i] = rgb{v, v, v}
	}
	return p
}()

func palette(depth Depth) []rgb {
	switch depth {
	case Colors256:
		return xterm240[:]
	case Colors16:
		return ansi16[:]
	}
	return nil
}

// quantize returns the entry of depth's palette nearest to c among those
// readable on bg, or c itself in true colour. Each palette holds black and
// white, one of which is always readable.
func quantize(c, bg rgb, depth Depth) rgb {
	p := palette(depth)
	if p == nil {
		return c
	}
	best, bestD := c, -1
	for _, e := range p {
		if contrast(e, bg) < MinContrast {
			continue
		}
		if d := distance(c, e); bestD < 0 || d < bestD {
			best, bestD = e, d
		}
	}
	return best
}

// quantizeAny returns the entry of depth's palette nearest to c, or c
// itself in true colour.
func quantizeAny(c rgb, depth Depth) rgb {
	p := palette(depth)
	if p == nil {
		return c
	}
	best, bestD := c, -1
	for _, e := range p {
		if d := distance(c, e); bestD < 0 || d < bestD {
			best, bestD = e, d
		}
	}
	return best
}

// distance is the "redmean" approximation of how different two colours
// look: squared RGB distance weighted by the mean red level.
func distance(a, b rgb) int {
	rm := (int(a.r) + int(b.r)) / 2
	dr, dg, db := int(a.r)-int(b.r), int(a.g)-int(b.g), int(a.b)-int(b.b)
	return (512+rm)*dr*dr>>8 + 4*dg*dg + (767-rm)*db*db>>8
}
