package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// privateFiles makes sure the database at path and its -wal and -shm
// files are readable by their owner only, whatever the umask and whatever
// modes older versions left: they hold password verifiers and messages.
// The database is created empty (SQLite takes an empty file for a new
// database) with mode 0600 so that SQLite, which gives the -wal and -shm
// files the database's mode, never makes them readable by others either.
// Its directory is made 0700 if it does not exist; an existing one is left
// as it is, since it may be any directory the caller chose.
func privateFiles(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("make %s private: %w", p, err)
		}
	}
	return nil
}
