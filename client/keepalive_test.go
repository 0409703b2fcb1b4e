package client

import (
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"chat/event"
)

// stallProxy forwards loopback TCP to target until stalled; then it keeps
// the connections open but passes nothing, like a network that silently
// dropped the route.
type stallProxy struct {
	ln      net.Listener
	target  string
	stalled atomic.Bool
	mu      sync.Mutex
	conns   []net.Conn
}

func newStallProxy(t *testing.T, target string) *stallProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &stallProxy{ln: ln, target: target}
	go p.accept()
	t.Cleanup(p.close)
	return p
}

func (p *stallProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, up)
		p.mu.Unlock()
		go p.pipe(c, up)
		go p.pipe(up, c)
	}
}

func (p *stallProxy) pipe(dst, src net.Conn) {
	buf := make([]byte, 32*1024)
	for {
		n, err := src.Read(buf)
		if err != nil {
			dst.Close()
			return
		}
		if p.stalled.Load() {
			continue // swallow: the peer never hears of it
		}
		if _, err := dst.Write(buf[:n]); err != nil {
			return
		}
	}
}

func (p *stallProxy) close() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}

func TestDeadConnectionDetectedByPing(t *testing.T) {
	needProsody(t)
	proxy := newStallProxy(t, srv.Addr())
	user, pass := srv.NewUser(t)
	p := newPeerFor(t, user, pass, func(c *Config) {
		c.Server = proxy.ln.Addr().String()
		c.PingInterval, c.PingTimeout = 400*time.Millisecond, 400*time.Millisecond
	})
	p.online()
	proxy.stalled.Store(true)
	c := p.expect("reconnecting after a silent network", isConn(event.Reconnecting)).(event.ConnState)
	if c.Err == "" {
		t.Error("reconnecting without saying why")
	}
	proxy.stalled.Store(false)
	p.expect("online again", isConn(event.Online))
}
