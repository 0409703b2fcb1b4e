package client

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/dns/dnsmessage"
)

// fakeDNS answers SRV queries on loopback UDP from a table, and A queries
// for localhost; every other name gets NXDOMAIN. No query leaves the
// machine.
type fakeDNS struct {
	conn net.PacketConn
	srv  map[string]string // "_xmpp-client._tcp.localhost." → "127.0.0.1:5222"
}

func startFakeDNS(t *testing.T, records map[string]string) *net.Resolver {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeDNS{conn: pc, srv: records}
	go f.serve()
	t.Cleanup(func() { pc.Close() })
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", pc.LocalAddr().String())
	}}
}

func (f *fakeDNS) serve() {
	buf := make([]byte, 1500)
	for {
		n, addr, err := f.conn.ReadFrom(buf)
		if err != nil {
			return
		}
		if out, err := f.answer(buf[:n]); err == nil {
			f.conn.WriteTo(out, addr)
		}
	}
}

func (f *fakeDNS) answer(req []byte) ([]byte, error) {
	var p dnsmessage.Parser
	h, err := p.Start(req)
	if err != nil {
		return nil, err
	}
	q, err := p.Question()
	if err != nil {
		return nil, err
	}
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true})
	b.EnableCompression()
	name := strings.ToLower(q.Name.String())
	if q.Type == dnsmessage.TypeA && name == "localhost." {
		b.StartQuestions()
		b.Question(q)
		b.StartAnswers()
		b.AResource(dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET, TTL: 60},
			dnsmessage.AResource{A: [4]byte{127, 0, 0, 1}})
		return b.Finish()
	}
	target, ok := f.srv[name]
	if !ok || q.Type != dnsmessage.TypeSRV {
		b = dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: h.ID, Response: true, RCode: dnsmessage.RCodeNameError})
		b.StartQuestions()
		b.Question(q)
		return b.Finish()
	}
	b.StartQuestions()
	b.Question(q)
	b.StartAnswers()
	host, port, _ := net.SplitHostPort(target)
	pn, _ := strconv.Atoi(port)
	b.SRVResource(dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET, TTL: 60},
		dnsmessage.SRVResource{Priority: 0, Weight: 1, Port: uint16(pn), Target: dnsmessage.MustNewName(host + ".")})
	return b.Finish()
}

func TestSRVLookupPrefersDirectTLS(t *testing.T) {
	needProsody(t)
	_, tlsPort, _ := net.SplitHostPort(srv.DirectTLSAddr())
	_, plainPort, _ := net.SplitHostPort(srv.Addr())
	resolver := startFakeDNS(t, map[string]string{
		"_xmpps-client._tcp.localhost.": "localhost:" + tlsPort,
		"_xmpp-client._tcp.localhost.":  "localhost:" + plainPort,
	})
	p := newPeer(t, func(c *Config) { c.Server, c.Resolver = "", resolver })
	c := p.online()
	if !strings.Contains(c.TLS, "direct TLS") || !strings.HasSuffix(c.Server, ":"+tlsPort) {
		t.Errorf("connected via %s (%s); want direct TLS to port %s from _xmpps-client", c.Server, c.TLS, tlsPort)
	}
}

func TestSRVLookupFallsBackToStartTLS(t *testing.T) {
	needProsody(t)
	_, plainPort, _ := net.SplitHostPort(srv.Addr())
	resolver := startFakeDNS(t, map[string]string{
		"_xmpp-client._tcp.localhost.": "localhost:" + plainPort,
	})
	p := newPeer(t, func(c *Config) { c.Server, c.Resolver = "", resolver })
	c := p.online()
	if !strings.Contains(c.TLS, "STARTTLS") || !strings.HasSuffix(c.Server, ":"+plainPort) {
		t.Errorf("connected via %s (%s); want STARTTLS to port %s from _xmpp-client", c.Server, c.TLS, plainPort)
	}
}
