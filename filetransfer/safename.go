package filetransfer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNameBytes bounds a sanitised file name (most file systems allow 255).
const MaxNameBytes = 200

// SafeName reduces a name received from a peer to a plain file name that
// is safe to create in the download directory and to show on the screen:
// only the part after the last slash or backslash, no control or format
// characters (C0, C1, bidi overrides), square brackets replaced by
// parentheses so tview colour tags stay inert, no leading dots (no hidden
// file by surprise, no "." or ".."), no trailing dots or spaces, invalid
// UTF-8 replaced, and at most MaxNameBytes bytes with the extension kept.
// An empty result is "file".
func SafeName(name string) string {
	name = strings.ToValidUTF8(name, "_")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(cleanRune, name)
	name = strings.TrimLeft(name, ". ")
	name = strings.TrimRight(name, ". ")
	name = truncate(name, MaxNameBytes)
	name = strings.TrimRight(name, ". ")
	if name == "" {
		return "file"
	}
	return name
}

func cleanRune(r rune) rune {
	switch {
	case r == '[':
		return '('
	case r == ']':
		return ')'
	case r == '\t' || r == '\n' || r == '\r':
		return ' '
	case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == utf8.RuneError:
		return -1
	case r == ':' || r == '*' || r == '?' || r == '"' || r == '<' || r == '>' || r == '|':
		return '_' // not portable in file names
	}
	return r
}

// truncate cuts name to at most max bytes on a rune boundary, keeping a
// short extension.
func truncate(name string, max int) string {
	if len(name) <= max {
		return name
	}
	ext := ""
	if i := strings.LastIndexByte(name, '.'); i > 0 && len(name)-i <= 16 {
		ext = name[i:]
		name = name[:i]
	}
	cut := max - len(ext)
	for cut > 0 && !utf8.RuneStart(name[cut]) {
		cut--
	}
	return name[:cut] + ext
}
