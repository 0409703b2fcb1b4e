package client

import (
	"context"
	"crypto/tls"
	"encoding/xml"
	"io"
	"net"
	"sync/atomic"

	"mellium.im/xmpp"
)

// guardConn is a connection whose reads pass through a streamGuard, so
// mellium's decoder only ever sees stanzas within the limits.
type guardConn struct {
	net.Conn
	g    *streamGuard
	buf  []byte // read from the connection
	out  []byte // released by the guard, not yet read
	off  int    // of out, already read
	err  error  // from the connection or the guard, after out is drained
	pass atomic.Bool
}

func newGuardConn(c net.Conn, lim guardLimits) *guardConn {
	return &guardConn{Conn: c, g: newStreamGuard(lim), buf: make([]byte, 16<<10)}
}

func (c *guardConn) Read(p []byte) (int, error) {
	for c.off == len(c.out) {
		c.out, c.off = c.out[:0], 0
		if c.err != nil {
			return 0, c.err
		}
		if c.pass.Load() {
			return c.Conn.Read(p)
		}
		n, err := c.Conn.Read(c.buf)
		c.out, c.err = c.g.feed(c.out, c.buf[:n])
		if err != nil && c.err == nil {
			c.err = err
		}
	}
	n := copy(p, c.out[c.off:])
	c.off += n
	return n, nil
}

// passThrough stops filtering: the connection now carries TLS records, and
// the guard of the TLS connection above takes over. What the guard held
// back (nothing, from a server that waits for our TLS handshake) is
// passed on first.
func (c *guardConn) passThrough() {
	c.out = append(c.out, c.g.held...)
	c.g.resetHeld()
	c.pass.Store(true)
}

// ConnectionState is that of the connection below, if it is TLS: mellium
// looks for this method to learn the TLS state (for channel binding too).
func (c *guardConn) ConnectionState() tls.ConnectionState {
	if tc, ok := c.Conn.(interface{ ConnectionState() tls.ConnectionState }); ok {
		return tc.ConnectionState()
	}
	return tls.ConnectionState{}
}

// limits are the guard limits of the engine's configuration.
func (e *Engine) limits() guardLimits {
	return guardLimits{maxBytes: e.cfg.MaxStanza, maxDepth: e.cfg.MaxDepth}
}

// newClientSession is xmpp.NewClientSession over a guarded connection:
// conn is guarded from the first byte, and so is the TLS connection a
// StartTLS feature among features sets up. direct says conn is already
// TLS (mellium would see that from the type, which the guard hides).
func (e *Engine) newClientSession(ctx context.Context, conn net.Conn, direct bool, features ...xmpp.StreamFeature) (*xmpp.Session, error) {
	lim := e.limits()
	fs := make([]xmpp.StreamFeature, len(features))
	for i, f := range features {
		if f.Name == (xml.Name{Space: nsStartTLS, Local: "starttls"}) {
			f = guardStartTLS(f, lim)
		}
		fs[i] = f
	}
	var state xmpp.SessionState
	if direct {
		state = xmpp.Secure
	}
	origin := e.cfg.JID
	return xmpp.NewSession(ctx, origin.Domain(), origin, newGuardConn(conn, lim), state,
		xmpp.NewNegotiator(func(*xmpp.Session, *xmpp.StreamConfig) xmpp.StreamConfig {
			return xmpp.StreamConfig{Features: fs}
		}))
}

const nsStartTLS = "urn:ietf:params:xml:ns:xmpp-tls"

// guardStartTLS wraps mellium's StartTLS feature: once TLS is set up, the
// guard below it steps aside and a new one reads the TLS connection.
func guardStartTLS(f xmpp.StreamFeature, lim guardLimits) xmpp.StreamFeature {
	negotiate := f.Negotiate
	f.Negotiate = func(ctx context.Context, s *xmpp.Session, data any) (xmpp.SessionState, io.ReadWriter, error) {
		mask, rw, err := negotiate(ctx, s, data)
		if err != nil || rw == nil {
			return mask, rw, err
		}
		tc, ok := rw.(net.Conn)
		if !ok {
			return mask, rw, err
		}
		if below, ok := s.Conn().(*guardConn); ok {
			below.passThrough()
		}
		return mask, newGuardConn(tc, lim), nil
	}
	return f
}
