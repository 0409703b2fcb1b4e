package server

import (
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"time"

	"mellium.im/xmpp/jid"
)

// conn is one client connection while it negotiates: STARTTLS, SASL and
// resource binding, in that order, all before HandshakeTimeout.
type conn struct {
	srv      *Server
	raw      net.Conn // the TCP connection
	nc       net.Conn // raw, then the TLS connection over it
	r        stanzaReader
	ip       string
	secure   bool
	sentHead bool    // our header for the current stream is out
	user     jid.JID // the authenticated account, after SASL
	mech     string
	failures int
	tried    string     // the account the current SASL exchange names
	start    time.Time  // when the connection was admitted
	lim      connLimits // guarded by srv.mu (see admit.go)
}

func newConn(srv *Server, raw net.Conn, ip string) *conn {
	c := &conn{srv: srv, raw: raw, nc: raw, ip: ip, start: time.Now()}
	c.r = stanzaReader{in: newBudgetReader(raw, srv.cfg.MaxStanza), maxDepth: srv.cfg.MaxDepth}
	c.r.restart()
	return c
}

// serve runs the connection to its end. Logging in must be done within
// AuthTimeout, binding a resource within HandshakeTimeout.
func (c *conn) serve() {
	defer c.raw.Close()
	_ = c.raw.SetDeadline(c.start.Add(min(c.srv.cfg.AuthTimeout, c.srv.cfg.HandshakeTimeout)))
	s, err := c.negotiate()
	if err != nil {
		c.fail(err)
		return
	}
	_ = c.raw.SetDeadline(time.Time{})
	s.run()
}

// fail sends a stream error if err is one, and logs why the connection
// ended.
func (c *conn) fail(err error) {
	var se *streamError
	if errors.As(err, &se) {
		out := se.bytes()
		if !c.sentHead {
			out = append(streamHeader(c.srv.domain, "", randomID()), out...)
		}
		c.goodbye(out)
	} else if errors.Is(err, errStreamClosed) {
		c.goodbye([]byte("</stream:stream>"))
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, errStreamClosed) {
		c.srv.logf("connection from %s ended during login: %v", c.ip, err)
	}
}

// lingerTimeout bounds how long a closing connection waits for the
// client to close its side after our last words.
const lingerTimeout = 5 * time.Second

// goodbye writes the last bytes of the stream, closes our side and waits
// for the client to close its side.
func (c *conn) goodbye(last []byte) {
	_ = c.nc.SetWriteDeadline(time.Now().Add(time.Second))
	if _, err := c.nc.Write(last); err != nil {
		return
	}
	c.closeWrite()
	c.drain()
}

// closeWrite ends what we send (a TLS close_notify, then a TCP FIN) but
// keeps reading: closing a socket with unread input makes the kernel send
// a reset, which can destroy the stream error the client has not read
// yet. Reading gives up after lingerTimeout.
func (c *conn) closeWrite() {
	if tc, ok := c.nc.(*tls.Conn); ok {
		_ = tc.SetWriteDeadline(time.Now().Add(time.Second))
		_ = tc.CloseWrite()
	}
	if cw, ok := c.raw.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
	_ = c.raw.SetReadDeadline(time.Now().Add(lingerTimeout))
}

// drain reads and discards what the client still sends until it closes
// the connection or the deadline closeWrite set passes, then closes it.
func (c *conn) drain() {
	defer c.raw.Close()
	_, _ = io.CopyN(io.Discard, c.raw, 1<<20)
}

func (c *conn) write(b []byte) error {
	_, err := c.nc.Write(b)
	return err
}

// negotiate takes the connection from its first byte to a bound session.
func (c *conn) negotiate() (*session, error) {
	if err := c.openStream(); err != nil {
		return nil, err
	}
	for {
		n, err := c.r.next()
		if err != nil {
			return nil, err
		}
		switch {
		case !c.secure:
			err = c.beforeTLS(n)
		case c.user.Localpart() == "":
			err = c.beforeAuth(n)
		default:
			var s *session
			if s, err = c.bind(n); s != nil {
				return s, nil
			}
		}
		if err != nil {
			return nil, err
		}
	}
}

