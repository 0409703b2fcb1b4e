package filetransfer_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"chat/filetransfer"
	"chat/filetransfer/s5b"
	"chat/filetransfer/socks5"

	"mellium.im/xmpp/jid"
)

// pattern is a deterministic endless byte source.
type pattern struct{ i byte }

func (p *pattern) Read(b []byte) (int, error) {
	for k := range b {
		b[k] = p.i
		p.i = p.i*31 + 7
	}
	return len(b), nil
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestSinkNoOverwrite(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("old"), 0o600)
	s, err := filetransfer.Create(dir, "../a.txt", 3, 10)
	if err != nil {
		t.Fatal(err)
	}
	s.Write([]byte("new"))
	p, err := s.Commit(nil)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(p) != "a (1).txt" {
		t.Fatalf("saved as %s", p)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.txt")); string(b) != "old" {
		t.Fatalf("existing file changed to %q", b)
	}
	if got := listDir(t, dir); len(got) != 2 {
		t.Fatalf("dir holds %v", got)
	}
}

func TestSinkSizeLimitBeforeAnyByte(t *testing.T) {
	dir := t.TempDir()
	if _, err := filetransfer.Create(dir, "big", 11, 10); !errors.Is(err, filetransfer.ErrTooLarge) {
		t.Fatalf("err = %v", err)
	}
	if got := listDir(t, dir); len(got) != 0 {
		t.Fatalf("dir holds %v", got)
	}
	// Unknown size: the limit cuts the stream off.
	s, err := filetransfer.Create(dir, "big", -1, 10)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := filetransfer.Copy(s, io.LimitReader(&pattern{}, 11), nil); !errors.Is(err, filetransfer.ErrTooLarge) {
		t.Fatalf("copy err = %v", err)
	}
	if _, err := s.Commit(nil); err == nil {
		t.Fatal("committed past the limit")
	}
	if got := listDir(t, dir); len(got) != 0 {
		t.Fatalf("dir holds %v", got)
	}
}

func TestSinkOverrunShortAndHash(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name string
		send int64
		want error
		hash []byte
	}{
		{"more", 101, filetransfer.ErrOverrun, nil},
		{"less", 99, filetransfer.ErrShort, nil},
		{"hash", 100, filetransfer.ErrHash, make([]byte, 32)},
	}
	for _, c := range cases {
		s, err := filetransfer.Create(dir, c.name, 100, 1000)
		if err != nil {
			t.Fatal(err)
		}
		n, err := filetransfer.Copy(s, io.LimitReader(&pattern{}, c.send), nil)
		if n > 100 {
			t.Fatalf("%s: %d bytes accepted", c.name, n)
		}
		if err == nil {
			_, err = s.Commit(c.hash)
		} else {
			s.Abort()
		}
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
	if got := listDir(t, dir); len(got) != 0 {
		t.Fatalf("failed transfers left %v", got)
	}
}

// receive moves size bytes over a direct XEP-0065 bytestream on loopback
// into a Sink and commits it against the sender's SHA-256.
func receive(t *testing.T, dir string, size int64, name string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	ini, tgt := jid.MustParse("a@x/1"), jid.MustParse("b@y/2")
	ln, err := s5b.Listen(ini, []string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dst := socks5.DstAddr("sid", ini.String(), tgt.String())
	sum := make(chan []byte, 1)
	go func() {
		c, err := ln.Accept(ctx, dst)
		if err != nil {
			sum <- nil
			return
		}
		h := sha256.New()
		filetransfer.Copy(io.MultiWriter(c, h), io.LimitReader(&pattern{}, size), nil)
		c.Close()
		sum <- h.Sum(nil)
	}()
	c, _, err := s5b.Connect(ctx, ln.StreamHosts(), dst, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := filetransfer.Create(dir, name, size, 1<<40)
	if err != nil {
		return "", err
	}
	if _, err := filetransfer.Copy(s, c, nil); err != nil {
		s.Abort()
		return "", err
	}
	return s.Commit(<-sum)
}

func TestReceiveSizes(t *testing.T) {
	sizes := []int64{0, 1, 200 << 20}
	if testing.Short() {
		sizes = sizes[:2]
	}
	for _, n := range sizes {
		dir := t.TempDir()
		p, err := receive(t, dir, n, "f.bin")
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		fi, err := os.Stat(p)
		if err != nil || fi.Size() != n {
			t.Fatalf("%d bytes: saved %v, %v", n, fi, err)
		}
		os.Remove(p)
	}
}

// The sender vanishing mid-transfer leaves no file, only an error.
func TestReceivePeerVanishes(t *testing.T) {
	dir := t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		if _, err := socks5.Accept(context.Background(), c, func(string) bool { return true }); err == nil {
			c.Write(bytes.Repeat([]byte{1}, 5000))
		}
		c.Close()
	}()
	c, err := socks5.Dial(context.Background(), l.Addr().String(), "x")
	if err != nil {
		t.Fatal(err)
	}
	s, err := filetransfer.Create(dir, "half.bin", 10000, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	filetransfer.Copy(s, c, nil)
	if _, err := s.Commit(nil); !errors.Is(err, filetransfer.ErrShort) {
		t.Fatalf("err = %v", err)
	}
	if got := listDir(t, dir); len(got) != 0 {
		t.Fatalf("dir holds %v", got)
	}
}
