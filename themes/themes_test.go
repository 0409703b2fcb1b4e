package themes

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBuiltinsParseAndDiffer(t *testing.T) {
	seen := map[Style]string{}
	for _, name := range BuiltinNames() {
		th, err := Builtin(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if th.Name != name {
			t.Errorf("name = %q, want %q", th.Name, name)
		}
		if th.Presence.Available.Symbol == "" || th.Presence.Offline.Symbol == "" || th.Presence.DND.Symbol == "" {
			t.Errorf("%s: presence symbols missing: %+v", name, th.Presence)
		}
		if th.Presence.Available.Symbol == th.Presence.Away.Symbol && th.Presence.Available.Fg == th.Presence.Away.Fg {
			t.Errorf("%s: available and away look the same", name)
		}
		if other, dup := seen[th.Status]; dup {
			t.Errorf("%s and %s have the same status bar style", name, other)
		}
		seen[th.Status] = name
	}
	mono, _ := Builtin("monochrome")
	for _, s := range []Style{mono.Text, mono.Error, mono.Highlight, mono.Status, mono.Nick.Style("bob@example.org")} {
		if (s.Fg != "" && s.Fg != "default") || (s.Bg != "" && s.Bg != "default") {
			t.Errorf("monochrome has a colour: %+v", s)
		}
	}
}

func TestDefaultHonoursNoColor(t *testing.T) {
	env := map[string]string{}
	get := func(k string) string { return env[k] }
	if d := Default(get); d != "dark" {
		t.Errorf("default = %q, want dark", d)
	}
	env["NO_COLOR"] = "1"
	if d := Default(get); d != "monochrome" {
		t.Errorf("with NO_COLOR default = %q, want monochrome", d)
	}
}

func TestUserThemeOverridesBaseAndShadowsBuiltin(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "mine", "base = \"dark\"\n# only the errors change\nerror = { fg = \"#123456\", attrs = \"underline\" }\n")
	write(t, dir, "light", "base = \"monochrome\"\n")
	th, err := Load(dir, "mine")
	if err != nil {
		t.Fatal(err)
	}
	dark, _ := Builtin("dark")
	if th.Error != (Style{Fg: "#123456", Attrs: "underline"}) {
		t.Errorf("error style = %+v", th.Error)
	}
	if th.Status != dark.Status || th.Nick.Luma != dark.Nick.Luma {
		t.Errorf("styles not inherited from base: %+v", th.Status)
	}
	if l, _ := Load(dir, "light"); l.Title != (Style{Attrs: "reverse"}) {
		t.Errorf("user light should shadow the built-in: title %+v", l.Title)
	}
	if got := strings.Join(Names(dir), " "); got != "dark light high-contrast monochrome mine" {
		t.Errorf("names = %q", got)
	}
}

func TestBadThemesNameTheLine(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"syntax", "text = { fg = \"red\" }\nborder = { fg = red }\n", "line 2"},
		{"colour", "text = { fg = \"red\" }\n\ntime = { fg = \"reddish\" }\n", `line 3: unknown colour "reddish"`},
		{"attr", "time = { attrs = \"bold, wobbly\" }\n", `line 1: unknown attribute "wobbly"`},
		{"typo", "text = { fg = \"red\" }\nerror = { fgg = \"red\" }\n", `line 2: unknown key "error.fgg"`},
		{"unknown style", "\n\nsparkles = { fg = \"red\" }\n", `line 3: unknown key "sparkles"`},
		{"symbol", "[presence]\naway = { symbol = \"漢\" }\n", "line 2: symbol"},
		{"luma", "[nick]\nluma = 300\n", "line 2: nick luma 300"},
		{"base", "base = \"nope\"\n", "line 1: base: no such theme"},
	}
	dir := t.TempDir()
	for _, c := range cases {
		write(t, dir, "bad", c.text)
		_, err := Load(dir, "bad")
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), filepath.Join(dir, "bad.toml")) {
			t.Errorf("%s: error %v, want one naming the file and %q", c.name, err, c.want)
		}
	}
}

func TestLoadUnknownAndUnsafeNames(t *testing.T) {
	if _, err := Load(t.TempDir(), "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("err = %v, want ErrNotFound", err)
	}
	for _, n := range []string{"", "../etc/passwd", ".hidden", `a\b`} {
		if _, err := Load(t.TempDir(), n); err == nil {
			t.Errorf("name %q accepted", n)
		}
	}
}

func TestNickColoursAreStableAndDistinct(t *testing.T) {
	dark, _ := Builtin("dark")
	a1, a2 := dark.Nick.Style("alice@example.org"), dark.Nick.Style("alice@example.org")
	b := dark.Nick.Style("bob@example.org")
	if a1 != a2 || a1.Fg == b.Fg || !strings.HasPrefix(string(a1.Fg), "#") || a1.Attrs != "bold" {
		t.Errorf("alice %+v / %+v, bob %+v", a1, a2, b)
	}
	hc, _ := Builtin("high-contrast")
	used := map[Color]bool{}
	for _, j := range []string{"a@x", "b@x", "c@x", "d@x", "e@x", "f@x", "g@x", "h@x", "i@x", "j@x"} {
		c := hc.Nick.Style(j).Fg
		found := false
		for _, p := range hc.Nick.Palette {
			found = found || p == c
		}
		if !found {
			t.Errorf("%s: colour %q not in the palette", j, c)
		}
		used[c] = true
	}
	if len(used) < 3 {
		t.Errorf("10 JIDs used only %d palette colours", len(used))
	}
}

func TestColorConversion(t *testing.T) {
	var c Color
	for _, s := range []string{"Red", "color208", "#00ff7f", "default", ""} {
		if err := c.UnmarshalText([]byte(s)); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	if Color("color208").TCell() == Color("").TCell() || Color("red").TCell() == Color("default").TCell() {
		t.Error("colours convert to the default colour")
	}
	if err := c.UnmarshalText([]byte("color256")); err == nil {
		t.Error("color256 accepted")
	}
}

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name+".toml"), []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}
