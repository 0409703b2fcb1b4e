package ui

import (
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
)

func TestParseKey(t *testing.T) {
	cases := map[string]key{
		"Ctrl+N":     {tcell.KeyCtrlN, 0, 0},
		"ctrl+n":     {tcell.KeyCtrlN, 0, 0},
		"Alt+1":      {tcell.KeyRune, '1', tcell.ModAlt},
		"Alt+A":      {tcell.KeyRune, 'a', tcell.ModAlt},
		"Alt+Enter":  {tcell.KeyEnter, 0, tcell.ModAlt},
		"PgUp":       {tcell.KeyPgUp, 0, 0},
		"F2":         {tcell.KeyF2, 0, 0},
		"Tab":        {tcell.KeyTab, 0, 0},
		"Shift+Tab":  {tcell.KeyBacktab, 0, 0},
		"Ctrl+Alt+X": {tcell.KeyCtrlX, 0, tcell.ModAlt},
	}
	for s, want := range cases {
		got, err := parseKey(s)
		if err != nil || got != want {
			t.Errorf("parseKey(%q) = %+v, %v; want %+v", s, got, err, want)
		}
	}
	for _, bad := range []string{"Hyper+X", "Ctrl+", "Foo", ""} {
		if _, err := parseKey(bad); err == nil {
			t.Errorf("parseKey(%q) accepted", bad)
		}
	}
	// What terminals send matches what the config says.
	events := map[*tcell.EventKey]string{
		tcell.NewEventKey(tcell.KeyCtrlN, 'n', tcell.ModCtrl):             "Ctrl+N",
		tcell.NewEventKey(tcell.KeyRune, '1', tcell.ModAlt):               "Alt+1",
		tcell.NewEventKey(tcell.KeyRune, 'A', tcell.ModAlt):               "Alt+A",
		tcell.NewEventKey(tcell.KeyEnter, 0, tcell.ModAlt):                "Alt+Enter",
		tcell.NewEventKey(tcell.KeyRune, 'm', tcell.ModAlt|tcell.ModCtrl): "Alt+Enter", // ESC CR from legacy terminals
		tcell.NewEventKey(tcell.KeyTab, 0, tcell.ModNone):                 "Tab",
		tcell.NewEventKey(tcell.KeyRune, 'x', tcell.ModCtrl|tcell.ModAlt): "Ctrl+Alt+X",
	}
	for ev, s := range events {
		want, _ := parseKey(s)
		if got := keyOf(ev); got != want {
			t.Errorf("event %v = %+v, want %s = %+v", ev.Name(), got, s, want)
		}
	}
}

func TestKeymapRebinding(t *testing.T) {
	km, err := newKeymap(map[string]string{"editor": "Ctrl+N, F5", "toggle_roster": ""})
	if err != nil {
		t.Fatal(err)
	}
	ev := func(k tcell.Key, r rune, m tcell.ModMask) *tcell.EventKey { return tcell.NewEventKey(k, r, m) }
	if a := km.action(ev(tcell.KeyCtrlN, 'n', tcell.ModCtrl)); a != actEditor {
		t.Errorf("Ctrl+N = %q, want editor (rebound)", a)
	}
	if a := km.action(ev(tcell.KeyF5, 0, 0)); a != actEditor {
		t.Errorf("F5 = %q", a)
	}
	if a := km.action(ev(tcell.KeyRune, 'c', tcell.ModAlt)); a != actNone {
		t.Errorf("Alt+C still bound to %q", a)
	}
	if a := km.action(ev(tcell.KeyRune, 'r', tcell.ModAlt)); a != actNone {
		t.Errorf("Alt+R still bound to %q", a)
	}
	help := km.help()
	for _, want := range []string{"next_buffer      (unbound)", "editor           Ctrl+N, F5", "toggle_roster    (unbound)", "buffer_10        Alt+0", "Ctrl+U kill to start"} {
		if !strings.Contains(help, want) {
			t.Errorf("/help keys lacks %q:\n%s", want, help)
		}
	}
	if _, err := newKeymap(map[string]string{"teleport": "F1"}); err == nil || !strings.Contains(err.Error(), `unknown action "teleport"`) {
		t.Errorf("unknown action: %v", err)
	}
	if _, err := newKeymap(map[string]string{"quit": "Ctrl+Hyper"}); err == nil {
		t.Error("bad key accepted")
	}
}

func TestConfiguredKeysDriveTheUI(t *testing.T) {
	r := newRig(t, 80, 24, func(o *Options) { o.Config.Keys = map[string]string{"next_buffer": "F5"} })
	r.typ("/win bob@example.org")
	r.enter()
	r.waitTitle("2 bob")
	r.press(tcell.KeyF5, 0, 0)
	r.waitTitle("1 console")
	r.press(tcell.KeyCtrlN, 'n', tcell.ModCtrl) // no longer bound: the input gets it
	r.press(tcell.KeyF5, 0, 0)
	r.waitTitle("2 bob")
}

func TestLoadConfigErrors(t *testing.T) {
	dir := t.TempDir()
	if c, err := LoadConfig(dir + "/missing.toml"); err != nil || c.Bell != "" {
		t.Errorf("missing file: %+v, %v", c, err)
	}
	cases := map[string]string{
		"bell = \"loud\"\n":                 `bell = "loud"`,
		"desktop = \"command\"\n":           "needs notify_command",
		"\n[keys]\nquit = \"Hyper+X\"\n":    `unknown modifier "Hyper"`,
		"bell = \"all\"\nbelll = \"off\"\n": `unknown key "belll"`,
		"bell = \"all\"\ndesktop = off\n":   "line 2",
	}
	for text, want := range cases {
		path := dir + "/ui.toml"
		if err := writeFile(path, text); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadConfig(path); err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%q: error %v, want one naming the file and %q", text, err, want)
		}
	}
}
