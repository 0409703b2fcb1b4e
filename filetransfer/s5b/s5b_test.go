package s5b

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"chat/filetransfer/socks5"

	"mellium.im/xmpp/jid"
)

var (
	initiator = jid.MustParse("romeo@montague.example/home")
	target    = jid.MustParse("juliet@capulet.example/balcony")
	proxyJID  = jid.MustParse("proxy.example")
)

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestQueryRoundTrip(t *testing.T) {
	hosts := []StreamHost{{initiator, "127.0.0.1", 1234}, {proxyJID, "::1", 7777}}
	for _, p := range []Payload{Offer("s1", hosts), Used("s1", proxyJID), Activate("s1", target), ProxyAnswer(hosts[1]), ProxyRequest()} {
		b, err := Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		q, err := ParseQuery(b)
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		switch {
		case len(p.Hosts) == 2 && (len(q.StreamHosts) != 2 || q.StreamHosts[1].Addr() != "[::1]:7777" || q.SID != "s1"):
			t.Errorf("offer parsed as %+v", q)
		case p.Used != nil && !q.Used.Equal(proxyJID):
			t.Errorf("used parsed as %+v", q)
		case p.Activate != "" && !q.Activate.Equal(target):
			t.Errorf("activate parsed as %+v", q)
		}
	}
}

