package upload

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRequestXML(t *testing.T) {
	b, err := xml.Marshal(NewRequest("a b.txt", 12, "text/plain"))
	if err != nil {
		t.Fatal(err)
	}
	want := `<request xmlns="urn:xmpp:http:upload:0" filename="a b.txt" size="12" content-type="text/plain"></request>`
	if string(b) != want {
		t.Fatalf("got %s", b)
	}
}

const slotXML = `<slot xmlns='urn:xmpp:http:upload:0'>
  <put url='%s/put/abc'>
    <header name='Authorization'>Basic Base64String==</header>
    <header name='Cookie'>foo=bar</header>
    <header name='Host'>evil.example</header>
  </put>
  <get url='%s/get/abc'/>
</slot>`

func TestParseSlot(t *testing.T) {
	s, err := ParseSlot([]byte(strings.ReplaceAll(slotXML, "%s", "https://up.example")))
	if err != nil {
		t.Fatal(err)
	}
	if s.Put.String() != "https://up.example/put/abc" || s.Get.String() != "https://up.example/get/abc" {
		t.Fatalf("urls %v %v", s.Put, s.Get)
	}
	if s.Header.Get("Authorization") == "" || s.Header.Get("Cookie") != "foo=bar" || s.Header.Get("Host") != "" {
		t.Fatalf("headers %v", s.Header)
	}
	for _, bad := range []string{
		strings.ReplaceAll(slotXML, "%s", "file://"),
		strings.ReplaceAll(slotXML, "%s", "javascript:alert(1)//"),
		`<slot xmlns='urn:xmpp:http:upload:0'><get url='https://a/'/></slot>`,
		`<slot xmlns='urn:xmpp:http:upload:0'/>`,
		`<slot xmlns='other'/>`,
	} {
		if _, err := ParseSlot([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestPut(t *testing.T) {
	data := bytes.Repeat([]byte("upload!"), 100000)
	var gotLen int64
	var gotType, gotAuth string
	var gotSum [32]byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPut {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		gotLen, gotType, gotAuth = r.ContentLength, r.Header.Get("Content-Type"), r.Header.Get("Authorization")
		h := sha256.New()
		io.Copy(h, r.Body)
		copy(gotSum[:], h.Sum(nil))
		w.WriteHeader(http.StatusCreated)
	}))
	defer srv.Close()
	s, err := ParseSlot([]byte(strings.ReplaceAll(slotXML, "%s", srv.URL)))
	if err != nil {
		t.Fatal(err)
	}
	get, err := Put(context.Background(), srv.Client(), s, bytes.NewReader(data), int64(len(data)), "image/png")
	if err != nil {
		t.Fatal(err)
	}
	if get != srv.URL+"/get/abc" {
		t.Fatalf("get %s", get)
	}
	if gotLen != int64(len(data)) || gotType != "image/png" || gotAuth != "Basic Base64String==" || gotSum != sha256.Sum256(data) {
		t.Fatalf("server saw length %d type %q auth %q", gotLen, gotType, gotAuth)
	}
	// A refusal is an error naming the status.
	s.Put.Path = "/nope"
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusRequestEntityTooLarge) })
	if _, err := Put(context.Background(), srv.Client(), s, bytes.NewReader(data), int64(len(data)), ""); err == nil || !strings.Contains(err.Error(), "413") {
		t.Fatalf("err = %v", err)
	}
}

func TestOOB(t *testing.T) {
	b, err := xml.Marshal(NewOOB("https://up.example/get/a%20b"))
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `<x xmlns="jabber:x:oob"><url>https://up.example/get/a%20b</url></x>` {
		t.Fatalf("got %s", b)
	}
	o, err := ParseOOB(b)
	if err != nil || o.URL != "https://up.example/get/a%20b" {
		t.Fatalf("%+v %v", o, err)
	}
	if _, err := ParseOOB([]byte(`<x xmlns="jabber:x:oob"><url>file:///etc/passwd</url></x>`)); err == nil {
		t.Fatal("file URL accepted")
	}
}

func FuzzParseSlot(f *testing.F) {
	f.Add([]byte(strings.ReplaceAll(slotXML, "%s", "https://up.example")))
	f.Add([]byte(`<x xmlns="jabber:x:oob"><url>https://a/b</url></x>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if s, err := ParseSlot(b); err == nil {
			if s.Put == nil || s.Get == nil || len(s.Header) > 3 {
				t.Fatalf("%+v", s)
			}
		}
		ParseOOB(b)
	})
}