// openStream reads the client's stream header and answers with ours and
// the features of the current step.
func (c *conn) openStream() error {
	c.sentHead = false
	h, err := c.r.readHeader()
	if err != nil {
		return err
	}
	to := ""
	if j, err := jid.Parse(h.from); err == nil {
		to = j.String()
	}
	out := streamHeader(c.srv.domain, to, randomID())
	if h.to != "" {
		if d, err := normalizeDomain(h.to); err != nil || d != c.srv.domain {
			return errStream("host-unknown", "this server serves %s only", c.srv.domain)
		}
	}
	out = append(out, "<stream:features>"...)
	for _, f := range c.features() {
		out = f.appendTo(out, nsClient)
	}
	out = append(out, "</stream:features>"...)
	c.sentHead = true // the error of a failed write goes nowhere anyway
	return c.write(out)
}

// features are the stream features of the current step.
func (c *conn) features() []*node {
	switch {
	case !c.secure:
		return []*node{elem(nsTLS, "starttls").add(elem(nsTLS, "required"))}
	case c.user.Localpart() == "" && c.srv.cfg.AllowRegister:
		return []*node{mechanismsFeature(), elem(nsRegisterFeature, "register")}
	case c.user.Localpart() == "":
		return []*node{mechanismsFeature()}
	}
	return []*node{elem(nsBind, "bind"), elem(nsSession, "session").add(elem(nsSession, "optional")), elem(nsRosterVer, "ver"), elem(nsSM, "sm")}
}

func isStanza(n *node) bool {
	if n.name.Space != nsClient {
		return false
	}
	switch n.name.Local {
	case "message", "presence", "iq":
		return true
	}
	return false
}

func (c *conn) beforeTLS(n *node) error {
	switch {
	case n.name.Space == nsTLS && n.name.Local == "starttls":
	case isStanza(n):
		return errStream("not-authorized", "log in first")
	default:
		return errStream("policy-violation", "STARTTLS is required")
	}
	if err := c.write(elem(nsTLS, "proceed").appendTo(nil, nsClient)); err != nil {
		return err
	}
	if c.r.in.r.Buffered() > 0 {
		return errors.New("client sent data before the TLS handshake")
	}
	tc := tls.Server(c.raw, c.srv.tls)
	if err := tc.Handshake(); err != nil {
		return err
	}
	c.srv.setStage(c, stageTLS)
	c.nc, c.secure = tc, true
	c.r.in = newBudgetReader(tc, c.srv.cfg.MaxStanza)
	c.r.restart()
	return c.openStream()
}

func (c *conn) beforeAuth(n *node) error {
	switch {
	case n.name.Space == nsSASL && n.name.Local == "auth":
	case isStanza(n):
		return c.preAuthRegister(n) // XEP-0077, when allowed (register.go)
	default:
		return errStream("policy-violation", "expected SASL authentication")
	}
	if err := c.authenticate(n); err != nil {
		return err
	}
	if c.user.Localpart() == "" {
		return nil // failed, may retry
	}
	_ = c.raw.SetDeadline(c.start.Add(c.srv.cfg.HandshakeTimeout))
	c.r.restart()
	return c.openStream()
}

// bind handles the resource binding request (RFC 6120 §7). It returns the
// session once bound; a bad request is answered and the client may retry.
func (c *conn) bind(n *node) (*session, error) {
	if is(n, nsSM, "resume") {
		return c.resume(n)
	}
	if !isStanza(n) {
		return nil, errStream("unsupported-stanza-type", "expected resource binding")
	}
	b := n.child(nsBind, "bind")
	if n.name.Local != "iq" || n.get("type") != "set" || b == nil {
		return nil, errStream("not-authorized", "bind a resource first")
	}
	res := ""
	if r := b.child(nsBind, "resource"); r != nil {
		res = r.text()
	}
	if res == "" {
		res = "chat-" + randomID()[:8]
	}
	full, err := jid.New(c.user.Localpart(), c.user.Domainpart(), res)
	if err != nil {
		reply := iqError(n, "", "modify", "bad-request", "invalid resource")
		return nil, c.write(reply.bytes())
	}
	s := newSession(c, full)
	result := elem(nsClient, "iq", "type", "result", "id", n.get("id")).add(
		elem(nsBind, "bind").add(elem(nsBind, "jid").add(full.String())))
	s.send(result.bytes())
	if !c.srv.markBound(c) {
		return nil, errStream("system-shutdown", "the server is stopping")
	}
	c.srv.bindSession(s)
	return s, nil
}

// randomID returns 16 random hex digits.
func randomID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
