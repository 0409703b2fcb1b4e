package ibb

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"testing"
)

// wire is an IQSender that marshals each payload, parses it back as the
// peer would and feeds the peer's Receiver, answering with its error.
type wire struct {
	r     *Receiver
	iqs   int
	after int // fail every IQ after this many (0: never)
}

func (w *wire) SendIQ(ctx context.Context, p any) error {
	w.iqs++
	if w.after > 0 && w.iqs > w.after {
		return errors.New("remote-server-not-found")
	}
	b, err := xml.Marshal(p)
	if err != nil {
		return err
	}
	v, err := Parse(b)
	if err != nil {
		return err
	}
	return w.r.Handle(v)
}

func TestRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 4095, 4096, 4097, 300000} {
		src := bytes.Repeat([]byte{0xA5, 1, 2}, n/3+1)[:n]
		var got bytes.Buffer
		w := &wire{r: NewReceiver("s", DefaultBlockSize, &got)}
		sent, err := Send(context.Background(), w, "s", DefaultBlockSize, bytes.NewReader(src), nil)
		if err != nil || sent != int64(n) {
			t.Fatalf("%d: sent %d, %v", n, sent, err)
		}
		if !bytes.Equal(got.Bytes(), src) || !w.r.Closed() {
			t.Fatalf("%d: received %d bytes, closed %v", n, got.Len(), w.r.Closed())
		}
	}
}

// Sequence numbers wrap at 65535 as XEP-0047 says.
func TestSeqWraps(t *testing.T) {
	var got bytes.Buffer
	w := &wire{r: NewReceiver("s", 1, &got)}
	src := bytes.Repeat([]byte{7}, 70000)
	if _, err := Send(context.Background(), w, "s", 1, bytes.NewReader(src), nil); err != nil {
		t.Fatal(err)
	}
	if got.Len() != len(src) {
		t.Fatalf("got %d", got.Len())
	}
}

func TestReceiverRefuses(t *testing.T) {
	var sink bytes.Buffer
	r := NewReceiver("s", 4096, &sink)
	if err := r.Handle(Data{SID: "s", Data: []byte("x")}); !errors.Is(err, ErrUnexpected) {
		t.Fatalf("data before open: %v", err)
	}
	r = NewReceiver("s", 4096, &sink)
	if err := r.Handle(Open{SID: "s", BlockSize: 8192}); !errors.Is(err, ErrNotAcceptable) {
		t.Fatalf("big block: %v", err)
	}
	if err := r.Handle(Open{SID: "other", BlockSize: 10}); !errors.Is(err, ErrUnknownSID) {
		t.Fatalf("other sid: %v", err)
	}
	if err := r.Handle(Open{SID: "s", BlockSize: 10}); err != nil {
		t.Fatal(err)
	}
	if err := r.Handle(Data{SID: "s", Seq: 0, Data: make([]byte, 11)}); !errors.Is(err, ErrBadBlock) {
		t.Fatalf("long block: %v", err)
	}
	r = NewReceiver("s", 4096, &sink)
	r.Handle(Open{SID: "s", BlockSize: 10})
	r.Handle(Data{SID: "s", Seq: 0, Data: []byte("a")})
	if err := r.Handle(Data{SID: "s", Seq: 0, Data: []byte("a")}); !errors.Is(err, ErrUnexpected) {
		t.Fatalf("repeated seq: %v", err)
	}
}

type limited struct{ left int }

var errFull = errors.New("full")

func (l *limited) Write(p []byte) (int, error) {
	if len(p) > l.left {
		return 0, errFull
	}
	l.left -= len(p)
	return len(p), nil
}

// A sink refusing more bytes (overrun or size limit) stops the stream; the
// sender sees the error on its data IQ and closes.
func TestSinkErrorStopsSender(t *testing.T) {
	w := &wire{r: NewReceiver("s", 4096, &limited{left: 5000})}
	n, err := Send(context.Background(), w, "s", 4096, bytes.NewReader(make([]byte, 20000)), nil)
	if !errors.Is(err, errFull) || n != 4096 {
		t.Fatalf("sent %d, %v", n, err)
	}
}

// The peer vanishing (every IQ fails) ends Send with an error.
func TestPeerVanishes(t *testing.T) {
	w := &wire{r: NewReceiver("s", 4096, io.Discard), after: 3}
	if _, err := Send(context.Background(), w, "s", 4096, bytes.NewReader(make([]byte, 100000)), nil); err == nil {
		t.Fatal("no error")
	}
}

func TestParseRefuses(t *testing.T) {
	for _, in := range []string{
		`<open xmlns='http://jabber.org/protocol/ibb' sid='s' block-size='70000'/>`,
		`<open xmlns='http://jabber.org/protocol/ibb' sid='' block-size='10'/>`,
		`<data xmlns='http://jabber.org/protocol/ibb' sid='s' seq='0'>!!!</data>`,
		`<data xmlns='http://jabber.org/protocol/ibb' sid='s' seq='70000'>AA==</data>`,
		`<close xmlns='other' sid='s'/>`,
		`<iq/>`,
	} {
		if _, err := Parse([]byte(in)); err == nil {
			t.Errorf("accepted %s", in)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`<open xmlns='http://jabber.org/protocol/ibb' sid='s' block-size='4096' stanza='iq'/>`))
	f.Add([]byte(`<data xmlns='http://jabber.org/protocol/ibb' sid='s' seq='3'>aGVsbG8=</data>`))
	f.Add([]byte(`<close xmlns='http://jabber.org/protocol/ibb' sid='s'/>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := Parse(b)
		if err != nil {
			return
		}
		r := NewReceiver("s", 4096, io.Discard)
		r.Handle(Open{SID: "s", BlockSize: 4096})
		r.Handle(v)
	})
}

func BenchmarkIBB(b *testing.B) {
	src := make([]byte, 8<<20)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		w := &wire{r: NewReceiver("s", DefaultBlockSize, io.Discard)}
		if _, err := Send(context.Background(), w, "s", DefaultBlockSize, bytes.NewReader(src), nil); err != nil {
			b.Fatal(err)
		}
	}
}
