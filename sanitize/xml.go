package sanitize

import (
	"strings"
	"unicode/utf8"
)

// XMLText returns s without the characters XML 1.0 does not allow (anything
// outside #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
// [#x10000-#x10FFFF]) and without invalid UTF-8, so the text the user typed
// can be sent in a stanza. Nothing is replaced: bad characters are dropped.
// A string that needs no change is returned as is, without allocating.
func XMLText(s string) string {
	i := firstNonXML(s)
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if xmlChar(r, size) {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func firstNonXML(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !xmlChar(r, size) {
			return i
		}
		i += size
	}
	return len(s)
}

// xmlChar reports whether r, decoded from size bytes, is an XML 1.0 Char.
// utf8.DecodeRuneInString reports invalid bytes (including encoded
// surrogates) as U+FFFD of size 1; a real U+FFFD has size 3.
func xmlChar(r rune, size int) bool {
	switch {
	case r == utf8.RuneError:
		return size > 1
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20:
		return false
	case r <= 0xd7ff:
		return true
	case r >= 0xe000 && r <= 0xfffd:
		return true
	}
	return r >= 0x10000 && r <= utf8.MaxRune
}
