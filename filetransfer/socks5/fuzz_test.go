package socks5

import (
	"bytes"
	"net"
	"testing"
	"time"
)

// fakeConn reads from fixed bytes and discards writes.
type fakeConn struct {
	r *bytes.Reader
}

func (c fakeConn) Read(p []byte) (int, error)       { return c.r.Read(p) }
func (c fakeConn) Write(p []byte) (int, error)      { return len(p), nil }
func (c fakeConn) Close() error                     { return nil }
func (c fakeConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (c fakeConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (c fakeConn) SetDeadline(time.Time) error      { return nil }
func (c fakeConn) SetReadDeadline(time.Time) error  { return nil }
func (c fakeConn) SetWriteDeadline(time.Time) error { return nil }

// The server side reads whatever a connecting peer sends.
func FuzzReadRequest(f *testing.F) {
	f.Add([]byte{5, 1, 0, 5, 1, 0, 3, 3, 'a', 'b', 'c', 0, 0})
	f.Add([]byte{5, 2, 2, 0, 5, 1, 0, 1, 127, 0, 0, 1, 0, 80})
	f.Fuzz(func(t *testing.T, b []byte) {
		dst, err := ReadRequest(fakeConn{bytes.NewReader(b)})
		if err == nil && len(dst) > 255 {
			t.Fatalf("address of %d bytes", len(dst))
		}
	})
}

// The client side reads whatever a streamhost answers.
func FuzzHandshake(f *testing.F) {
	f.Add([]byte{5, 0, 5, 0, 0, 3, 3, 'a', 'b', 'c', 0, 0})
	f.Add([]byte{5, 0, 5, 0, 0, 1, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{5, 0, 5, 2, 0, 3, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		Handshake(fakeConn{bytes.NewReader(b)}, "abc")
	})
}
