package account

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestFindComparesBareJIDs(t *testing.T) {
	c := &Config{}
	c.Upsert(Account{JID: "Alice@Example.ORG", Resource: "pc"})
	c.Upsert(Account{JID: "bob@example.net"})
	for _, q := range []string{"alice@example.org", "ALICE@EXAMPLE.ORG", "alice@example.org/phone"} {
		a, ok := c.Find(q)
		if !ok || a.Resource != "pc" {
			t.Errorf("Find(%q) = %v, %v; want Alice's account", q, a, ok)
		}
	}
	for _, q := range []string{"carol@example.org", "example.org", "", "a@b@c"} {
		if a, ok := c.Find(q); ok {
			t.Errorf("Find(%q) = %v, want not found", q, a)
		}
	}
	a, _ := c.Find("bob@example.net")
	a.Priority = 7
	if b, _ := c.Find("bob@example.net"); b.Priority != 7 {
		t.Error("change through Find's pointer was lost")
	}
}

func TestUpsertReplacesOrAppends(t *testing.T) {
	c := &Config{}
	c.Upsert(Account{JID: "alice@example.org", Priority: 1})
	c.Upsert(Account{JID: "bob@example.org"})
	c.Upsert(Account{JID: "ALICE@example.org", Priority: 2})
	if len(c.Accounts) != 2 {
		t.Fatalf("got %d accounts, want 2: %+v", len(c.Accounts), c.Accounts)
	}
	if c.Accounts[0].Priority != 2 || c.Accounts[0].JID != "ALICE@example.org" {
		t.Errorf("first account = %+v, want the replacement in place", c.Accounts[0])
	}
	if c.Accounts[1].JID != "bob@example.org" {
		t.Errorf("second account = %+v, want bob", c.Accounts[1])
	}
}

func TestPinAddsOnlyNew(t *testing.T) {
	fp := strings.Repeat("0A", 32)
	var a Account
	a.Pin(fp)
	a.Pin(strings.ToLower(fp))
	a.Pin(strings.Repeat("0a:", 31) + "0a")
	if len(a.Pins) != 1 {
		t.Fatalf("pins = %v, want one", a.Pins)
	}
	if a.Pins[0] != strings.Repeat("0a", 32) {
		t.Errorf("stored pin %q, want normalised lower-case hex", a.Pins[0])
	}
	if !a.Pinned("0A:0A" + strings.Repeat(":0A", 30)) {
		t.Error("Pinned with colons and upper case: want true")
	}
	a.Pin(strings.Repeat("ff", 32))
	if len(a.Pins) != 2 || a.Pinned(strings.Repeat("ee", 32)) {
		t.Errorf("pins = %v after a second distinct pin", a.Pins)
	}
}

func TestNormalizeFingerprint(t *testing.T) {
	cases := map[string]string{
		"AB:CD:EF":     "abcdef",
		"ab:cd:ef":     "abcdef",
		"ABCDEF":       "abcdef",
		" ab cd-EF\t":  "abcdef",
		"":             "",
		"Zz:01":        "zz01", // not hex: kept so Validate can reject it
		"0A:1b:2C:3d:": "0a1b2c3d",
	}
	for in, want := range cases {
		if got := NormalizeFingerprint(in); got != want {
			t.Errorf("NormalizeFingerprint(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalizeJID(t *testing.T) {
	got, err := NormalizeJID("Alice@EXAMPLE.org/Res")
	if err != nil || got != "alice@example.org" {
		t.Errorf("NormalizeJID = %q, %v; want alice@example.org", got, err)
	}
	if _, err := NormalizeJID("a@b@c"); err == nil {
		t.Error("NormalizeJID(a@b@c): want error")
	}
}

func TestXDGDirs(t *testing.T) {
	env := func(m map[string]string) func(string) string {
		return func(k string) string { return m[k] }
	}
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_CONFIG_HOME": "/xdg", "HOME": "/home/u"}, "/xdg"},
		{map[string]string{"XDG_CONFIG_HOME": "rel/dir", "HOME": "/home/u"}, "/home/u/.config"},
		{map[string]string{"HOME": "/home/u"}, "/home/u/.config"},
	}
	for _, tc := range cases {
		got, err := xdgDir(env(tc.env), "XDG_CONFIG_HOME", ".config")
		if err != nil || got != tc.want {
			t.Errorf("xdgDir(%v) = %q, %v; want %q", tc.env, got, err, tc.want)
		}
	}

	t.Setenv("XDG_CONFIG_HOME", "/cfg")
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/u")
	if p, err := DefaultConfigPath(); err != nil || p != filepath.FromSlash("/cfg/chat/config.toml") {
		t.Errorf("DefaultConfigPath = %q, %v", p, err)
	}
	if p, err := DefaultDataDir(); err != nil || p != filepath.FromSlash("/home/u/.local/share/chat") {
		t.Errorf("DefaultDataDir = %q, %v", p, err)
	}
}
