package account

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadMissingFileIsEmpty(t *testing.T) {
	c, err := Load(filepath.Join(t.TempDir(), "nope", "config.toml"))
	if err != nil {
		t.Fatalf("Load missing: %v", err)
	}
	if len(c.Accounts) != 0 {
		t.Errorf("accounts = %v, want none", c.Accounts)
	}
	if c.Options != DefaultOptions() {
		t.Errorf("options = %+v, want defaults %+v", c.Options, DefaultOptions())
	}
}

func TestLoadDefaults(t *testing.T) {
	path := writeFile(t, `
[[account]]
jid = "alice@example.org"

[[account]]
jid = "bob@example.net"
autoconnect = false

[options]
ping_interval = "2m"
`)
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Accounts) != 2 {
		t.Fatalf("got %d accounts, want 2", len(c.Accounts))
	}
	if !c.Accounts[0].AutoConnectEnabled() {
		t.Error("autoconnect absent: want enabled")
	}
	if c.Accounts[1].AutoConnectEnabled() {
		t.Error("autoconnect = false: want disabled")
	}
	if c.Options.PingInterval.Duration != 2*time.Minute {
		t.Errorf("ping_interval = %s, want 2m", c.Options.PingInterval)
	}
	if c.Options.PingTimeout.Duration != DefaultPingTimeout {
		t.Errorf("ping_timeout = %s, want default %s", c.Options.PingTimeout, DefaultPingTimeout)
	}
	if c.Options.Notify || c.Options.Theme != "" {
		t.Errorf("notify/theme = %v/%q, want false/empty", c.Options.Notify, c.Options.Theme)
	}
}

func fullConfig() *Config {
	c := &Config{Options: DefaultOptions()}
	c.Options.PingInterval = Duration{90 * time.Second}
	c.Options.Theme = "dark"
	c.Options.Notify = true
	a := Account{
		JID:             "alice@example.org",
		Server:          "[::1]:5223",
		DirectTLS:       true,
		TLSCA:           "/etc/ssl/my-ca.pem",
		PasswordCommand: "pass show xmpp/alice | head -n1",
		Resource:        "laptop",
		Priority:        -5,
	}
	a.SetAutoConnect(false)
	a.Pin(strings.Repeat("AB:", 31) + "AB")
	c.Upsert(a)
	c.Upsert(Account{JID: "bob@example.net", Server: "xmpp.example.net:5222"})
	return c
}

func TestSaveLoadRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "chat")
	path := filepath.Join(dir, "config.toml")
	want := fullConfig()
	if err := want.Save(path); err != nil {
		t.Fatalf("Save: %v", err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatalf("Load saved file: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode = %v, want 0600", fi.Mode().Perm())
	}
	di, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if di.Mode().Perm() != 0o700 {
		t.Errorf("dir mode = %v, want 0700", di.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("dir holds %d entries, want only config.toml (temp file left?)", len(entries))
	}
	text, _ := os.ReadFile(path)
	if strings.Contains(string(text), "password =") {
		t.Errorf("saved file has a password key:\n%s", text)
	}
	if !strings.Contains(string(text), `ping_interval = "1m30s"`) {
		t.Errorf("duration not written as a string:\n%s", text)
	}
}

func TestSaveReplacesAndRefusesInvalid(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	c := fullConfig()
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	c.Accounts = c.Accounts[:1]
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Accounts) != 1 {
		t.Errorf("after second save: %d accounts, want 1", len(got.Accounts))
	}
	c.Upsert(Account{JID: "not a jid@@"})
	err = c.Save(path)
	if err == nil || !strings.Contains(err.Error(), "not a jid@@") {
		t.Fatalf("Save invalid: err = %v, want one naming the account", err)
	}
	if again, _ := Load(path); len(again.Accounts) != 1 {
		t.Error("a refused Save changed the file")
	}
}

func TestLoadErrorsNameFileAndLine(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"syntax", "[[account]]\njid = \"a@b\"\nserver = \n", "line 3"},
		{"unclosed string", "[options]\n\ntheme = \"dark\n", "line 3"},
		{"bad duration", "[options]\nping_interval = \"soon\"\n", "line 2"},
		{"wrong type", "[[account]]\njid = \"a@b\"\npriority = \"high\"\n", "line 3"},
		{"unknown key", "[[account]]\njid = \"a@b\"\n  pasword_command = \"x\"\n", "line 3"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, tc.text)
			_, err := Load(path)
			if err == nil {
				t.Fatal("Load: no error")
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %q, want it to name %s and %q", err, path, tc.want)
			}
		})
	}
}

func TestValidationNamesAccount(t *testing.T) {
	cases := []struct {
		name string
		acct []Account
		want []string
	}{
		{"empty jid", []Account{{JID: ""}}, []string{"account #1", "empty"}},
		{"bad jid", []Account{{JID: "a@b@c"}}, []string{`"a@b@c"`, "does not parse"}},
		{"no localpart", []Account{{JID: "example.org"}}, []string{`"example.org"`, "user part"}},
		{"full jid", []Account{{JID: "a@example.org/pc"}}, []string{`"a@example.org/pc"`, "bare"}},
		{"duplicate", []Account{{JID: "a@example.org"}, {JID: "a@EXAMPLE.org"}}, []string{`"a@EXAMPLE.org"`, "duplicate"}},
		{"no port", []Account{{JID: "a@example.org", Server: "example.org"}}, []string{`"a@example.org"`, "host:port"}},
		{"bad port", []Account{{JID: "a@example.org", Server: "example.org:99999"}}, []string{`"a@example.org"`, "99999"}},
		{"no host", []Account{{JID: "a@example.org", Server: ":5222"}}, []string{`"a@example.org"`, "host is empty"}},
		{"bad pin", []Account{{JID: "a@example.org", Pins: []string{"abcd"}}}, []string{`"a@example.org"`, "SHA-256"}},
		{"priority", []Account{{JID: "a@example.org", Priority: 200}}, []string{`"a@example.org"`, "priority"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := &Config{Accounts: tc.acct, Options: DefaultOptions()}
			err := c.Validate()
			if err == nil {
				t.Fatal("Validate: no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %q, want it to contain %q", err, w)
				}
			}
		})
	}
	ok := &Config{Accounts: []Account{{JID: "a@example.org", Server: "[::1]:5222"}}, Options: DefaultOptions()}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid config: %v", err)
	}
	bad := &Config{Options: Options{PingInterval: Duration{0}, PingTimeout: Duration{time.Second}}}
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "ping_interval") {
		t.Errorf("zero ping_interval: err = %v", err)
	}
}

func TestLoadValidationErrorNamesFile(t *testing.T) {
	path := writeFile(t, "[[account]]\njid = \"x@example.org/res\"\n")
	_, err := Load(path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "x@example.org/res") {
		t.Errorf("err = %v, want file and account named", err)
	}
}
