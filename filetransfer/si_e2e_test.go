package filetransfer_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"chat/filetransfer"
	"chat/filetransfer/ibb"
	"chat/filetransfer/si"
)

// siOverIBB offers announced bytes by SI, the receiver picks IBB, and the
// sender then sends data (which may be longer than announced).
func siOverIBB(t *testing.T, dir, name string, announced int64, data []byte) (string, error) {
	b, err := si.Marshal(si.Offer("si-1", "application/octet-stream", si.NewFile(name, announced, time.Time{}, ""), si.Bytestreams, si.IBB))
	if err != nil {
		t.Fatal(err)
	}
	offer, err := si.Parse(b)
	if err != nil || !offer.IsOffer() {
		t.Fatalf("offer: %v", err)
	}
	m := si.Choose(offer.Methods, si.IBB)
	b, _ = si.Marshal(si.Answer(m))
	ans, err := si.Parse(b)
	if err != nil || ans.Methods[0] != si.IBB {
		t.Fatalf("answer %+v %v", ans, err)
	}
	sink, err := filetransfer.Create(dir, offer.File.Name, offer.File.Size, 1<<20)
	if err != nil {
		return "", err
	}
	r := ibb.NewReceiver(offer.ID, ibb.DefaultBlockSize, sink)
	if _, err := ibb.Send(context.Background(), ibbWire{r}, offer.ID, ibb.DefaultBlockSize, bytes.NewReader(data), nil); err != nil {
		sink.Abort()
		return "", err
	}
	return sink.Commit(nil)
}

func TestSIOverIBB(t *testing.T) {
	dir := t.TempDir()
	data := bytes.Repeat([]byte{9}, 10000)
	p, err := siOverIBB(t, dir, "a\u0085[red]b.txt", int64(len(data)), data)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(p) != "a(red)b.txt" {
		t.Fatalf("saved as %q", p)
	}
	if got, _ := os.ReadFile(p); !bytes.Equal(got, data) {
		t.Fatal("content differs")
	}
}

// A peer sending more than it announced is cut off and nothing is saved.
func TestSIMoreThanAnnounced(t *testing.T) {
	dir := t.TempDir()
	_, err := siOverIBB(t, dir, "x.bin", 5000, make([]byte, 9000))
	if !errors.Is(err, filetransfer.ErrOverrun) {
		t.Fatalf("err = %v", err)
	}
	if es, _ := os.ReadDir(dir); len(es) != 0 {
		t.Fatalf("left %d files", len(es))
	}
}

// An offer over the size limit is refused before any byte moves.
func TestSIOverLimit(t *testing.T) {
	dir := t.TempDir()
	if _, err := siOverIBB(t, dir, "x.bin", 2<<20, nil); !errors.Is(err, filetransfer.ErrTooLarge) {
		t.Fatalf("err = %v", err)
	}
}
