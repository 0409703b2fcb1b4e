package store

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestFilesPrivate: server.db and its -wal and -shm files are 0600 even
// with a umask of 0, and files an older version left readable by others
// are made private when the store is opened again.
func TestFilesPrivate(t *testing.T) {
	old := syscall.Umask(0) // not parallel: the umask is the process's
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "server.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetUser(context.Background(), "alice@localhost", "secret"); err != nil {
		t.Fatal(err)
	}
	files := []string{path, path + "-wal", path + "-shm"}
	for _, f := range files {
		wantPrivate(t, f)
	}
	s.Close()

	// As an older version may leave them (a closed WAL database may have
	// no -wal or -shm file: leave empty ones, as a crash would).
	for _, f := range files {
		if _, err := os.Stat(f); os.IsNotExist(err) {
			if err := os.WriteFile(f, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chmod(f, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s = reopen(t, path)
	for _, f := range files {
		wantPrivate(t, f)
	}
	if _, _, _, err := s.SaltedCredentials(context.Background(), "alice@localhost", "SCRAM-SHA-256"); err != nil {
		t.Fatalf("alice lost on reopening: %v", err)
	}
}

func wantPrivate(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("%s: mode %#o, want 0600", filepath.Base(path), got)
	}
}
