package client

import (
	"crypto/tls"
	"encoding/xml"
	"io"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"chat/event"
	"chat/internal/certs"

	"mellium.im/xmpp/jid"
)

// hostileServer is a minimal XMPP server on loopback, direct TLS: it logs
// one client in (SASL PLAIN, bind), answers its IQs with empty results,
// and then sends whatever the test writes to it, raw.
type hostileServer struct {
	t      *testing.T
	ln     net.Listener
	caFile string
	ready  chan *hostileConn // one per logged-in client
}

// hostileConn is the server side of one logged-in client.
type hostileConn struct {
	mu sync.Mutex // serialises writes: IQ answers and the test's raw bytes
	c  net.Conn
}

func (h *hostileConn) write(s string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.c, s)
	return err
}

const hostileHeader = `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='h1' from='localhost' version='1.0'>`

func startHostileServer(t *testing.T) *hostileServer {
	t.Helper()
	ca, err := certs.WriteCA(t.TempDir(), "hostile test CA", "localhost")
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tls.LoadX509KeyPair(ca.CertFile, ca.KeyFile)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	h := &hostileServer{t: t, ln: ln, caFile: ca.CAFile, ready: make(chan *hostileConn, 4)}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() { defer wg.Done(); defer c.Close(); h.serve(c) }()
		}
	}()
	return h
}

// serve logs the client in, then answers its IQs until it goes away.
func (h *hostileServer) serve(c net.Conn) {
	hc := &hostileConn{c: c}
	d := xml.NewDecoder(c)
	steps := []struct {
		expect string // local name of the element the client sends next
		reply  string
	}{
		{"stream", hostileHeader + `<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>`},
		{"auth", `<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>`},
		{"stream", hostileHeader + `<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>`},
	}
	for _, s := range steps {
		start, err := nextStart(d)
		if err != nil || start.Name.Local != s.expect {
			return
		}
		if s.expect != "stream" {
			d.Skip()
		}
		if hc.write(s.reply) != nil {
			return
		}
	}
	first := true
	for {
		start, err := nextStart(d)
		if err != nil {
			return
		}
		var iq struct {
			ID     string    `xml:"id,attr"`
			Type   string    `xml:"type,attr"`
			Bind   *struct{} `xml:"urn:ietf:params:xml:ns:xmpp-bind bind"`
			Roster *struct{} `xml:"jabber:iq:roster query"`
		}
		if err := d.DecodeElement(&iq, &start); err != nil {
			return
		}
		if start.Name.Local != "iq" || (iq.Type != "get" && iq.Type != "set") {
			continue
		}
		payload := ""
		switch {
		case iq.Bind != nil:
			payload = `<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>me@localhost/test</jid></bind>`
		case iq.Roster != nil:
			payload = `<query xmlns='jabber:iq:roster'/>`
		}
		if hc.write(`<iq type='result' id='`+iq.ID+`'>`+payload+`</iq>`) != nil {
			return
		}
		if first && iq.Bind != nil {
			first = false
			h.ready <- hc
		}
	}
}

func nextStart(d *xml.Decoder) (xml.StartElement, error) {
	for {
		tok, err := d.Token()
		if err != nil {
			return xml.StartElement{}, err
		}
		if s, ok := tok.(xml.StartElement); ok {
			return s, nil
		}
	}
}

// hostileClient is an engine logged in to a hostileServer.
func hostileClient(t *testing.T, h *hostileServer) (*Engine, chan event.Event, *hostileConn) {
	t.Helper()
	ch := make(chan event.Event, 1024)
	e, err := New(Config{
		JID: jid.MustParse("me@localhost/test"), Password: "pw", Server: h.ln.Addr().String(), DirectTLS: true,
		TLS: TLSPolicy{CAFile: h.caFile}, DialTimeout: 10 * time.Second, Lang: "en",
	}, ch)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		done := e.Disconnect()
		for {
			select {
			case <-done:
				return
			case <-ch:
			}
		}
	})
	e.Connect()
	hc := <-h.ready
	waitFor(t, ch, "online", func(ev event.Event) bool {
		c, ok := ev.(event.ConnState)
		return ok && c.State == event.Online
	})
	return e, ch, hc
}

