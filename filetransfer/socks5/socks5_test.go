package socks5

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

func listen(t testing.TB) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestDstAddr(t *testing.T) {
	// The JIDs of XEP-0065's examples; the value is SHA-1 computed independently.
	got := DstAddr("vxf9n471bn46", "romeo@montague.example/home", "juliet@capulet.example/balcony")
	if want := "a598ef48db2a71cab54ebd7425932bdbdabe586f"; got != want {
		t.Fatalf("DstAddr = %q, want %q", got, want)
	}
	if DstAddr("a", "b", "c") == DstAddr("a", "c", "b") {
		t.Fatal("the JID order must matter")
	}
}

// serveOne accepts one connection and runs Accept expecting want.
func serveOne(t *testing.T, ln net.Listener, want string) chan error {
	done := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			done <- err
			return
		}
		_, err = Accept(context.Background(), c, func(d string) bool { return d == want })
		if err == nil {
			_, err = c.Write([]byte("hello"))
		}
		c.Close()
		done <- err
	}()
	return done
}

func TestHandshakeDirect(t *testing.T) {
	ln := listen(t)
	dst := DstAddr("sid", "a@x/1", "b@y/2")
	done := serveOne(t, ln, dst)
	c, err := Dial(ctxT(t), ln.Addr().String(), dst)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	b, err := io.ReadAll(c)
	if err != nil || string(b) != "hello" {
		t.Fatalf("read %q, %v", b, err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestWrongDstAddrRefused(t *testing.T) {
	ln := listen(t)
	done := serveOne(t, ln, DstAddr("sid", "a@x/1", "b@y/2"))
	_, err := Dial(ctxT(t), ln.Addr().String(), DstAddr("other", "a@x/1", "b@y/2"))
	if !errors.Is(err, ErrRefused) {
		t.Fatalf("client: %v, want ErrRefused", err)
	}
	if err := <-done; !errors.Is(err, ErrRefused) {
		t.Fatalf("server: %v, want ErrRefused", err)
	}
}

// A reply naming another address than the one asked for is refused by the
// client even when the code says success.
func TestReplyAddressChecked(t *testing.T) {
	ln := listen(t)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		if _, err := ReadRequest(c); err == nil {
			Reply(c, "somethingelse", true)
		}
	}()
	if _, err := Dial(ctxT(t), ln.Addr().String(), "wanted"); err == nil {
		t.Fatal("a reply for another address was accepted")
	}
}

// The server vanishing during the handshake is an error, not a hang.
func TestServerVanishes(t *testing.T) {
	ln := listen(t)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			var b [3]byte
			io.ReadFull(c, b[:])
			c.Close()
		}
	}()
	if _, err := Dial(ctxT(t), ln.Addr().String(), "x"); err == nil {
		t.Fatal("no error when the server closed mid-handshake")
	}
}

func TestContextBoundsHandshake(t *testing.T) {
	ln := listen(t)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			t.Cleanup(func() { c.Close() })
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := Dial(ctx, ln.Addr().String(), "x")
		errc <- err
	}()
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("Dial returned no error after its context ended")
	}
}

func TestRequestRejectsOtherCommands(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	go func() {
		b.Write([]byte{5, 1, 0})
		var sel [2]byte
		io.ReadFull(b, sel[:])
		b.Write([]byte{5, 2, 0, 3, 1, 'x', 0, 0}) // BIND
		io.Copy(io.Discard, b)
	}()
	if _, err := ReadRequest(a); err == nil {
		t.Fatal("BIND accepted")
	}
}

func TestRelay(t *testing.T) {
	ln := listen(t)
	r := NewRelay()
	go r.Serve(ln)
	t.Cleanup(r.Close)
	dst := DstAddr("s", "i@x/1", "t@y/2")
	ctx := ctxT(t)
	target, err := Dial(ctx, ln.Addr().String(), dst)
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	if err := r.Activate(dst); err == nil {
		t.Fatal("activated with one side only")
	}
	init, err := Dial(ctx, ln.Addr().String(), dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Dial(ctx, ln.Addr().String(), dst); err == nil {
		t.Fatal("a third connection for the same address was accepted")
	}
	if r.Waiting(dst) != 2 {
		t.Fatalf("Waiting = %d", r.Waiting(dst))
	}
	if err := r.Activate(dst); err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("0123456789"), 100000)
	go func() {
		init.Write(data)
		init.Close()
	}()
	got, err := io.ReadAll(target)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("relayed %d bytes of %d, %v", len(got), len(data), err)
	}
}

func TestRelayMaxPending(t *testing.T) {
	ln := listen(t)
	r := NewRelay()
	r.MaxPending = 1
	go r.Serve(ln)
	t.Cleanup(r.Close)
	ctx := ctxT(t)
	c, err := Dial(ctx, ln.Addr().String(), "one")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := Dial(ctx, ln.Addr().String(), "two"); !errors.Is(err, ErrRefused) {
		t.Fatalf("second pending address: %v, want ErrRefused", err)
	}
}
