package jingle

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"
	"time"
)

const (
	romeo  = "romeo@montague.example/home"
	juliet = "juliet@capulet.example/balcony"
)

// wire marshals and parses a payload as it would cross the network.
func wire(t *testing.T, j Jingle) Jingle {
	t.Helper()
	b, err := Marshal(j)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(b)
	if err != nil {
		t.Fatalf("parse %s: %v", b, err)
	}
	return p
}

// deliver hands each payload to the other session, collecting its events
// and passing its answers back until quiet.
func deliver(t *testing.T, to, from *Session, out []Jingle) (toEv, fromEv []Event) {
	t.Helper()
	for len(out) > 0 {
		j := wire(t, out[0])
		out = out[1:]
		back, ev, err := to.Handle(j)
		if err != nil {
			t.Fatalf("%s: %v", j.Action, err)
		}
		toEv = append(toEv, ev...)
		if len(back) > 0 {
			fe, te := deliver(t, from, to, back)
			fromEv = append(fromEv, fe...)
			toEv = append(toEv, te...)
		}
	}
	return toEv, fromEv
}

func find1[T any](t *testing.T, evs []Event) T {
	t.Helper()
	for _, e := range evs {
		if v, ok := e.(T); ok {
			return v
		}
	}
	var z T
	t.Fatalf("no %T in %#v", z, evs)
	return z
}

var sum = sha256.Sum256([]byte("hello"))

func offer(t *testing.T, cands []Candidate) (*Session, *Session) {
	t.Helper()
	date := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	f := NewFile("../x [red].txt", 5, "text/plain", date, sum[:])
	ini, j := Initiate(romeo, juliet, "sid1", "t1", f, cands)
	res, ev, err := Incoming(juliet, romeo, wire(t, j))
	if err != nil {
		t.Fatal(err)
	}
	got := find1[Offered](t, ev).File
	if got.Name != "../x [red].txt" || got.Size != 5 || got.MediaType != "text/plain" || !got.Time().Equal(date) || !bytes.Equal(got.SHA256(), sum[:]) {
		t.Fatalf("offer parsed as %+v", got)
	}
	return ini, res
}

func TestS5BDirect(t *testing.T) {
	ini, res := offer(t, []Candidate{{CID: "i1", Host: "127.0.0.1", Port: 1000, JID: romeo, Priority: 100}})
	acc, rev := res.Accept([]Candidate{{CID: "r1", Host: "127.0.0.1", Port: 2000, JID: juliet, Priority: 200}})
	c := find1[ConnectS5B](t, rev)
	if c.DstAddr != DstAddr("t1", romeo, juliet) || c.Candidates[0].CID != "i1" {
		t.Fatalf("responder connects with %+v", c)
	}
	iev, _ := deliver(t, ini, res, acc)
	c = find1[ConnectS5B](t, iev)
	if c.DstAddr != DstAddr("t1", juliet, romeo) || c.Candidates[0].CID != "r1" {
		t.Fatalf("initiator connects with %+v", c)
	}
	// Both connect; the responder's candidate has the higher priority.
	out, _ := res.S5BConnected("i1")
	deliver(t, ini, res, out)
	out, iev = ini.S5BConnected("r1")
	rev, _ = deliver(t, res, ini, out)
	is, rs := find1[StartTransfer](t, iev), find1[StartTransfer](t, rev)
	if is.CID != "r1" || rs.CID != "r1" || is.Ours || !rs.Ours || !is.Send || rs.Send {
		t.Fatalf("initiator %+v responder %+v", is, rs)
	}
	out, rev = res.TransferDone(nil)
	if find1[Ended](t, rev).Reason.Cond != Success {
		t.Fatal("responder did not end with success")
	}
	iev, _ = deliver(t, ini, res, out)
	if e := find1[Ended](t, iev); e.Reason.Cond != Success || !e.ByPeer || !ini.Done() {
		t.Fatalf("initiator ended with %+v", e)
	}
}

func TestFallbackToIBB(t *testing.T) {
	ini, res := offer(t, []Candidate{{CID: "i1", Host: "10.9.9.9", Port: 1000, JID: romeo, Priority: 1}})
	acc, _ := res.Accept(nil)
	deliver(t, ini, res, acc)
	out, _ := res.S5BFailed()
	deliver(t, ini, res, out)
	out, _ = ini.S5BFailed()
	if len(out) != 2 || out[1].Action != TransportReplace || out[1].Contents[0].IBB == nil {
		t.Fatalf("initiator sent %+v", out)
	}
	rev, iev := deliver(t, res, ini, out)
	is, rs := find1[StartTransfer](t, iev), find1[StartTransfer](t, rev)
	if is.Via != "ibb" || rs.Via != "ibb" || !is.Send || rs.Send || is.IBB != rs.IBB || is.IBB.BlockSize == 0 {
		t.Fatalf("initiator %+v responder %+v", is, rs)
	}
}

func TestIBBOnly(t *testing.T) {
	ini, res := offer(t, nil)
	acc, rev := res.Accept(nil)
	rs := find1[StartTransfer](t, rev)
	iev, _ := deliver(t, ini, res, acc)
	is := find1[StartTransfer](t, iev)
	if is.Via != "ibb" || rs.Via != "ibb" || is.IBB.SID != "t1" {
		t.Fatalf("initiator %+v responder %+v", is, rs)
	}
	// A hash mismatch at the receiver ends with media-error on both sides.
	out, _ := res.TransferDone(errors.New("SHA-256 does not match"))
	iev, _ = deliver(t, ini, res, out)
	if e := find1[Ended](t, iev); e.Reason.Cond != MediaError || !strings.Contains(e.Reason.Text, "SHA-256") {
		t.Fatalf("initiator ended with %+v", e)
	}
}