// waitFor returns the first event match accepts, and the ones before it.
func waitFor(t *testing.T, ch chan event.Event, what string, match func(event.Event) bool) (event.Event, []event.Event) {
	t.Helper()
	var seen []event.Event
	timeout := time.After(60 * time.Second)
	for {
		select {
		case ev := <-ch:
			if match(ev) {
				return ev, seen
			}
			seen = append(seen, ev)
		case <-timeout:
			t.Fatalf("timed out waiting for %s; saw %+v", what, seen)
		}
	}
}

// writeRepeated streams unit n times in 64 KiB writes, never holding it all.
func (h *hostileConn) writeRepeated(unit string, n int) error {
	chunk := strings.Repeat(unit, max(1, (64<<10)/len(unit)))
	per := len(chunk) / len(unit)
	h.mu.Lock()
	defer h.mu.Unlock()
	for n > 0 {
		k := min(n, per)
		if _, err := io.WriteString(h.c, chunk[:k*len(unit)]); err != nil {
			return err
		}
		n -= k
	}
	return nil
}

// heapPeak samples the heap in use until stop is closed and returns the
// highest value seen. Sampling can miss a short peak; it cannot miss the
// gigabytes an unbounded decoder builds up over seconds.
func heapPeak(stop chan struct{}) <-chan uint64 {
	res := make(chan uint64, 1)
	go func() {
		var peak uint64
		var ms runtime.MemStats
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-stop:
				res <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return res
}

func isMessageBody(body string) func(event.Event) bool {
	return func(ev event.Event) bool {
		m, ok := ev.(event.Message)
		return ok && m.Body == body
	}
}

// A server that sends ten million nested elements, then a 50 MB element
// name, gets both stanzas dropped (and said so once): the session lives on
// and the heap stays bounded while the bytes stream through.
func TestHostileServerDeepAndLongStanzas(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 120 MB through TLS")
	}
	h := startHostileServer(t)
	_, ch, hc := hostileClient(t, h)

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	stop := make(chan struct{})
	peak := heapPeak(stop)

	const nested = 10_000_000
	errc := make(chan error, 1)
	go func() {
		errc <- func() error {
			if err := hc.write(`<message from='bob@localhost/x' to='me@localhost/test' type='chat'>`); err != nil {
				return err
			}
			if err := hc.writeRepeated("<a>", nested); err != nil {
				return err
			}
			if err := hc.writeRepeated("</a>", nested); err != nil {
				return err
			}
			if err := hc.write(`</message><message from='bob@localhost/x' type='chat'><body>after the deep one</body></message>`); err != nil {
				return err
			}
			if err := hc.write(`<message from='carol@localhost/x' type='chat'><body><`); err != nil {
				return err
			}
			if err := hc.writeRepeated("a", 50<<20); err != nil {
				return err
			}
			return hc.write(`/></body></message><message from='bob@localhost/x' type='chat'><body>after the long name</body></message>`)
		}()
	}()

	ev, seen := waitFor(t, ch, "the message after the deep stanza", isMessageBody("after the deep one"))
	drops := droppedErrors(seen)
	if len(drops) != 1 || !strings.Contains(drops[0].Text, "deeper than the limit") || drops[0].From != "bob@localhost/x" {
		t.Errorf("deep stanza: dropped-errors %+v, want one saying it was too deep, from bob", drops)
	}
	if m := ev.(event.Message); m.Peer != "bob@localhost" {
		t.Errorf("message after the deep stanza: %+v", m)
	}
	_, seen = waitFor(t, ch, "the message after the long name", isMessageBody("after the long name"))
	if drops := droppedErrors(seen); len(drops) != 0 {
		t.Errorf("second dropped stanza reported again: %+v (want one notice per connection)", drops)
	}
	close(stop)
	if err := <-errc; err != nil {
		t.Fatalf("hostile server: %v", err)
	}
	grew := int64(<-peak) - int64(before.HeapInuse)
	t.Logf("heap in use: %d MB before, peak %+d MB while 120 MB of hostile stanzas streamed through", before.HeapInuse>>20, grew>>20)
	if grew > 64<<20 {
		t.Errorf("heap in use grew by %d MB while the stanzas streamed through, want it bounded (< 64 MB)", grew>>20)
	}
}

func droppedErrors(evs []event.Event) []event.Error {
	var out []event.Error
	for _, ev := range evs {
		if e, ok := ev.(event.Error); ok && strings.HasPrefix(e.Context, "dropped ") {
			out = append(out, e)
		}
		if c, ok := ev.(event.ConnState); ok && c.State != event.Online {
			out = append(out, event.Error{Context: "dropped session: " + string(c.State), Text: c.Err})
		}
	}
	return out
}
