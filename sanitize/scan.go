package sanitize

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

type mode uint8

const (
	modeText mode = iota
	modeLine
	modeVisible
)

const (
	esc = 0x1b
	bel = 0x07
	can = 0x18 // cancels a control string
	sub = 0x1a // cancels a control string
)

// clean is the common body of Text, Line and Visible.
func clean(s string, m mode) string {
	i := firstUnsafe(s, m)
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		i = step(&b, s, i, m)
	}
	return b.String()
}

// firstUnsafe returns the index of the first byte that clean must look at,
// or len(s) if s needs no change.
func firstUnsafe(s string, m mode) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c < 0x7f || (c == '\n' || c == '\t') && m != modeLine {
				i++
				continue
			}
			return i
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || isC1(r) || isFormat(r) || isSeparator(r) {
			return i
		}
		i += size
	}
	return len(s)
}

func isC1(r rune) bool { return r >= 0x80 && r <= 0x9f }

// isFormat reports whether r is a bidi embedding, override or isolate, or a
// deprecated format control.
func isFormat(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x206f
}

func isSeparator(r rune) bool { return r == 0x2028 || r == 0x2029 }

// step handles the rune at s[i], writes what should be shown to b and
// returns the index of the next rune to look at.
func step(b *strings.Builder, s string, i int, m mode) int {
	c := s[i]
	if c < utf8.RuneSelf {
		return stepASCII(b, s, i, m)
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	switch {
	case r == utf8.RuneError && size == 1:
		b.WriteRune(utf8.RuneError)
	case isC1(r):
		if m == modeVisible {
			b.WriteRune(0x241b)
			b.WriteByte(byte(r - 0x40))
			break
		}
		return skipC1(s, i+size, r)
	case isSeparator(r):
		if m == modeVisible {
			writeCode(b, r)
		} else {
			newline(b, m)
		}
	case isFormat(r):
		if m == modeVisible {
			writeCode(b, r)
		}
	default:
		b.WriteString(s[i : i+size])
	}
	return i + size
}

func stepASCII(b *strings.Builder, s string, i int, m mode) int {
	c := s[i]
	switch {
	case c >= 0x20 && c < 0x7f:
		b.WriteByte(c)
	case c == '\n':
		newline(b, m)
	case c == '\t':
		if m == modeLine {
			b.WriteByte(' ')
		} else {
			b.WriteByte('\t')
		}
	case m == modeVisible:
		writePicture(b, c)
	case c == '\r':
		if i+1 < len(s) && s[i+1] == '\n' {
			break // the '\n' comes next
		}
		newline(b, m)
	case c == esc:
		return skipEscape(s, i+1)
	}
	return i + 1
}

func newline(b *strings.Builder, m mode) {
	if m == modeLine {
		b.WriteByte(' ')
	} else {
		b.WriteByte('\n')
	}
}

// writePicture writes the Control Picture for the C0 control or DEL c.
func writePicture(b *strings.Builder, c byte) {
	if c == 0x7f {
		b.WriteRune(0x2421)
		return
	}
	b.WriteRune(0x2400 + rune(c))
}

// writeCode writes r as "<U+XXXX>".
func writeCode(b *strings.Builder, r rune) {
	b.WriteString("<U+")
	b.WriteString(strings.ToUpper(strconv.FormatInt(int64(r), 16)))
	b.WriteByte('>')
}

// skipC1 skips what follows the C1 control r (whose encoding ends just
// before s[j]) and returns the index of the first byte after it.
func skipC1(s string, j int, r rune) int {
	switch r {
	case 0x9b: // CSI
		return skipCSI(s, j)
	case 0x90, 0x98, 0x9d, 0x9e, 0x9f: // DCS, SOS, OSC, PM, APC
		return skipString(s, j)
	}
	return j
}

// skipEscape skips the escape sequence whose ESC is just before s[j].
func skipEscape(s string, j int) int {
	if j >= len(s) {
		return j
	}
	switch c := s[j]; {
	case c == '[':
		return skipCSI(s, j+1)
	case c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_':
		return skipString(s, j+1)
	case c >= 0x20 && c <= 0x2f: // nF: intermediates, then a final byte
		for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
			j++
		}
		if j < len(s) && s[j] >= 0x30 && s[j] <= 0x7e {
			j++
		}
		return j
	case c >= 0x30 && c <= 0x7e: // two-character escape (ESC c, ESC 7, ESC \)
		return j + 1
	}
	return j // lone ESC: drop it, keep what follows
}

// skipCSI skips the parameters, intermediates and final byte of a control
// sequence starting at s[j]. A malformed sequence ends at the first byte
// that does not fit; that byte is handled on its own.
func skipCSI(s string, j int) int {
	for j < len(s) && s[j] >= 0x30 && s[j] <= 0x3f {
		j++
	}
	for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
		j++
	}
	if j < len(s) && s[j] >= 0x40 && s[j] <= 0x7e {
		j++
	}
	return j
}

// skipString skips a control string (OSC, DCS, SOS, PM, APC) starting at
// s[j] up to and including its terminator: BEL, ST (U+009C) or CAN/SUB. An
// ESC ends the string but is left for the caller, so ESC \ is then skipped
// as a two-character escape. A newline also ends the string and is kept, so
// an unterminated sequence hides at most the rest of its line.
func skipString(s string, j int) int {
	for ; j < len(s); j++ {
		switch s[j] {
		case bel, can, sub:
			return j + 1
		case esc, '\n':
			return j
		case 0xc2:
			if j+1 < len(s) && s[j+1] == 0x9c {
				return j + 2
			}
		}
	}
	return j
}