func TestParseQueryRefuses(t *testing.T) {
	many := `<query xmlns='` + NS + `' sid='s'>` + strings.Repeat(`<streamhost jid='a.example' host='h' port='1'/>`, MaxStreamHosts+1) + `</query>`
	for name, in := range map[string]string{
		"other ns":    `<query xmlns='jabber:iq:roster'/>`,
		"bad port":    `<query xmlns='` + NS + `'><streamhost jid='a.example' host='h' port='70000'/></query>`,
		"no host":     `<query xmlns='` + NS + `'><streamhost jid='a.example' port='1'/></query>`,
		"bad jid":     `<query xmlns='` + NS + `'><streamhost jid='@' host='h' port='1'/></query>`,
		"udp":         `<query xmlns='` + NS + `' mode='udp'/>`,
		"too many":    many,
		"too big":     `<query xmlns='` + NS + `' sid='` + strings.Repeat("x", MaxQuery) + `'/>`,
		"not xml":     `<query`,
		"bad used":    `<query xmlns='` + NS + `'><streamhost-used jid=''/></query>`,
		"bad activat": `<query xmlns='` + NS + `'><activate>@@</activate></query>`,
	} {
		if _, err := ParseQuery([]byte(in)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// sendHashed writes n pseudo-random bytes to c, closes it, and returns
// their SHA-256.
func sendHashed(c net.Conn, n int64) [32]byte {
	h := sha256.New()
	w := io.MultiWriter(c, h)
	io.CopyN(w, zeroRand{}, n)
	c.Close()
	var s [32]byte
	copy(s[:], h.Sum(nil))
	return s
}

type zeroRand struct{}

func (zeroRand) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(i*7 + 3)
	}
	return len(p), nil
}

func TestDirect(t *testing.T) {
	ctx := ctxT(t)
	ln, err := Listen(initiator, []string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dst := socks5.DstAddr("sid1", initiator.String(), target.String())
	hosts := ln.StreamHosts()
	type res struct {
		c   net.Conn
		err error
	}
	acc := make(chan res, 1)
	go func() {
		c, err := ln.Accept(ctx, dst)
		acc <- res{c, err}
	}()
	// A stranger with another DST.ADDR comes first and is refused.
	if _, err := socks5.Dial(ctx, hosts[0].Addr(), socks5.DstAddr("other", initiator.String(), target.String())); err == nil {
		t.Fatal("wrong DST.ADDR accepted")
	}
	// An unreachable streamhost first: the target goes on to the next.
	dead := StreamHost{initiator, "127.0.0.1", closedPort(t)}
	tc, used, err := Connect(ctx, append([]StreamHost{dead}, hosts...), dst, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if used.Port != hosts[0].Port {
		t.Fatalf("used %v", used)
	}
	r := <-acc
	if r.err != nil {
		t.Fatal(r.err)
	}
	for _, n := range []int64{1 << 20} {
		want := make(chan [32]byte, 1)
		go func() { want <- sendHashed(r.c, n) }()
		h := sha256.New()
		got, err := io.Copy(h, tc)
		if err != nil || got != n || !bytes.Equal(h.Sum(nil), func() []byte { w := <-want; return w[:] }()) {
			t.Fatalf("received %d of %d bytes, %v", got, n, err)
		}
	}
}

func closedPort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return p
}

func TestConnectNoneReachable(t *testing.T) {
	_, _, err := Connect(ctxT(t), []StreamHost{{initiator, "127.0.0.1", closedPort(t)}}, "x", time.Second)
	if err == nil {
		t.Fatal("no error")
	}
	if _, _, err := Connect(ctxT(t), nil, "x", time.Second); err == nil {
		t.Fatal("no error without streamhosts")
	}
}

func TestAcceptEndsWithContext(t *testing.T) {
	ln, err := Listen(initiator, []string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ln.Accept(ctx, "x"); err == nil {
		t.Fatal("Accept returned a connection after its context ended")
	}
}

// startRelay runs a proxy65-style relay on loopback.
func startRelay(t testing.TB) (*socks5.Relay, StreamHost) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := socks5.NewRelay()
	go r.Serve(l)
	t.Cleanup(func() { l.Close(); r.Close() })
	a := l.Addr().(*net.TCPAddr)
	return r, StreamHost{proxyJID, "127.0.0.1", a.Port}
}

func TestMediated(t *testing.T) {
	ctx := ctxT(t)
	relay, proxy := startRelay(t)
	dst := socks5.DstAddr("sid2", initiator.String(), target.String())
	// The target connects to the proxy offered and answers streamhost-used.
	tc, used, err := Connect(ctx, []StreamHost{proxy}, dst, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	ic, act, err := Mediated(ctx, used, "sid2", dst, target)
	if err != nil {
		t.Fatal(err)
	}
	// What the proxy does with the activate IQ from the initiator.
	b, _ := Marshal(act)
	q, err := ParseQuery(b)
	if err != nil {
		t.Fatal(err)
	}
	pd, err := ActivateDst(q, initiator)
	if err != nil || pd != dst {
		t.Fatalf("proxy computed %q, %v", pd, err)
	}
	if err := relay.Activate(pd); err != nil {
		t.Fatal(err)
	}
	want := make(chan [32]byte, 1)
	go func() { want <- sendHashed(ic, 3<<20+1) }()
	h := sha256.New()
	n, err := io.Copy(h, tc)
	w := <-want
	if err != nil || n != 3<<20+1 || !bytes.Equal(h.Sum(nil), w[:]) {
		t.Fatalf("received %d bytes, %v", n, err)
	}
}

// The initiator vanishing mid-transfer shows as a short stream at the
// target, which the size check above it turns into a failure.
func TestPeerVanishes(t *testing.T) {
	ctx := ctxT(t)
	relay, proxy := startRelay(t)
	dst := socks5.DstAddr("sid3", initiator.String(), target.String())
	tc, _, err := Connect(ctx, []StreamHost{proxy}, dst, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	ic, _, err := Mediated(ctx, proxy, "sid3", dst, target)
	if err != nil {
		t.Fatal(err)
	}
	if err := relay.Activate(dst); err != nil {
		t.Fatal(err)
	}
	go func() {
		ic.Write(make([]byte, 1000))
		ic.(*net.TCPConn).SetLinger(0)
		ic.Close()
	}()
	n, _ := io.Copy(io.Discard, tc)
	if n >= 1<<20 {
		t.Fatalf("read %d bytes", n)
	}
}
