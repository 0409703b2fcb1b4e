package muc

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Mentions says whether body mentions nick or one of words as a whole word,
// ignoring case: "bob" matches "Bob: hi" and "hi @bob!" but not "bobby".
// A word that starts or ends with punctuation ("[bot]") needs no boundary
// on that side.
func Mentions(body, nick string, words []string) bool {
	if body == "" {
		return false
	}
	lower := strings.ToLower(body)
	if containsWord(lower, strings.ToLower(nick)) {
		return true
	}
	for _, w := range words {
		if containsWord(lower, strings.ToLower(w)) {
			return true
		}
	}
	return false
}

func containsWord(s, w string) bool {
	if strings.TrimSpace(w) == "" {
		return false
	}
	head, _ := utf8.DecodeRuneInString(w)
	tail, _ := utf8.DecodeLastRuneInString(w)
	needBefore, needAfter := wordRune(head), wordRune(tail)
	for i := 0; i <= len(s)-len(w); {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		at := i + j
		if (!needBefore || boundaryBefore(s, at)) && (!needAfter || boundaryAfter(s, at+len(w))) {
			return true
		}
		_, size := utf8.DecodeRuneInString(s[at:])
		i = at + size
	}
	return false
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }

func boundaryBefore(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !wordRune(r)
}

func boundaryAfter(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return !wordRune(r)
}
