// Package account holds what the client knows about the user's accounts:
// the TOML config file (accounts and client options), where it and the data
// folder live, and where each account's password comes from (OS keyring,
// password_command, $CHAT_PASSWORD or a prompt).
//
// It must not open network connections, speak XMPP, or write a password to
// disk: the config has no password field, and secrets only go to the OS
// keyring. It must not import the engine, storage or any UI.
package account

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
)

// Config is the whole config file.
type Config struct {
	Accounts []Account `toml:"account"`
	Options  Options   `toml:"options"`
}

// fileHeader is written at the top of every saved config.
const fileHeader = "# chat configuration. Passwords are never stored here: they live in the\n" +
	"# OS keyring (service \"" + KeyringService + "\"), or come from password_command,\n" +
	"# $CHAT_PASSWORD or a prompt.\n\n"

// Load reads the config at path. A missing file yields an empty config with
// default options and no error. A malformed file yields an error naming the
// file and line; an invalid account yields an error naming the account.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Config{Options: DefaultOptions()}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read config %s: %w", path, err)
	}
	return parse(path, string(data))
}

// parse decodes and validates config text; path is only used in errors.
func parse(path, text string) (*Config, error) {
	c := &Config{Options: DefaultOptions()}
	md, err := toml.Decode(text, c)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("config %s: line %d: %s", path, pe.Position.Line, pe.Message)
		}
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		key := und[0]
		if line := keyLine(text, key[len(key)-1]); line > 0 {
			return nil, fmt.Errorf("config %s: line %d: unknown key %q", path, line, key.String())
		}
		return nil, fmt.Errorf("config %s: unknown key %q", path, key.String())
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return c, nil
}

// keyLine returns the 1-based line where key is first assigned, or 0.
func keyLine(text, key string) int {
	for i, line := range strings.Split(text, "\n") {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), key)
		if ok && strings.HasPrefix(strings.TrimSpace(rest), "=") {
			return i + 1
		}
	}
	return 0
}

// Validate checks every account (bare JID, no duplicates, server is
// host:port, well-formed pins, priority in range) and the options. Errors
// name the account.
func (c *Config) Validate() error {
	seen := make(map[string]bool, len(c.Accounts))
	for i := range c.Accounts {
		a := &c.Accounts[i]
		if err := a.Validate(); err != nil {
			if a.JID == "" {
				return fmt.Errorf("account #%d: %w", i+1, err)
			}
			return fmt.Errorf("account %q: %w", a.JID, err)
		}
		bare, _ := NormalizeJID(a.JID)
		if seen[bare] {
			return fmt.Errorf("account %q: duplicate of an earlier account (%s)", a.JID, bare)
		}
		seen[bare] = true
	}
	return c.Options.validate()
}

// Find returns the account whose bare JID equals jid (a full JID is reduced
// to its bare form first), compared after JID normalisation so that case
// differences in the localpart and domainpart do not matter. The pointer
// refers into c.Accounts, so changes through it are kept by Save.
func (c *Config) Find(jid string) (*Account, bool) {
	want, err := NormalizeJID(jid)
	if err != nil {
		return nil, false
	}
	for i := range c.Accounts {
		if got, err := NormalizeJID(c.Accounts[i].JID); err == nil && got == want {
			return &c.Accounts[i], true
		}
	}
	return nil, false
}

// Upsert replaces the account with the same bare JID, or appends a if there
// is none. It does not validate; Save does.
func (c *Config) Upsert(a Account) {
	if old, ok := c.Find(a.JID); ok {
		*old = a
		return
	}
	c.Accounts = append(c.Accounts, a)
}

// Save validates c and writes it to path atomically (temp file in the same
// folder, then rename) with mode 0600, creating the parent folder with mode
// 0700 if needed.
func (c *Config) Save(path string) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("save config %s: %w", path, err)
	}
	var buf bytes.Buffer
	buf.WriteString(fileHeader)
	if err := toml.NewEncoder(&buf).Encode(c); err != nil {
		return fmt.Errorf("save config %s: encode: %w", path, err)
	}
	if err := writeAtomic(path, buf.Bytes()); err != nil {
		return fmt.Errorf("save config %s: %w", path, err)
	}
	return nil
}

// writeAtomic writes data to a temp file next to path and renames it over
// path, so a crash leaves either the old or the new file, never half of one.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := PrivateDir(dir); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	ok = true
	syncDir(dir)
	return nil
}

// syncDir flushes the rename to disk; failure only weakens durability.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
