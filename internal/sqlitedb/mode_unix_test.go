//go:build unix

package sqlitedb

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// withUmask runs the test with a permissive umask, as a user's shell may
// have, restoring it afterwards. (The umask is per process: these tests
// must not run in parallel with others that create files.)
func withUmask(t *testing.T, mask int) {
	old := syscall.Umask(mask)
	t.Cleanup(func() { syscall.Umask(old) })
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// checkPrivate checks the folder is 0700 and the database files 0600
// while the database is open (so -wal and -shm exist).
func checkPrivate(t *testing.T, path string) {
	t.Helper()
	if m := mode(t, filepath.Dir(path)); m != 0o700 {
		t.Errorf("folder mode %v, want 0700", m)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if m := mode(t, p); m != 0o600 {
			t.Errorf("%s mode %v, want 0600", filepath.Base(p), m)
		}
	}
}

// A database opened in an existing world-readable folder, with a umask
// that lets everyone read new files, is still private.
func TestNewDatabasePrivateWhateverTheUmask(t *testing.T) {
	withUmask(t, 0)
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "history.db")
	db := mustOpen(t, path)
	if _, err := db.Exec(`INSERT INTO parent (id) VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	checkPrivate(t, path)
}

// Files left world-readable by an earlier version are made private.
func TestExistingDatabaseMadePrivate(t *testing.T) {
	withUmask(t, 0)
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "history.db")
	mustOpen(t, path).Close()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY, 0o644) // empty -wal and -shm are valid
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		if err := os.Chmod(p, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := mustOpen(t, path)
	if _, err := db.Exec(`INSERT INTO parent (id) VALUES (2)`); err != nil {
		t.Fatal(err)
	}
	checkPrivate(t, path)
}