func TestReject(t *testing.T) {
	ini, res := offer(t, nil)
	iev, _ := deliver(t, ini, res, res.Reject())
	if find1[Ended](t, iev).Reason.Cond != Decline {
		t.Fatal("not declined")
	}
	if _, _, err := ini.Handle(wire(t, Jingle{Action: SessionAccept, SID: "sid1"})); err == nil {
		t.Fatal("an ended session accepted more")
	}
}

func TestProxyCandidate(t *testing.T) {
	ini, res := offer(t, []Candidate{{CID: "p1", Host: "127.0.0.1", Port: 7777, JID: "proxy.example", Priority: 10, Type: "proxy"}})
	acc, _ := res.Accept(nil)
	deliver(t, ini, res, acc)
	out, _ := ini.S5BFailed()
	deliver(t, res, ini, out)
	out, _ = res.S5BConnected("p1")
	iev, _ := deliver(t, ini, res, out)
	a := find1[ActivateProxy](t, iev)
	if a.Candidate.CID != "p1" || a.DstAddr != DstAddr("t1", romeo, juliet) {
		t.Fatalf("activate %+v", a)
	}
	out, iev = ini.ProxyActivated(nil)
	rev, _ := deliver(t, res, ini, out)
	if find1[StartTransfer](t, iev).CID != "p1" || find1[StartTransfer](t, rev).CID != "p1" {
		t.Fatal("transfer did not start on the proxy")
	}
}

func TestHandleRefuses(t *testing.T) {
	ini, res := offer(t, []Candidate{{CID: "i1", Host: "h", Port: 1, JID: romeo}})
	if _, _, err := res.Handle(Jingle{Action: TransportAccept, SID: "sid1"}); err == nil {
		t.Error("transport-accept at the responder accepted")
	}
	if _, _, err := ini.Handle(Jingle{Action: SessionAccept, SID: "other"}); err == nil {
		t.Error("another sid accepted")
	}
	acc, _ := res.Accept(nil)
	deliver(t, ini, res, acc)
	bad := Jingle{Action: TransportInfo, SID: "sid1", Contents: []Content{{Name: "file", S5B: &S5B{SID: "t1", CandidateUsed: &CID{"nope"}}}}}
	if _, _, err := res.Handle(bad); err == nil {
		t.Error("candidate-used for an unknown candidate accepted")
	}
}

// A session-initiate naming another initiator than its sender is refused.
func TestIncomingChecksInitiator(t *testing.T) {
	_, j := Initiate(romeo, juliet, "s", "t", NewFile("a", 1, "", time.Time{}, nil), nil)
	if _, _, err := Incoming(juliet, "mallory@evil.example/x", wire(t, j)); err == nil {
		t.Fatal("accepted an offer whose initiator is someone else")
	}
}

func TestParseRefuses(t *testing.T) {
	cand := func(attrs string) string {
		return `<jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='s'><content creator='initiator' name='f'><transport xmlns='urn:xmpp:jingle:transports:s5b:1' sid='t'><candidate ` + attrs + `/></transport></content></jingle>`
	}
	for _, in := range []string{
		`<jingle xmlns='urn:xmpp:jingle:1' action='content-add' sid='s'/>`,
		`<jingle xmlns='urn:xmpp:jingle:1' action='session-initiate'/>`,
		`<jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='s'><content name='a'/><content name='b'/></jingle>`,
		cand(`cid='c' host='h' jid='a@b' port='0'`),
		cand(`cid='' host='h' jid='a@b' port='5'`),
		cand(`cid='c' host='h' jid='a@b' port='5' type='udp'`),
		`<jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='s'><content name='a'><transport xmlns='urn:xmpp:jingle:transports:ibb:1' sid='x' block-size='0'/></content></jingle>`,
		`<jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='s'><content name='a'><description xmlns='urn:xmpp:jingle:apps:file-transfer:5'><file><size>-1</size></file></description></content></jingle>`,
		`<jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='` + strings.Repeat("s", MaxJingle) + `'/>`,
	} {
		if _, err := Parse([]byte(in)); err == nil {
			t.Errorf("accepted %.200s", in)
		}
	}
}

func TestReasonRoundTrip(t *testing.T) {
	j := wire(t, Jingle{Action: SessionTerminate, SID: "s", Reason: &Reason{Cond: Decline, Text: "no thanks"}})
	if j.Reason == nil || j.Reason.Cond != Decline || j.Reason.Text != "no thanks" {
		t.Fatalf("reason %+v", j.Reason)
	}
}

func FuzzParse(f *testing.F) {
	_, j := Initiate(romeo, juliet, "s", "t", NewFile("a.txt", 3, "text/plain", time.Now(), sum[:]), []Candidate{{CID: "c", Host: "h", Port: 1, JID: romeo, Priority: 5}})
	b, _ := Marshal(j)
	f.Add(b)
	b, _ = Marshal(Jingle{Action: SessionTerminate, SID: "s", Reason: &Reason{Cond: Success}})
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		j, err := Parse(b)
		if err != nil {
			return
		}
		if len(j.Contents) > 1 {
			t.Fatal("two contents")
		}
		if j.Action == SessionInitiate {
			if s, _, err := Incoming(juliet, romeo, j); err == nil {
				s.Accept(nil)
				s.S5BFailed()
			}
		}
	})
}
