package filetransfer

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Errors a Sink reports; wrapped with context.
var (
	ErrTooLarge   = errors.New("file larger than the size limit")
	ErrOverrun    = errors.New("peer sent more than it announced")
	ErrShort      = errors.New("transfer ended before the announced size")
	ErrHash       = errors.New("SHA-256 does not match the announced hash")
	errNoFreeName = errors.New("no free file name")
)

// Sink receives one file into dir: it writes a .part file, hashes with
// SHA-256 as bytes arrive, refuses bytes past the announced size, and on
// Commit renames the file to a name not yet taken. Abort (or a failed
// Commit) removes the .part file, so nothing is left under a final name.
type Sink struct {
	dir, name string
	size      int64 // announced, -1 when unknown
	limit     int64
	f         *os.File
	h         hash.Hash
	n         int64
	err       error
}

// Create refuses a file whose announced size exceeds limit (before any byte
// moves), sanitises name with SafeName and opens a fresh .part file in dir.
// size -1 means unknown; limit then bounds what Write accepts.
func Create(dir, name string, size, limit int64) (*Sink, error) {
	if size > limit {
		return nil, fmt.Errorf("filetransfer: %w: %d bytes, limit %d", ErrTooLarge, size, limit)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("filetransfer: download dir: %w", err)
	}
	s := &Sink{dir: dir, name: SafeName(name), size: size, limit: limit, h: sha256.New()}
	f, err := createFresh(dir, s.name, ".part", func(p string) (*os.File, error) {
		return os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	})
	if err != nil {
		return nil, fmt.Errorf("filetransfer: create part file: %w", err)
	}
	s.f = f
	return s, nil
}

// createFresh tries name, then "name (1)", "name (2)" … (suffix after the
// number) until open succeeds with something other than "exists".
func createFresh[T any](dir, name, suffix string, open func(string) (T, error)) (T, error) {
	var zero T
	for i := 0; i < 1000; i++ {
		v, err := open(filepath.Join(dir, numbered(name, i)+suffix))
		if err == nil || !errors.Is(err, os.ErrExist) {
			return v, err
		}
	}
	return zero, errNoFreeName
}

// numbered is name for 0 and "base (i).ext" otherwise.
func numbered(name string, i int) string {
	if i == 0 {
		return name
	}
	base, ext := name, ""
	if j := strings.LastIndexByte(name, '.'); j > 0 {
		base, ext = name[:j], name[j:]
	}
	return base + " (" + strconv.Itoa(i) + ")" + ext
}

// Name is the sanitised name the file will be saved under (before any
// numbered suffix).
func (s *Sink) Name() string { return s.name }

// Written is how many bytes have been accepted.
func (s *Sink) Written() int64 { return s.n }

// Write accepts bytes up to the announced size (or the limit when the size
// is unknown); past it, it writes nothing more and fails with ErrOverrun or
// ErrTooLarge, and every later Write fails too.
func (s *Sink) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	max, over := s.size, ErrOverrun
	if max < 0 {
		max, over = s.limit, ErrTooLarge
	}
	if int64(len(p)) > max-s.n {
		s.err = fmt.Errorf("filetransfer: %w (%d bytes announced)", over, max)
		return 0, s.err
	}
	n, err := s.f.Write(p)
	s.h.Write(p[:n])
	s.n += int64(n)
	if err != nil {
		s.err = fmt.Errorf("filetransfer: write %s: %w", s.name, err)
		return n, s.err
	}
	return n, nil
}

// Sum is the SHA-256 of what has been written.
func (s *Sink) Sum() []byte { return s.h.Sum(nil) }

// Commit checks the size and, when want is not nil, the SHA-256, then gives
// the file its final name (never replacing an existing file) and returns
// its path. On any failure the .part file is removed.
func (s *Sink) Commit(want []byte) (string, error) {
	if err := s.check(want); err != nil {
		s.Abort()
		return "", err
	}
	if err := s.f.Sync(); err != nil {
		s.Abort()
		return "", fmt.Errorf("filetransfer: sync: %w", err)
	}
	part := s.f.Name()
	if err := s.f.Close(); err != nil {
		os.Remove(part)
		return "", fmt.Errorf("filetransfer: close: %w", err)
	}
	final, err := createFresh(s.dir, s.name, "", func(p string) (string, error) {
		return p, publish(part, p)
	})
	os.Remove(part)
	if err != nil {
		return "", fmt.Errorf("filetransfer: final name: %w", err)
	}
	return final, nil
}

// publish gives part the name final without ever replacing a file: a hard
// link fails when final exists; where the file system has no hard links,
// a check then rename (racy only against a local process) stands in.
func publish(part, final string) error {
	err := os.Link(part, final)
	if err == nil || errors.Is(err, os.ErrExist) {
		return err
	}
	if _, serr := os.Lstat(final); serr == nil {
		return os.ErrExist
	}
	if rerr := os.Rename(part, final); rerr != nil {
		return fmt.Errorf("%w (link: %v)", rerr, err)
	}
	return nil
}

func (s *Sink) check(want []byte) error {
	if s.err != nil {
		return s.err
	}
	if s.size >= 0 && s.n != s.size {
		return fmt.Errorf("filetransfer: %w: %d of %d bytes", ErrShort, s.n, s.size)
	}
	if want != nil && !bytes.Equal(want, s.Sum()) {
		return fmt.Errorf("filetransfer: %w", ErrHash)
	}
	return nil
}

// Abort closes and removes the .part file.
func (s *Sink) Abort() {
	s.f.Close()
	os.Remove(s.f.Name())
}

// BufSize is the copy buffer of Copy: memory per transfer stays at this.
const BufSize = 64 << 10

// Copy moves src to dst through one BufSize buffer, calling progress (when
// not nil) with the running total after each chunk.
func Copy(dst io.Writer, src io.Reader, progress func(int64)) (int64, error) {
	buf := make([]byte, BufSize)
	var total int64
	for {
		n, rerr := src.Read(buf)
		if n > 0 {
			w, err := dst.Write(buf[:n])
			total += int64(w)
			if err != nil {
				return total, err
			}
			if progress != nil {
				progress(total)
			}
		}
		if rerr == io.EOF {
			return total, nil
		}
		if rerr != nil {
			return total, rerr
		}
	}
}

// HashFile returns the size and SHA-256 of the file at path, read in
// BufSize chunks, for announcing before sending.
func HashFile(path string) (int64, []byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, nil, fmt.Errorf("filetransfer: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := Copy(h, f, nil)
	if err != nil {
		return 0, nil, fmt.Errorf("filetransfer: read %s: %w", path, err)
	}
	return n, h.Sum(nil), nil
}
