package server

import (
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

const fuzzHeader = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>"

// Modes of FuzzConn, chosen by the first byte of the input modulo 3.
const (
	fuzzFresh    = 0 // a new TCP connection, before STARTTLS
	fuzzLoggedIn = 1 // a session bound as alice/fuzz
	fuzzSecured  = 2 // after STARTTLS, before SASL
)

// FuzzConn feeds arbitrary bytes to a connection: before STARTTLS, after
// STARTTLS or after login (as alice), by the first byte. The server must
// not panic or hang, another session must keep working, and everything the
// server writes back must be well-formed XML a strict parser accepts (see
// checkStrict): no duplicate attributes, no namespace declared twice.
func FuzzConn(f *testing.F) {
	for _, seed := range []string{
		"\x00" + fuzzHeader + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>",
		"\x00" + fuzzHeader + "<message to='bob@localhost'><body>early</body></message>",
		"\x00<stream:stream xmlns='jabber:server' version='2.0'>",
		"\x00<?xml version='1.1'?><stream:stream xmlns='jabber:client' version='1.0'>",
		"\x00" + fuzzHeader + "</stream:stream>",
		"\x00\xff\xfe\x00garbage",
		"\x01<message to='dave@localhost' type='chat'><body>hi</body></message>",
		"\x01<presence/><presence type='unavailable'/><presence to='bob@localhost' type='subscribe'/>",
		"\x01<iq type='set' id='1'><query xmlns='jabber:iq:roster'><item jid='bob@localhost' subscription='remove'/></query></iq>",
		"\x01<iq type='get' id='2' to='localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>",
		"\x01<iq type='result' id='3' to='bob@localhost/x'/><iq type='get' id='4'/>",
		"\x01<iq type='get'><ping xmlns='urn:xmpp:ping'/><ping xmlns='urn:xmpp:ping'/></iq>",
		"\x01<message to='a@b@c'><body>x</body></message><message to=''/>",
		"\x01" + strings.Repeat("<a>", 200),
		"\x01<message xmlns:x='urn:x' x:attr='1' xml:lang='en'><x:thing/></message>",
		"\x01<message to='alice@localhost/fuzz'" + manyNamespacedAttrs(30) + "><body" + manyNamespacedAttrs(30) + ">self</body></message>",
		"\x01<message to='alice@localhost/fuzz' from='x@y' from='z@w' xmlns:a='urn:a' xmlns:b='urn:a' a:t='1' b:t='2'/>",
		"\x01<foo xmlns='urn:unknown'/>",
		"\x01</stream:stream>",
		"\x02<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAHNlY3JldA==</auth>" + fuzzHeader,
		"\x02<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'>biwsbj1hbGljZSxyPXh5eg==</auth><response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>=</response>",
		"\x02<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='X'/><abort xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>",
	} {
		f.Add([]byte(seed))
	}
	ts := startServer(f, func(c *Config) { c.HandshakeTimeout = 2 * time.Second; c.MaxStanza = 16 << 10 })
	watcher := ts.raw(f, "dave", "watch")
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		mode := data[0] % 3
		conn, prefix := fuzzConn(t, ts, mode)
		out := exchange(t, conn, data[1:])
		checkOutput(t, mode, append(prefix, out...))
		watcher.t = t
		ping := watcher.iq("get", "localhost", "<ping xmlns='urn:xmpp:ping'/>")
		if ping.get("type") != "result" {
			t.Fatalf("watcher's ping = %s", ping.bytes())
		}
		if ts.log.contains("panic") {
			t.Fatalf("the server panicked:\n%s", ts.log)
		}
	})
}

// fuzzConn opens a connection in the given mode. prefix is what the
// server's output so far must be read after: the stream it is in, and
// bytes the raw client read ahead.
func fuzzConn(t *testing.T, ts *testServer, mode byte) (net.Conn, []byte) {
	t.Helper()
	var c *rawClient
	switch mode {
	case fuzzFresh:
		conn, err := net.Dial("tcp", ts.addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		return conn, nil
	case fuzzLoggedIn:
		c = ts.raw(t, "alice", "fuzz")
	default:
		c = dialRaw(t, ts)
		c.open()
		c.startTLS()
	}
	prefix := []byte("<stream:stream xmlns='" + nsClient + "' xmlns:stream='" + nsStream + "'>")
	ahead := make([]byte, c.r.in.r.Buffered())
	_, _ = io.ReadFull(c.r.in.r, ahead)
	return c.conn, append(prefix, ahead...)
}

// exchange writes data, closes our side and returns all the server writes
// until it closes the connection.
func exchange(t *testing.T, conn net.Conn, data []byte) []byte {
	t.Helper()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	go func() {
		_, _ = conn.Write(data)
		switch c := conn.(type) {
		case *net.TCPConn:
			_ = c.CloseWrite()
		case *tls.Conn:
			_ = c.CloseWrite()
		}
	}()
	var out bytes.Buffer
	_, err := io.Copy(&out, conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the server did not close the connection; it wrote:\n%q", out.Bytes())
	}
	conn.Close()
	return out.Bytes()
}

// checkOutput applies the strict oracle to what the server wrote. Each
// stream restart (a new XML declaration) starts a new document; before
// STARTTLS, what follows <proceed/> is TLS. A session's stream always ends
// with its end tag.
func checkOutput(t *testing.T, mode byte, out []byte) {
	t.Helper()
	if mode == fuzzFresh {
		proceed := elem(nsTLS, "proceed").appendTo(nil, nsClient)
		if i := bytes.Index(out, proceed); i >= 0 {
			out = out[:i+len(proceed)]
		}
	}
	decl := []byte("<?xml version='1.0'?>")
	docs := bytes.Split(out, decl)
	for i, doc := range docs {
		if i > 0 {
			doc = append(append([]byte(nil), decl...), doc...)
		}
		complete, err := strictDocument(doc)
		if err != nil {
			t.Fatalf("the server wrote bad XML: %v in\n%s", err, doc)
		}
		if mode == fuzzLoggedIn && i == len(docs)-1 && !complete {
			t.Fatalf("the session's stream did not end with its end tag:\n%s", doc)
		}
	}
}

// manyNamespacedAttrs returns n attributes, each in a namespace of its own.
func manyNamespacedAttrs(n int) string {
	var b strings.Builder
	for i := range n {
		d := strconv.Itoa(i)
		b.WriteString(" xmlns:p" + d + "='urn:p:" + d + "' p" + d + ":a='" + d + "'")
	}
	return b.String()
}
