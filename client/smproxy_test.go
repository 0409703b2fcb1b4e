package client

import (
	"net"
	"sync"
	"testing"
)

// faultProxy is a test-controlled TCP proxy on loopback between an engine
// and a real server: it can cut every connection through it, or stall
// them (nothing forwarded, nothing closed) while new connections pass.
type faultProxy struct {
	t      *testing.T
	ln     net.Listener
	target string

	mu      sync.Mutex
	conns   []*proxied
	stalled []*proxied
	closed  bool
}

type proxied struct {
	client, server net.Conn
	stall          chan struct{} // closed: stop forwarding
	stallOnce      sync.Once
}

func newFaultProxy(t *testing.T, target string) *faultProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("proxy: %v", err)
	}
	p := &faultProxy{t: t, ln: ln, target: target}
	go p.accept()
	t.Cleanup(p.close)
	return p
}

func (p *faultProxy) Addr() string { return p.ln.Addr().String() }

func (p *faultProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		pc := &proxied{client: c, server: s, stall: make(chan struct{})}
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			c.Close()
			s.Close()
			return
		}
		p.conns = append(p.conns, pc)
		p.mu.Unlock()
		go pc.pipe(s, c)
		go pc.pipe(c, s)
	}
}

// pipe copies src to dst until either ends, or the stall: then it reads
// nothing more, so the sender's buffers fill up as with a dead link.
func (pc *proxied) pipe(dst, src net.Conn) {
	buf := make([]byte, 4096)
	for {
		select {
		case <-pc.stall:
			return
		default:
		}
		n, err := src.Read(buf)
		select {
		case <-pc.stall:
			return // what was read is lost with the link
		default:
		}
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			dst.Close()
			return
		}
	}
}

// Cut closes every connection through the proxy, both sides, at once.
func (p *faultProxy) Cut() int {
	p.mu.Lock()
	conns := p.conns
	p.conns = nil
	p.mu.Unlock()
	for _, pc := range conns {
		pc.client.Close()
		pc.server.Close()
	}
	return len(conns)
}

// Stall stops forwarding on every open connection, which stays open.
func (p *faultProxy) Stall() int {
	p.mu.Lock()
	conns := p.conns
	p.conns = nil
	p.mu.Unlock()
	for _, pc := range conns {
		pc.stallOnce.Do(func() { close(pc.stall) })
	}
	p.mu.Lock()
	p.stalled = append(p.stalled, conns...)
	p.mu.Unlock()
	return len(conns)
}

func (p *faultProxy) close() {
	p.mu.Lock()
	p.closed = true
	all := append(p.conns, p.stalled...)
	p.conns, p.stalled = nil, nil
	p.mu.Unlock()
	p.ln.Close()
	for _, pc := range all {
		pc.client.Close()
		pc.server.Close()
	}
}
