package server

import (
	"fmt"
	"io"
	"net"
	"runtime"
	"testing"
	"time"
)

// BenchmarkRoute measures messages routed per second from one client to
// another over loopback (both TLS, one server, one sender, one reader).
func BenchmarkRoute(b *testing.B) {
	ts := startServer(b, func(c *Config) { c.QueueSize = 4096 })
	alice, bob := ts.raw(b, "alice", "a"), ts.raw(b, "bob", "b")
	msg := "<message to='bob@localhost/b' type='chat'><body>hello, this is a short chat line</body></message>"
	b.ResetTimer()
	start := time.Now()
	errc := make(chan error, 1)
	go func() {
		batch := ""
		for i := 0; i < b.N; i++ {
			batch += msg
			if len(batch) > 16<<10 || i == b.N-1 {
				if _, err := io.WriteString(alice.conn, batch); err != nil {
					errc <- err
					return
				}
				batch = ""
			}
		}
		errc <- nil
	}()
	for i := 0; i < b.N; i++ {
		_ = bob.conn.SetReadDeadline(time.Now().Add(30 * time.Second))
		n, err := bob.r.next()
		if err != nil {
			b.Fatalf("message %d: %v", i, err)
		}
		if n.name.Local != "message" {
			i--
		}
	}
	elapsed := time.Since(start)
	if err := <-errc; err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
}

// BenchmarkIdleConn measures the server's memory per idle connection: a
// connection that has opened its stream and waits before STARTTLS, and a
// logged-in session (the latter includes the test client's own TLS
// connection, as both live in this process).
func BenchmarkIdleConn(b *testing.B) {
	const n = 200
	b.Run("pre-auth", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ts := startServer(b, func(c *Config) { c.MaxPreAuth, c.MaxPreAuthPerIP = n, n })
			var conns []net.Conn
			per := heapPer(n, func() {
				for j := 0; j < n; j++ {
					c, err := net.Dial("tcp", ts.addr)
					if err != nil {
						b.Fatal(err)
					}
					conns = append(conns, c)
					if _, err := io.WriteString(c, fuzzHeader); err != nil {
						b.Fatal(err)
					}
					readSome(c)
				}
			})
			b.ReportMetric(per, "bytes/conn")
			for _, c := range conns {
				c.Close()
			}
			ts.srv.Close()
		}
	})
	b.Run("session", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ts := startServer(b)
			var conns []net.Conn
			per := heapPer(n, func() {
				for j := 0; j < n; j++ {
					c := ts.raw(b, "alice", fmt.Sprint("r", j))
					c.r = stanzaReader{} // keep only the TLS connection on our side
					conns = append(conns, c.conn)
				}
			})
			if ts.srv.Sessions() != n {
				b.Fatalf("%d sessions, want %d", ts.srv.Sessions(), n)
			}
			b.ReportMetric(per, "bytes/session")
			for _, c := range conns {
				c.Close()
			}
			ts.srv.Close()
		}
	})
}

// heapPer returns the growth of the live heap while open runs, per
// connection.
func heapPer(n int, open func()) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	open()
	time.Sleep(50 * time.Millisecond)
	runtime.GC()
	runtime.ReadMemStats(&after)
	grown := float64(after.HeapInuse+after.StackInuse) - float64(before.HeapInuse+before.StackInuse)
	return grown / float64(n)
}

func readSome(c net.Conn) {
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 1024)
	_, _ = c.Read(buf)
}
