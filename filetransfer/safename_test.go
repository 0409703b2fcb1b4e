package filetransfer

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"../../.bashrc":          "bashrc",
		`..\..\windows\evil.exe`: "evil.exe",
		"..":                     "file",
		".":                      "file",
		"":                       "file",
		"/etc/passwd":            "passwd",
		"a\u0085b.txt":           "ab.txt", // C1 control (NEL)
		"a\x1b[31mred.txt":       "a(31mred.txt",
		"[red]alert[-].txt":      "(red)alert(-).txt",
		"evil\u202etxt.exe":      "eviltxt.exe", // bidi override
		"name. ":                 "name",
		"line\nbreak.txt":        "line break.txt",
		"ok-name_1.tar.gz":       "ok-name_1.tar.gz",
		"bad\xffutf8":            "bad_utf8",
		"photo:1?.jpg":           "photo_1_.jpg",
		"\u00e9t\u00e9 2026.jpg": "\u00e9t\u00e9 2026.jpg",
	} {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSafeNameLong(t *testing.T) {
	for _, in := range []string{strings.Repeat("a", 5000) + ".pdf", strings.Repeat("\u00e9", 5000)} {
		got := SafeName(in)
		if len(got) > MaxNameBytes || !utf8.ValidString(got) {
			t.Fatalf("%d bytes, valid %v", len(got), utf8.ValidString(got))
		}
		if strings.HasSuffix(in, ".pdf") && !strings.HasSuffix(got, ".pdf") {
			t.Fatalf("extension lost: %q", got[len(got)-10:])
		}
	}
}

func FuzzSafeName(f *testing.F) {
	for _, s := range []string{"../../.bashrc", "a\u0085b", "[red]x", strings.Repeat("x", 300) + ".txt"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := SafeName(in)
		if got == "" || len(got) > MaxNameBytes || !utf8.ValidString(got) {
			t.Fatalf("SafeName(%q) = %q", in, got)
		}
		if strings.ContainsAny(got, `/\[]`) || strings.HasPrefix(got, ".") || got == ".." {
			t.Fatalf("SafeName(%q) = %q", in, got)
		}
		for _, r := range got {
			if r < 0x20 || (r >= 0x7f && r < 0xa0) {
				t.Fatalf("control %U in %q", r, got)
			}
		}
		if SafeName(got) != got {
			t.Fatalf("not idempotent: %q -> %q", got, SafeName(got))
		}
	})
}
