package sanitize

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// hostile maps attacks to what Text must show.
var hostile = []struct{ name, in, want string }{
	{"csi colour", "\x1b[31mred\x1b[0m", "red"},
	{"csi private mode", "a\x1b[?1049hb", "ab"},
	{"cursor moves", "a\x1b[2Jb\x1b[10;20Hc\x1b[Ad", "abcd"},
	{"osc 8 hyperlink", "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\", "click"},
	{"osc 52 clipboard", "\x1b]52;c;cm0gLXJmIH4K\x07after", "after"},
	{"osc 0 title", "\x1b]0;pwned\x07hi", "hi"},
	{"osc cancelled", "\x1b]0;x\x18y", "y"},
	{"osc unterminated stops at newline", "a\x1b]0;title\nb", "a\nb"},
	{"osc unterminated at end", "a\x1b]0;title", "a"},
	{"dcs", "\x1bPq#0;2;0;0;0\x1b\\x", "x"},
	{"apc", "\x1b_Gf=100;AAAA\x1b\\x", "x"},
	{"pm and sos", "\x1b^pm\x1b\\\x1bXsos\x1b\\x", "x"},
	{"nF charset", "\x1b(0x\x1b(B", "x"},
	{"two-char escape", "\x1bcx\x1b7y", "xy"},
	{"lone esc at end", "x\x1b", "x"},
	{"double esc", "\x1b\x1b[31mx", "x"},
	{"csi interrupted by bel", "\x1b[31\x07m", "m"},
	{"8-bit csi", "a\u009b31mb", "ab"},
	{"8-bit osc with st", "a\u009d0;t\u009cb", "ab"},
	{"8-bit dcs", "a\u0090q\u009cb", "ab"},
	{"other c1", "a\u0085b\u008dc", "abc"},
	{"bel", "ding\x07", "ding"},
	{"backspace", "pass\b\b\b\bxxxx", "passxxxx"},
	{"cr overwrite", "safe\rEVIL", "safe\nEVIL"},
	{"crlf", "a\r\nb", "a\nb"},
	{"cr at end", "a\r", "a\n"},
	{"rlo filename", "invoice\u202Etxt.exe", "invoicetxt.exe"},
	{"embeddings", "\u202Aa\u202Bb\u202Cc\u202Dd", "abcd"},
	{"isolates", "\u2066a\u2067b\u2068c\u2069", "abc"},
	{"deprecated format", "a\u206Ab\u206Fc", "abc"},
	{"line separators", "a\u2028b\u2029c", "a\nb\nc"},
	{"nul", "a\x00b", "ab"},
	{"vt ff", "a\x0b\x0cb", "ab"},
	{"del", "a\x7fb", "ab"},
	{"invalid byte", "a\xffb", "a\uFFFDb"},
	{"truncated rune", "a\xc2", "a\uFFFD"},
	{"encoded surrogate", "\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"},
	{"raw 8-bit csi byte", "a\x9b31mb", "a\uFFFD31mb"},
}

// benign must come back unchanged.
var benign = []struct{ name, in string }{
	{"ascii", "Hello, world! [red] {x} ~"},
	{"empty", ""},
	{"cjk", "你好，世界。こんにちは 안녕하세요"},
	{"emoji zwj family", "👨\u200D👩\u200D👧\u200D👦"},
	{"emoji variation selector", "❤\uFE0F ☺\uFE0E"},
	{"flag tag sequence", "🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F"},
	{"arabic", "مرحبا بالعالم"},
	{"hebrew", "שלום עולם"},
	{"rtl marks", "\u200Fשלום\u200E abc \u061C"},
	{"combining", "e\u0301 n\u0303 a\u0308\u0323"},
	{"tab and newline", "a\tb\nc"},
	{"zero width space", "a\u200Bb"},
	{"replacement char", "\uFFFD"},
}

// checkSafe fails if out holds anything that a terminal could act on.
func checkSafe(t *testing.T, in, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("%q -> %q: invalid UTF-8", in, out)
	}
	for _, r := range out {
		bad := r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || isC1(r) || isFormat(r) || isSeparator(r)
		if bad {
			t.Fatalf("%q -> %q: contains %U", in, out, r)
		}
	}
}

func TestTextHostile(t *testing.T) {
	for _, tc := range hostile {
		t.Run(tc.name, func(t *testing.T) {
			got := Text(tc.in)
			if got != tc.want {
				t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
			}
			checkSafe(t, tc.in, got)
			if again := Text(got); again != got {
				t.Errorf("Text not idempotent: %q -> %q", got, again)
			}
		})
	}
}

func TestTextBenignUnchangedWithoutAllocation(t *testing.T) {
	for _, tc := range benign {
		t.Run(tc.name, func(t *testing.T) {
			if got := Text(tc.in); got != tc.in {
				t.Errorf("Text(%q) = %q, want it unchanged", tc.in, got)
			}
			if allocs := testing.AllocsPerRun(10, func() { _ = Text(tc.in) }); allocs != 0 {
				t.Errorf("Text(%q) allocated %v times, want 0", tc.in, allocs)
			}
		})
	}
}

