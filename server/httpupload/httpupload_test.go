package httpupload

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"../../.bashrc":          "bashrc",
		"a\\b\\c.txt":            "c.txt",
		"x\u0085y[red]z":         "xy[red]z",
		"":                       "file",
		"...":                    "file",
		strings.Repeat("é", 300): strings.Repeat("é", 100),
	} {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzSafeName: the result is always a plain, bounded, valid name that
// is its own SafeName (the HTTP side checks names that way).
func FuzzSafeName(f *testing.F) {
	f.Add("../../.bashrc")
	f.Add("a\x00b/\u202e.exe")
	f.Fuzz(func(t *testing.T, s string) {
		n := SafeName(s)
		if n == "" || len(n) > maxName || strings.ContainsAny(n, "/\\") || strings.HasPrefix(n, ".") || !utf8.ValidString(n) {
			t.Fatalf("SafeName(%q) = %q", s, n)
		}
		if SafeName(n) != n {
			t.Fatalf("SafeName is not idempotent on %q: %q", n, SafeName(n))
		}
	})
}
