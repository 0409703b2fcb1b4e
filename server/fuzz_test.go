package server

import (
	"net"
	"strings"
	"testing"
	"time"
)

const fuzzHeader = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>"

// FuzzConn feeds arbitrary bytes to a connection: before login when the
// first byte is even, after login (as alice) when it is odd. The server
// must not panic or hang, and another session must keep working.
func FuzzConn(f *testing.F) {
	for _, seed := range []string{
		"\x00" + fuzzHeader + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>",
		"\x00" + fuzzHeader + "<message to='bob@localhost'><body>early</body></message>",
		"\x00<stream:stream xmlns='jabber:server' version='2.0'>",
		"\x00" + fuzzHeader + "</stream:stream>",
		"\x00\xff\xfe\x00garbage",
		"\x01<message to='dave@localhost' type='chat'><body>hi</body></message>",
		"\x01<presence/><presence type='unavailable'/><presence to='bob@localhost' type='subscribe'/>",
		"\x01<iq type='set' id='1'><query xmlns='jabber:iq:roster'><item jid='bob@localhost' subscription='remove'/></query></iq>",
		"\x01<iq type='get' id='2' to='localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>",
		"\x01<iq type='result' id='3' to='bob@localhost/x'/><iq type='get' id='4'/>",
		"\x01<message to='a@b@c'><body>x</body></message><message to=''/>",
		"\x01" + strings.Repeat("<a>", 200),
		"\x01<message xmlns:x='urn:x' x:attr='1' xml:lang='en'><x:thing/></message>",
		"\x01<foo xmlns='urn:unknown'/>",
		"\x01</stream:stream>",
	} {
		f.Add([]byte(seed))
	}
	ts := startServer(f, func(c *Config) { c.HandshakeTimeout = 2 * time.Second; c.MaxStanza = 16 << 10 })
	watcher := ts.raw(f, "dave", "watch")
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		var conn net.Conn
		if data[0]&1 == 0 {
			c, err := net.Dial("tcp", ts.addr)
			if err != nil {
				t.Fatal(err)
			}
			conn = c
		} else {
			conn = ts.raw(t, "alice", "fuzz").conn
		}
		_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
		_, _ = conn.Write(data[1:])
		drain(conn)
		conn.Close()
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

// drain reads what the server sends for a moment, so that it is not
// blocked writing to us.
func drain(c net.Conn) {
	_ = c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	buf := make([]byte, 4096)
	for {
		if _, err := c.Read(buf); err != nil {
			return
		}
	}
}
