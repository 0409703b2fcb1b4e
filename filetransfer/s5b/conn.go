package s5b

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	"chat/filetransfer/socks5"

	"mellium.im/xmpp/jid"
)

func joinHostPort(host string, port int) string {
	return net.JoinHostPort(host, strconv.Itoa(port))
}

// LocalAddrs lists this machine's addresses worth offering: loopback first,
// then every up interface's unicast addresses (link-local ones skipped).
func LocalAddrs() []string {
	addrs := []string{"127.0.0.1"}
	ifs, err := net.InterfaceAddrs()
	if err != nil {
		return addrs
	}
	for _, a := range ifs {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.IsLoopback() || ipn.IP.IsLinkLocalUnicast() || !ipn.IP.IsGlobalUnicast() {
			continue
		}
		addrs = append(addrs, ipn.IP.String())
	}
	return addrs
}

// Listener is the initiator's side of a direct bytestream: it listens on
// some local addresses, offers them as streamhosts and accepts the target's
// connection once its DST.ADDR matches.
type Listener struct {
	lns  []net.Listener
	self jid.JID
}

// Listen opens a TCP listener with a free port on each IP address in ips
// (those that fail are skipped; at least one must work).
func Listen(self jid.JID, ips []string) (*Listener, error) {
	l := &Listener{self: self}
	var firstErr error
	for _, ip := range ips {
		ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		l.lns = append(l.lns, ln)
	}
	if len(l.lns) == 0 {
		return nil, fmt.Errorf("s5b: no address to listen on: %v", firstErr)
	}
	return l, nil
}

// StreamHosts are the listener's addresses as streamhosts of self.
func (l *Listener) StreamHosts() []StreamHost {
	var hs []StreamHost
	for _, ln := range l.lns {
		a := ln.Addr().(*net.TCPAddr)
		hs = append(hs, StreamHost{JID: l.self, Host: a.IP.String(), Port: a.Port})
	}
	return hs
}

// Close stops listening.
func (l *Listener) Close() error {
	var err error
	for _, ln := range l.lns {
		err = errors.Join(err, ln.Close())
	}
	return err
}

// Accept waits for a connection asking for dst on any address and returns
// the first whose handshake succeeds; connections with another DST.ADDR are
// refused and Accept keeps waiting. It stops listening before it returns.
func (l *Listener) Accept(ctx context.Context, dst string) (net.Conn, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	got := make(chan net.Conn, 1)
	var wg sync.WaitGroup
	for _, ln := range l.lns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			acceptLoop(ctx, ln, dst, got, cancel)
		}()
	}
	stop := context.AfterFunc(ctx, func() { l.Close() })
	defer stop()
	<-ctx.Done()
	l.Close()
	wg.Wait()
	select {
	case c := <-got:
		return c, nil
	default:
		return nil, fmt.Errorf("s5b: no connection from the target: %w", context.Cause(ctx))
	}
}

func acceptLoop(ctx context.Context, ln net.Listener, dst string, got chan<- net.Conn, done func()) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		hctx, hcancel := context.WithTimeout(ctx, 10*time.Second)
		_, err = socks5.Accept(hctx, c, func(d string) bool { return d == dst })
		hcancel()
		if err != nil {
			c.Close()
			continue
		}
		select {
		case got <- c:
			done()
		default:
			c.Close() // another address won
		}
		return
	}
}

// Connect is the target's side: it tries the streamhosts in order, each for
// at most each, and returns the first connection whose handshake for dst
// succeeds, with the streamhost used.
func Connect(ctx context.Context, hosts []StreamHost, dst string, each time.Duration) (net.Conn, StreamHost, error) {
	var errs error
	for _, h := range hosts {
		hctx, cancel := context.WithTimeout(ctx, each)
		c, err := socks5.Dial(hctx, h.Addr(), dst)
		cancel()
		if err == nil {
			return c, h, nil
		}
		errs = errors.Join(errs, fmt.Errorf("%s: %w", h.Addr(), err))
		if ctx.Err() != nil {
			break
		}
	}
	if errs == nil {
		errs = errors.New("no streamhost offered")
	}
	return nil, StreamHost{}, fmt.Errorf("s5b: no streamhost reachable: %w", errs)
}

// Mediated is the initiator's side through a proxy streamhost the target
// chose: it connects to the proxy for dst and returns the connection with
// the activate payload to send to the proxy's JID. The stream may carry
// data only once the proxy has answered that IQ with a result.
func Mediated(ctx context.Context, proxy StreamHost, sid, dst string, target jid.JID) (net.Conn, Payload, error) {
	c, err := socks5.Dial(ctx, proxy.Addr(), dst)
	if err != nil {
		return nil, Payload{}, fmt.Errorf("s5b: proxy %s: %w", proxy.JID, err)
	}
	return c, Activate(sid, target), nil
}

// ActivateDst is what a proxy computes from an activate request: the
// DST.ADDR both sides asked for, from the SID, the requester (the IQ's
// sender) and the target named in <activate/>.
func ActivateDst(q Query, from jid.JID) (string, error) {
	if q.SID == "" || q.Activate.String() == "" {
		return "", errors.New("s5b: activate without sid or target")
	}
	return socks5.DstAddr(q.SID, from.String(), q.Activate.String()), nil
}
