package socks5

import (
	"context"
	"fmt"
	"io"
	"net"
)

// ReadRequest runs the server side of the handshake up to the CONNECT
// request: it reads the greeting (which must offer "no authentication"),
// answers it and returns the requested domain address. The caller then
// decides and calls Reply. Only CONNECT with ATYP 3 is accepted; anything
// else gets a failure reply and an error.
func ReadRequest(conn net.Conn) (string, error) {
	var g [2]byte
	if _, err := io.ReadFull(conn, g[:]); err != nil {
		return "", fmt.Errorf("socks5: read greeting: %w", err)
	}
	if g[0] != version || g[1] == 0 {
		return "", fmt.Errorf("socks5: greeting version %d with %d methods", g[0], g[1])
	}
	methods := make([]byte, g[1])
	if _, err := io.ReadFull(conn, methods); err != nil {
		return "", fmt.Errorf("socks5: read methods: %w", err)
	}
	if !hasByte(methods, methodNone) {
		conn.Write([]byte{version, methodRefuse})
		return "", fmt.Errorf("socks5: client offers no usable method")
	}
	if _, err := conn.Write([]byte{version, methodNone}); err != nil {
		return "", fmt.Errorf("socks5: send method: %w", err)
	}
	var h [4]byte
	if _, err := io.ReadFull(conn, h[:]); err != nil {
		return "", fmt.Errorf("socks5: read request: %w", err)
	}
	if h[0] != version {
		return "", fmt.Errorf("socks5: request version %d", h[0])
	}
	addr, err := readAddr(conn, h[3])
	if err != nil {
		writeReply(conn, repFailure, "")
		return "", fmt.Errorf("socks5: read request address: %w", err)
	}
	if h[1] != cmdConnect || h[3] != atypDomain {
		writeReply(conn, repFailure, "")
		return "", fmt.Errorf("socks5: request command %d with address type %d", h[1], h[3])
	}
	return addr, nil
}

// Reply sends the server's answer to a request for dst: success naming dst,
// or "not allowed".
func Reply(conn net.Conn, dst string, ok bool) error {
	rep := byte(repSucceeded)
	if !ok {
		rep = repRefused
	}
	if err := writeReply(conn, rep, dst); err != nil {
		return fmt.Errorf("socks5: send reply: %w", err)
	}
	return nil
}

func writeReply(w io.Writer, rep byte, dst string) error {
	b := make([]byte, 0, 7+len(dst))
	b = append(b, version, rep, 0, atypDomain, byte(len(dst)))
	b = append(b, dst...)
	b = append(b, 0, 0)
	_, err := w.Write(b)
	return err
}

// Accept runs the whole server-side handshake on conn: it reads the request
// and accepts it only when want(dst) is true. A refused address gets a
// refusal reply and ErrRefused. The context bounds the handshake.
func Accept(ctx context.Context, conn net.Conn, want func(dst string) bool) (string, error) {
	stop := bindDeadline(ctx, conn)
	dst, err := ReadRequest(conn)
	if err == nil {
		ok := want(dst)
		err = Reply(conn, dst, ok)
		if err == nil && !ok {
			err = ErrRefused
		}
	}
	if err2 := stop(); err == nil && err2 != nil {
		err = err2
	}
	return dst, err
}

func hasByte(b []byte, c byte) bool {
	for _, x := range b {
		if x == c {
			return true
		}
	}
	return false
}
