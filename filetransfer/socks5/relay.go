package socks5

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// Relay is a proxy65-style XEP-0065 streamhost: each side connects and asks
// for the same DST.ADDR; once the XMPP side has checked an activate request
// it calls Activate and the relay copies bytes between the two. It is meant
// for tests and for the embedded server's proxy service; it does no XMPP.
type Relay struct {
	// HandshakeTimeout bounds each connection's SOCKS5 handshake.
	HandshakeTimeout time.Duration
	// PendingTimeout closes connections not activated in time.
	PendingTimeout time.Duration
	// MaxPending bounds the addresses waiting for activation.
	MaxPending int

	mu      sync.Mutex
	pending map[string]*waiting
	closed  bool
	wg      sync.WaitGroup
}

type waiting struct {
	conns []net.Conn
	timer *time.Timer
}

// NewRelay returns a relay with sensible limits: a 10 s handshake, 60 s to
// be activated and 256 pending addresses.
func NewRelay() *Relay {
	return &Relay{
		HandshakeTimeout: 10 * time.Second,
		PendingTimeout:   60 * time.Second,
		MaxPending:       256,
		pending:          make(map[string]*waiting),
	}
}

// Serve accepts connections on ln until it fails or the relay is closed.
// Closing ln ends Serve.
func (r *Relay) Serve(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if r.isClosed() || errors.Is(err, net.ErrClosed) {
				return nil
			}
			return fmt.Errorf("socks5 relay: accept: %w", err)
		}
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			r.handle(conn)
		}()
	}
}

func (r *Relay) isClosed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.closed
}

func (r *Relay) handle(conn net.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), r.HandshakeTimeout)
	defer cancel()
	_, err := Accept(ctx, conn, func(dst string) bool { return r.register(dst, conn) })
	if err != nil {
		conn.Close()
	}
}

// register records conn as waiting for dst; at most two per address and
// MaxPending addresses.
func (r *Relay) register(dst string, conn net.Conn) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	w := r.pending[dst]
	if w == nil {
		if len(r.pending) >= r.MaxPending {
			return false
		}
		w = &waiting{}
		w.timer = time.AfterFunc(r.PendingTimeout, func() { r.expire(dst, w) })
		r.pending[dst] = w
	}
	if len(w.conns) >= 2 {
		return false
	}
	w.conns = append(w.conns, conn)
	return true
}

func (r *Relay) expire(dst string, w *waiting) {
	r.mu.Lock()
	if r.pending[dst] != w {
		r.mu.Unlock()
		return
	}
	delete(r.pending, dst)
	r.mu.Unlock()
	for _, c := range w.conns {
		c.Close()
	}
}

// Waiting reports how many connections wait for dst (0, 1 or 2); the XMPP
// side can refuse an activate when it is not 2.
func (r *Relay) Waiting(dst string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if w := r.pending[dst]; w != nil {
		return len(w.conns)
	}
	return 0
}

// Activate starts relaying between the two connections that asked for dst.
// It fails unless exactly two are waiting.
func (r *Relay) Activate(dst string) error {
	r.mu.Lock()
	w := r.pending[dst]
	if w == nil || len(w.conns) != 2 {
		r.mu.Unlock()
		return fmt.Errorf("socks5 relay: %w: both sides must be connected", ErrRefused)
	}
	delete(r.pending, dst)
	w.timer.Stop()
	r.wg.Add(1)
	r.mu.Unlock()
	go func() {
		defer r.wg.Done()
		Pipe(w.conns[0], w.conns[1])
	}()
	return nil
}

// Close refuses new connections, closes the waiting ones and waits for the
// relays in progress to end (the caller closes the listener).
func (r *Relay) Close() {
	r.mu.Lock()
	r.closed = true
	pend := r.pending
	r.pending = make(map[string]*waiting)
	r.mu.Unlock()
	for _, w := range pend {
		w.timer.Stop()
		for _, c := range w.conns {
			c.Close()
		}
	}
	r.wg.Wait()
}

// Pipe copies between a and b in both directions with bounded buffers,
// passing a half-close on when the connection supports it, and closes both
// once both directions are done.
func Pipe(a, b net.Conn) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); copyHalf(a, b) }()
	go func() { defer wg.Done(); copyHalf(b, a) }()
	wg.Wait()
	a.Close()
	b.Close()
}

func copyHalf(dst, src net.Conn) {
	buf := make([]byte, 64<<10)
	_, err := io.CopyBuffer(dst, src, buf)
	if cw, ok := dst.(interface{ CloseWrite() error }); ok && err == nil {
		cw.CloseWrite()
		return
	}
	// An error on one side ends both.
	dst.Close()
	src.Close()
}
