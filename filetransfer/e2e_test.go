package filetransfer_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/xml"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"chat/filetransfer"
	"chat/filetransfer/ibb"
	"chat/filetransfer/jingle"
	"chat/filetransfer/s5b"

	"mellium.im/xmpp/jid"
)

const (
	alice = "alice@example.org/term"
	bob   = "bob@example.org/phone"
)

// wireJ marshals and parses a Jingle payload as the network would.
func wireJ(t *testing.T, j jingle.Jingle) jingle.Jingle {
	t.Helper()
	b, err := jingle.Marshal(j)
	if err != nil {
		t.Fatal(err)
	}
	p, err := jingle.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// pump delivers payloads between two sessions until quiet and returns the
// events each side got.
func pump(t *testing.T, to, from *jingle.Session, out []jingle.Jingle, evTo, evFrom *[]jingle.Event) {
	t.Helper()
	for _, j := range out {
		back, ev, err := to.Handle(wireJ(t, j))
		if err != nil {
			t.Fatalf("%s: %v", j.Action, err)
		}
		*evTo = append(*evTo, ev...)
		pump(t, from, to, back, evFrom, evTo)
	}
}

func start(evs []jingle.Event) (jingle.StartTransfer, bool) {
	for _, e := range evs {
		if s, ok := e.(jingle.StartTransfer); ok {
			return s, true
		}
	}
	return jingle.StartTransfer{}, false
}

// side is one peer: its listener (when direct works) and its connections.
type side struct {
	ln       *s5b.Listener
	accepted chan net.Conn
	dialled  net.Conn
}

func newSide(t *testing.T, self, peer string, reachable bool) (*side, []jingle.Candidate) {
	s := &side{accepted: make(chan net.Conn, 1)}
	if !reachable {
		l, _ := net.Listen("tcp", "127.0.0.1:0")
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		return s, []jingle.Candidate{{CID: "dead" + self, Host: "127.0.0.1", Port: port, JID: self, Priority: 1}}
	}
	ln, err := s5b.Listen(jid.MustParse(self), []string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	s.ln = ln
	h := ln.StreamHosts()[0]
	return s, []jingle.Candidate{{CID: "c" + strconv.Itoa(h.Port), Host: h.Host, Port: h.Port, JID: self, Priority: 100}}
}

func (s *side) listen(ctx context.Context, dst string) {
	if s.ln == nil {
		return
	}
	go func() {
		c, err := s.ln.Accept(ctx, dst)
		if err == nil {
			s.accepted <- c
		}
	}()
}

// try runs the ConnectS5B event: connect to the peer's candidates.
func (s *side) try(ctx context.Context, sess *jingle.Session, evs []jingle.Event) ([]jingle.Jingle, []jingle.Event) {
	for _, e := range evs {
		c, ok := e.(jingle.ConnectS5B)
		if !ok {
			continue
		}
		var hosts []s5b.StreamHost
		for _, cd := range c.Candidates {
			hosts = append(hosts, s5b.StreamHost{JID: jid.MustParse(cd.JID), Host: cd.Host, Port: cd.Port})
		}
		conn, used, err := s5b.Connect(ctx, hosts, c.DstAddr, 5*time.Second)
		if err != nil {
			return sess.S5BFailed()
		}
		s.dialled = conn
		for _, cd := range c.Candidates {
			if cd.Port == used.Port {
				return sess.S5BConnected(cd.CID)
			}
		}
	}
	return nil, nil
}

func (s *side) conn(st jingle.StartTransfer) net.Conn {
	if st.Ours {
		return <-s.accepted
	}
	return s.dialled
}

// ibbWire carries IBB payloads from the sender to the receiver's Receiver.
type ibbWire struct{ r *ibb.Receiver }

func (w ibbWire) SendIQ(_ context.Context, p any) error {
	b, err := xml.Marshal(p)
	if err != nil {
		return err
	}
	v, err := ibb.Parse(b)
	if err != nil {
		return err
	}
	return w.r.Handle(v)
}

// transfer offers data from alice to bob over Jingle and returns where bob
// saved it and the transport used.
func transfer(t *testing.T, name string, data []byte, aliceUp, bobUp bool) (string, string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sum := sha256.Sum256(data)
	as, acands := newSide(t, alice, bob, aliceUp)
	bs, bcands := newSide(t, bob, alice, bobUp)
	as.listen(ctx, jingle.DstAddr("t1", alice, bob))
	bs.listen(ctx, jingle.DstAddr("t1", bob, alice))
	file := jingle.NewFile(name, int64(len(data)), "application/octet-stream", time.Time{}, sum[:])
	ini, j := jingle.Initiate(alice, bob, "s1", "t1", file, acands)
	res, _, err := jingle.Incoming(bob, alice, wireJ(t, j))
	if err != nil {
		t.Fatal(err)
	}
	var aev, bev []jingle.Event
	out, ev := res.Accept(bcands)
	bev = append(bev, ev...)
	pump(t, ini, res, out, &aev, &bev)
	out, ev = bs.try(ctx, res, bev)
	bev = append(bev, ev...)
	pump(t, ini, res, out, &aev, &bev)
	out, ev = as.try(ctx, ini, aev)
	aev = append(aev, ev...)
	pump(t, res, ini, out, &bev, &aev)
	ast, ok1 := start(aev)
	bst, ok2 := start(bev)
	if !ok1 || !ok2 || !ast.Send || bst.Send {
		t.Fatalf("no transfer: alice %#v bob %#v", aev, bev)
	}
	off := res.File()
	sink, err := filetransfer.Create(t.TempDir(), off.Name, off.Size, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	if bst.Via == "ibb" {
		r := ibb.NewReceiver(bst.IBB.SID, ibb.MaxBlockSize, sink)
		if _, err := ibb.Send(ctx, ibbWire{r}, ast.IBB.SID, ast.IBB.BlockSize, bytes.NewReader(data), nil); err != nil {
			t.Fatal(err)
		}
	} else {
		sc, rc := as.conn(ast), bs.conn(bst)
		go func() { filetransfer.Copy(sc, bytes.NewReader(data), nil); sc.Close() }()
		if _, err := filetransfer.Copy(sink, rc, nil); err != nil {
			t.Fatal(err)
		}
		rc.Close()
	}
	path, err := sink.Commit(off.SHA256())
	out, ev = res.TransferDone(err)
	if err != nil {
		t.Fatal(err)
	}
	pump(t, ini, res, out, &aev, &bev)
	if !ini.Done() || !res.Done() {
		t.Fatal("sessions still open")
	}
	return path, bst.Via
}

func TestJingleEndToEnd(t *testing.T) {
	data := bytes.Repeat([]byte("jingle!"), 50000)
	for _, c := range []struct {
		name           string
		aliceUp, bobUp bool
		via            string
	}{
		{"both direct", true, true, "s5b"},
		{"only alice reachable", true, false, "s5b"},
		{"only bob reachable", false, true, "s5b"},
		{"none: replaced by IBB", false, false, "ibb"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path, via := transfer(t, "../../.bashrc", data, c.aliceUp, c.bobUp)
			if via != c.via {
				t.Fatalf("via %s, want %s", via, c.via)
			}
			if filepath.Base(path) != "bashrc" {
				t.Fatalf("saved as %s", path)
			}
			got, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("saved %d bytes, %v", len(got), err)
			}
		})
	}
}

func TestJingleEmptyFile(t *testing.T) {
	path, _ := transfer(t, "empty", nil, true, true)
	if fi, err := os.Stat(path); err != nil || fi.Size() != 0 {
		t.Fatalf("%v %v", fi, err)
	}
}
