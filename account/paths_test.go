package account

import (
	"os"
	"path/filepath"
	"testing"
)

func dirMode(t *testing.T, dir string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func TestPrivateDirCreatesAndTightens(t *testing.T) {
	base := t.TempDir()
	fresh := filepath.Join(base, "a", "b")
	if err := PrivateDir(fresh); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{filepath.Join(base, "a"), fresh} {
		if m := dirMode(t, d); m != 0o700 {
			t.Errorf("created %s with mode %v, want 0700", d, m)
		}
	}
	open := filepath.Join(base, "open")
	if err := os.Mkdir(open, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := PrivateDir(open); err != nil {
		t.Fatal(err)
	}
	if m := dirMode(t, open); m != 0o700 {
		t.Errorf("existing 0755 folder left %v, want 0700", m)
	}
}

// Saving the config into an existing world-readable folder makes it private.
func TestSaveTightensExistingConfigDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "chat")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := fullConfig().Save(filepath.Join(dir, "config.toml")); err != nil {
		t.Fatal(err)
	}
	if m := dirMode(t, dir); m != 0o700 {
		t.Errorf("config folder mode %v after Save, want 0700", m)
	}
}
