package account

import (
	"fmt"
	"os"
	"path/filepath"
)

// appDir is the folder name used under the XDG config and data homes.
const appDir = "chat"

// DefaultConfigPath returns $XDG_CONFIG_HOME/chat/config.toml, falling back
// to ~/.config/chat/config.toml when XDG_CONFIG_HOME is unset or relative
// (the XDG spec says relative values must be ignored).
func DefaultConfigPath() (string, error) {
	dir, err := xdgDir(os.Getenv, "XDG_CONFIG_HOME", ".config")
	if err != nil {
		return "", fmt.Errorf("config path: %w", err)
	}
	return filepath.Join(dir, appDir, "config.toml"), nil
}

// DefaultDataDir returns $XDG_DATA_HOME/chat, falling back to
// ~/.local/share/chat. It does not create the folder.
func DefaultDataDir() (string, error) {
	dir, err := xdgDir(os.Getenv, "XDG_DATA_HOME", filepath.Join(".local", "share"))
	if err != nil {
		return "", fmt.Errorf("data dir: %w", err)
	}
	return filepath.Join(dir, appDir), nil
}

// xdgDir returns the absolute value of env var name, or home/fallback.
func xdgDir(getenv func(string) string, name, fallback string) (string, error) {
	if v := getenv(name); v != "" && filepath.IsAbs(v) {
		return v, nil
	}
	home := getenv("HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("%s unset and no home directory: %w", name, err)
		}
		home = h
	}
	return filepath.Join(home, fallback), nil
}

// PrivateDir creates dir (and missing parents) with mode 0700, and makes
// it 0700 if it exists with a wider mode: the config and data folders hold
// messages, keys and settings that are nobody else's to read, whatever the
// umask and whatever an earlier version left.
func PrivateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("make %s private: %w", dir, err)
	}
	return nil
}
