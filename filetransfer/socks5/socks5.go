// Package socks5 is the small SOCKS5 (RFC 1928) subset that XEP-0065
// bytestreams use: a client that asks for CONNECT to a domain-name address
// with port 0, a server side that reads such a request and lets the caller
// accept or refuse the address, and a proxy65-style relay that pairs two
// such connections once they are activated.
//
// Why our own and not golang.org/x/net/proxy: its client refuses port 0,
// which XEP-0065 requires, and it has no server side at all; XEP-0065 also
// needs DST.ADDR to be the domain-form hex(SHA1(SID + initiator JID + target
// JID)) and the reply's address checked, which a general-purpose proxy
// dialer neither builds nor verifies.
//
// This package speaks only "no authentication" and CONNECT with ATYP 3
// (domain name); it knows nothing about XMPP stanzas (see package s5b) and
// must not buffer stream data: after the handshake the net.Conn is handed
// back as is.
package socks5

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

const (
	version      = 5
	methodNone   = 0
	methodRefuse = 0xff
	cmdConnect   = 1
	atypDomain   = 3
	repSucceeded = 0
	repFailure   = 1 // general SOCKS server failure
	repRefused   = 2 // connection not allowed by ruleset
)

// ErrRefused is returned by Handshake when the server answered with a
// non-zero reply code, and by Serve when the check refused the address.
var ErrRefused = errors.New("socks5: connection refused")

// DstAddr is the XEP-0065 DST.ADDR: hex(SHA1(sid + initiator + target)),
// with both JIDs in their full string form.
func DstAddr(sid, initiator, target string) string {
	h := sha1.Sum([]byte(sid + initiator + target))
	return hex.EncodeToString(h[:])
}

// Handshake runs the client side on conn: no-auth greeting, then CONNECT to
// dst (a domain name up to 255 bytes) with port 0, and checks the reply: it
// must succeed and, when the server names a domain, name dst.
func Handshake(conn net.Conn, dst string) error {
	if len(dst) == 0 || len(dst) > 255 {
		return fmt.Errorf("socks5: address of %d bytes", len(dst))
	}
	req := make([]byte, 0, 3+5+len(dst)+2)
	req = append(req, version, 1, methodNone)
	req = append(req, version, cmdConnect, 0, atypDomain, byte(len(dst)))
	req = append(req, dst...)
	req = append(req, 0, 0)
	if _, err := conn.Write(req); err != nil {
		return fmt.Errorf("socks5: send request: %w", err)
	}
	var sel [2]byte
	if _, err := io.ReadFull(conn, sel[:]); err != nil {
		return fmt.Errorf("socks5: read method: %w", err)
	}
	if sel[0] != version || sel[1] != methodNone {
		return fmt.Errorf("socks5: server chose method %d (version %d)", sel[1], sel[0])
	}
	addr, err := readReply(conn)
	if err != nil {
		return err
	}
	if addr != "" && addr != dst {
		return fmt.Errorf("socks5: reply names a different address")
	}
	return nil
}

// readReply reads VER REP RSV ATYP ADDR PORT and returns the domain address
// (empty for IPv4/IPv6 forms).
func readReply(r io.Reader) (string, error) {
	var h [4]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return "", fmt.Errorf("socks5: read reply: %w", err)
	}
	if h[0] != version {
		return "", fmt.Errorf("socks5: reply version %d", h[0])
	}
	if h[1] != repSucceeded {
		return "", fmt.Errorf("%w (reply code %d)", ErrRefused, h[1])
	}
	addr, err := readAddr(r, h[3])
	if err != nil {
		return "", fmt.Errorf("socks5: reply: %w", err)
	}
	return addr, nil
}

// readAddr reads an address of type atyp and the port after it. It returns
// the domain for ATYP 3 and "" for IP addresses.
func readAddr(r io.Reader, atyp byte) (string, error) {
	var n int
	switch atyp {
	case 1:
		n = 4
	case 4:
		n = 16
	case atypDomain:
		var l [1]byte
		if _, err := io.ReadFull(r, l[:]); err != nil {
			return "", err
		}
		n = int(l[0])
	default:
		return "", fmt.Errorf("address type %d", atyp)
	}
	buf := make([]byte, n+2)
	if _, err := io.ReadFull(r, buf); err != nil {
		return "", err
	}
	if atyp != atypDomain {
		return "", nil
	}
	return string(buf[:n]), nil
}

// Dial connects to addr (host:port) and runs Handshake for dst. The context
// bounds both the connection and the handshake.
func Dial(ctx context.Context, addr, dst string) (net.Conn, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("socks5: dial %s: %w", addr, err)
	}
	stop := bindDeadline(ctx, conn)
	err = Handshake(conn, dst)
	if err2 := stop(); err == nil && err2 != nil {
		err = err2
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// bindDeadline makes conn's I/O fail when ctx ends, until the returned
// function is called; that function clears the deadline again and reports
// the context's error if it ended meanwhile.
func bindDeadline(ctx context.Context, conn net.Conn) func() error {
	if d, ok := ctx.Deadline(); ok {
		conn.SetDeadline(d)
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	return func() error {
		stop()
		conn.SetDeadline(time.Time{})
		return ctx.Err()
	}
}
