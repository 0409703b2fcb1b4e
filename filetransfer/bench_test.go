package filetransfer_test

import (
	"context"
	"crypto/sha256"
	"io"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"chat/filetransfer"
	"chat/filetransfer/socks5"
)

const benchBytes = 256 << 20

// pairFunc returns two connected ends: the sender's and the receiver's.
type pairFunc func(b *testing.B) (net.Conn, net.Conn)

func tcpPair(b *testing.B) (net.Conn, net.Conn) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	ch := make(chan net.Conn, 1)
	go func() {
		c, _ := l.Accept()
		ch <- c
	}()
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	return c, <-ch
}

func directPair(b *testing.B) (net.Conn, net.Conn) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	ch := make(chan net.Conn, 1)
	go func() {
		c, err := l.Accept()
		if err == nil {
			_, err = socks5.Accept(context.Background(), c, func(string) bool { return true })
		}
		if err != nil {
			b.Error(err)
		}
		ch <- c
	}()
	c, err := socks5.Dial(context.Background(), l.Addr().String(), socks5.DstAddr("s", "a@x/1", "b@y/2"))
	if err != nil {
		b.Fatal(err)
	}
	return <-ch, c
}

func relayPair(r *socks5.Relay, addr string) pairFunc {
	return func(b *testing.B) (net.Conn, net.Conn) {
		dst := socks5.DstAddr(b.Name()+time.Now().String(), "a@x/1", "b@y/2")
		t, err := socks5.Dial(context.Background(), addr, dst)
		if err != nil {
			b.Fatal(err)
		}
		i, err := socks5.Dial(context.Background(), addr, dst)
		if err != nil {
			b.Fatal(err)
		}
		if err := r.Activate(dst); err != nil {
			b.Fatal(err)
		}
		return i, t
	}
}

// move sends n bytes from one end to the other with the bounded-buffer
// copy on both sides, hashing at the receiver as a transfer does.
func move(b *testing.B, pair pairFunc, n int64) {
	s, r := pair(b)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		filetransfer.Copy(s, io.LimitReader(zeros{}, n), nil)
		s.Close()
	}()
	h := sha256.New()
	got, err := filetransfer.Copy(h, r, nil)
	r.Close()
	wg.Wait()
	if err != nil || got != n {
		b.Fatalf("moved %d of %d: %v", got, n, err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// BenchmarkTransfer reports MB/s for a plain TCP copy, SOCKS5 direct and
// SOCKS5 through the relay, in the same run; compare the three.
func BenchmarkTransfer(b *testing.B) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	r := socks5.NewRelay()
	go r.Serve(l)
	defer func() { l.Close(); r.Close() }()
	for _, c := range []struct {
		name string
		pair pairFunc
	}{{"tcp", tcpPair}, {"socks5-direct", directPair}, {"socks5-relay", relayPair(r, l.Addr().String())}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(benchBytes)
			for b.Loop() {
				move(b, c.pair, benchBytes)
			}
		})
	}
}

// BenchmarkMemory1GiB moves 1 GiB through the relay into a Sink on disk
// and reports the peak heap in use while it runs (sampled), which must not
// grow with the file.
func BenchmarkMemory1GiB(b *testing.B) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	r := socks5.NewRelay()
	go r.Serve(l)
	defer func() { l.Close(); r.Close() }()
	const n = 1 << 30
	for b.Loop() {
		var peak atomic.Uint64
		stop := make(chan struct{})
		done := make(chan struct{})
		go sampleHeap(&peak, stop, done)
		s, c := relayPair(r, l.Addr().String())(b)
		go func() {
			filetransfer.Copy(s, io.LimitReader(zeros{}, n), nil)
			s.Close()
		}()
		sink, err := filetransfer.Create(b.TempDir(), "big.bin", n, n)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := filetransfer.Copy(sink, c, nil); err != nil {
			b.Fatal(err)
		}
		if _, err := sink.Commit(nil); err != nil {
			b.Fatal(err)
		}
		c.Close()
		close(stop)
		<-done
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
		b.SetBytes(n)
	}
}

func sampleHeap(peak *atomic.Uint64, stop, done chan struct{}) {
	defer close(done)
	var ms runtime.MemStats
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		runtime.ReadMemStats(&ms)
		if ms.HeapInuse > peak.Load() {
			peak.Store(ms.HeapInuse)
		}
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}