func TestLine(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Bob\nSmith", "Bob Smith"},
		{"a\tb", "a b"},
		{"a\r\nb", "a b"},
		{"safe\rEVIL", "safe EVIL"},
		{"a\u2028b", "a b"},
		{"\x1b[1mBold\x1b[0m name", "Bold name"},
		{"\u202Egnp.exe", "gnp.exe"},
		{"Zoë 你好 👍", "Zoë 你好 👍"},
	}
	for _, tc := range cases {
		got := Line(tc.in)
		if got != tc.want {
			t.Errorf("Line(%q) = %q, want %q", tc.in, got, tc.want)
		}
		checkSafe(t, tc.in, got)
		if strings.ContainsAny(got, "\n\t") {
			t.Errorf("Line(%q) = %q keeps a newline or tab", tc.in, got)
		}
	}
	if allocs := testing.AllocsPerRun(10, func() { _ = Line("alice@example.org") }); allocs != 0 {
		t.Errorf("Line allocated %v times on clean input", allocs)
	}
}

func TestVisible(t *testing.T) {
	cases := []struct{ in, want string }{
		{"\x1b[31mred", "␛[31mred"},
		{"a\u009bb", "a␛[b"},
		{"safe\rEVIL", "safe␍EVIL"},
		{"a\x00b\x7f", "a␀b␡"},
		{"x\u202Ey", "x<U+202E>y"},
		{"x\u2028y", "x<U+2028>y"},
		{"bad\xff", "bad\uFFFD"},
		{"keep\ttab\nand newline", "keep\ttab\nand newline"},
	}
	for _, tc := range cases {
		got := Visible(tc.in)
		if got != tc.want {
			t.Errorf("Visible(%q) = %q, want %q", tc.in, got, tc.want)
		}
		checkSafe(t, tc.in, got)
	}
}

func TestXMLText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"hello", "hello"},
		{"a\r\n\tb", "a\r\n\tb"},
		{"a\x00b", "ab"},
		{"\x1b[31m", "[31m"},
		{"a\x0b\x0c\x1fb", "ab"},
		{"a\uFFFEb\uFFFFc", "abc"},
		{"a\xffb", "ab"},
		{"\xed\xa0\x80x", "x"},
		{"\uFFFD kept", "\uFFFD kept"},
		{"\U0001F600 \U0010FFFD", "\U0001F600 \U0010FFFD"},
		{"\u0085 \u202E allowed", "\u0085 \u202E allowed"},
	}
	for _, tc := range cases {
		got := XMLText(tc.in)
		if got != tc.want {
			t.Errorf("XMLText(%q) = %q, want %q", tc.in, got, tc.want)
		}
		checkXML(t, tc.in, got)
	}
	if allocs := testing.AllocsPerRun(10, func() { _ = XMLText("héllo 你好") }); allocs != 0 {
		t.Errorf("XMLText allocated %v times on clean input", allocs)
	}
}

func checkXML(t *testing.T, in, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("XMLText(%q) = %q: invalid UTF-8", in, out)
	}
	for _, r := range out {
		ok := r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xd7ff ||
			r >= 0xe000 && r <= 0xfffd || r >= 0x10000 && r <= 0x10ffff
		if !ok {
			t.Fatalf("XMLText(%q) = %q: contains %U", in, out, r)
		}
	}
}

func FuzzText(f *testing.F) {
	for _, tc := range hostile {
		f.Add(tc.in)
	}
	for _, tc := range benign {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s)
		checkSafe(t, s, out)
		if again := Text(out); again != out {
			t.Fatalf("Text not idempotent: %q -> %q -> %q", s, out, again)
		}
		line := Line(s)
		checkSafe(t, s, line)
		if strings.ContainsAny(line, "\n\t") {
			t.Fatalf("Line(%q) = %q keeps a newline or tab", s, line)
		}
		if again := Line(line); again != line {
			t.Fatalf("Line not idempotent: %q -> %q -> %q", s, line, again)
		}
		checkSafe(t, s, Visible(s))
	})
}

func FuzzXMLText(f *testing.F) {
	for _, tc := range hostile {
		f.Add(tc.in)
	}
	for _, tc := range benign {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := XMLText(s)
		checkXML(t, s, out)
		if again := XMLText(out); again != out {
			t.Fatalf("XMLText not idempotent: %q -> %q -> %q", s, out, again)
		}
	})
}

var (
	cleanInput = strings.Repeat("Hello 你好 👨\u200D👩\u200D👧 مرحبا [red] ", 20)
	dirtyInput = strings.Repeat("\x1b[31mHello\x1b[0m \x1b]8;;http://x\x1b\\你好\x1b]8;;\x1b\\ \u202E\x07\r\n", 20)
	sink       string
)

func BenchmarkTextClean(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(cleanInput)))
	for b.Loop() {
		sink = Text(cleanInput)
	}
}

func BenchmarkTextDirty(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(dirtyInput)))
	for b.Loop() {
		sink = Text(dirtyInput)
	}
}

func BenchmarkXMLTextClean(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(cleanInput)))
	for b.Loop() {
		sink = XMLText(cleanInput)
	}
}

func BenchmarkXMLTextDirty(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(dirtyInput)))
	for b.Loop() {
		sink = XMLText(dirtyInput)
	}
}
