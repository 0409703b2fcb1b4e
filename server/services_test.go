package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"chat/filetransfer/s5b"
	"chat/filetransfer/socks5"
	"chat/filetransfer/upload"

	"mellium.im/xmpp/jid"
)

// payload serialises the child of an answer, as a client library would
// receive it.
func payload(t *testing.T, n *node, space, local string) []byte {
	t.Helper()
	c := n.child(space, local)
	if c == nil {
		t.Fatalf("no <%s xmlns='%s'/> in %s", local, space, n.bytes())
	}
	return c.appendTo(nil, nsClient)
}

// TestProxy65Mediated: two clients find the proxy by disco, ask it for its
// address, connect with package s5b for the same DST.ADDR, and bytes flow
// once the initiator has activated the stream.
func TestProxy65Mediated(t *testing.T) {
	ts := startServer(t)
	alice := ts.raw(t, "alice", "a")
	bob := ts.raw(t, "bob", "b")
	items := alice.iq("get", "localhost", "<query xmlns='http://jabber.org/protocol/disco#items'/>")
	if !hasText(items, "jid='proxy.localhost'") || !hasText(items, "jid='upload.localhost'") {
		t.Fatalf("disco#items %s", items.bytes())
	}
	info := alice.iq("get", "proxy.localhost", "<query xmlns='http://jabber.org/protocol/disco#info'/>")
	if !hasText(info, "type='bytestreams'") || !hasText(info, "var='"+s5b.NS+"'") {
		t.Fatalf("proxy disco#info %s", info.bytes())
	}
	ans := alice.iq("get", "proxy.localhost", "<query xmlns='"+s5b.NS+"'/>")
	q, err := s5b.ParseQuery(payload(t, ans, s5b.NS, "query"))
	if err != nil || len(q.StreamHosts) != 1 {
		t.Fatalf("proxy address %s: %v", ans.bytes(), err)
	}
	host := q.StreamHosts[0]
	sid := "sid-1"
	initiator, target := jid.MustParse(alice.jid), jid.MustParse(bob.jid)
	dst := socks5.DstAddr(sid, initiator.String(), target.String())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tconn, _, err := s5b.Connect(ctx, q.StreamHosts, dst, 5*time.Second)
	if err != nil {
		t.Fatalf("target connects: %v", err)
	}
	defer tconn.Close()
	iconn, act, err := s5b.Mediated(ctx, host, sid, dst, target)
	if err != nil {
		t.Fatalf("initiator connects: %v", err)
	}
	defer iconn.Close()
	wrong, _ := s5b.Marshal(s5b.Activate("other-sid", target))
	if n := alice.iq("set", "proxy.localhost", string(wrong)); errorCondition(n) != "item-not-found" {
		t.Fatalf("activating a stream nobody asked for: %s", n.bytes())
	}
	b, _ := s5b.Marshal(act)
	if n := alice.iq("set", "proxy.localhost", string(b)); n.get("type") != "result" {
		t.Fatalf("activate: %s", n.bytes())
	}
	data := make([]byte, 1<<20)
	rand.Read(data)
	go func() { iconn.Write(data); iconn.(interface{ CloseWrite() error }).CloseWrite() }()
	got, err := io.ReadAll(tconn)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("relayed %d of %d bytes, equal %v: %v", len(got), len(data), bytes.Equal(got, data), err)
	}
}

// requestSlot asks the upload service for a slot.
func requestSlot(t *testing.T, c *rawClient, name string, size int, ctype string) *node {
	t.Helper()
	return c.iq("get", "upload.localhost", "<request xmlns='"+upload.NS+"' filename='"+name+"' size='"+strconv.Itoa(size)+"' content-type='"+ctype+"'/>")
}

// TestHTTPUpload: XEP-0363 through package upload as the client: a slot,
// the PUT, the GET of the same bytes; the slot takes one PUT only, a size
// over the limit or a body other than announced is refused, and a hostile
// name ends up a plain one.
func TestHTTPUpload(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.UploadMaxSize = 1 << 20 })
	alice := ts.raw(t, "alice", "a")
	info := alice.iq("get", "upload.localhost", "<query xmlns='http://jabber.org/protocol/disco#info'/>")
	if !hasText(info, "var='"+upload.NS+"'") || !hasText(info, "<value>1048576</value>") {
		t.Fatalf("upload disco#info %s", info.bytes())
	}
	ctx := context.Background()
	for _, size := range []int{0, 1, 300000} {
		data := make([]byte, size)
		rand.Read(data)
		ans := requestSlot(t, alice, "../../.bashrc", size, "text/plain")
		slot, err := upload.ParseSlot(payload(t, ans, upload.NS, "slot"))
		if err != nil {
			t.Fatalf("slot %s: %v", ans.bytes(), err)
		}
		if strings.Contains(slot.Get.Path, "..") || !strings.HasSuffix(slot.Get.Path, "/bashrc") {
			t.Errorf("slot path %q keeps the hostile name", slot.Get.Path)
		}
		get, err := upload.Put(ctx, http.DefaultClient, slot, bytes.NewReader(data), int64(size), "text/plain")
		if err != nil {
			t.Fatalf("put %d bytes: %v", size, err)
		}
		if _, err := upload.Put(ctx, http.DefaultClient, slot, bytes.NewReader(data), int64(size), "text/plain"); err == nil {
			t.Errorf("a slot took a second PUT")
		}
		resp, err := http.Get(get)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.Equal(body, data) || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("get %d bytes: %s, %d bytes back", size, resp.Status, len(body))
		}
	}
	if n := requestSlot(t, alice, "big", 2<<20, ""); errorCondition(n) != "not-acceptable" || !hasText(n, "file-too-large") {
		t.Fatalf("a file over the limit: %s", n.bytes())
	}
	ans := requestSlot(t, alice, "short.bin", 10, "text/html")
	slot, err := upload.ParseSlot(payload(t, ans, upload.NS, "slot"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := upload.Put(ctx, http.DefaultClient, slot, strings.NewReader("12345"), 5, ""); err == nil {
		t.Fatal("a PUT shorter than the slot was taken")
	}
	if resp, err := http.Get(slot.Get.String()); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Fatalf("GET after a refused PUT: %v %v", resp.Status, err)
	}
}
