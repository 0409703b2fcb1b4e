// Package upload is XEP-0363 HTTP File Upload: the slot request, a bounded
// parser for the slot the upload service returns, the PUT (with
// Content-Length and Content-Type set, which mellium's Slot.Put leaves out
// and Prosody's mod_http_file_share needs), and the XEP-0066 out-of-band
// element for the message that shares the GET URL.
//
// It does not find the upload service (disco is the engine's) and never
// reads the file into memory: the body streams from the caller's reader.
package upload

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"chat/filetransfer/internal/bounded"
)

// NS is the XEP-0363 namespace; NSOOB the XEP-0066 one.
const (
	NS    = "urn:xmpp:http:upload:0"
	NSOOB = "jabber:x:oob"
)

// MaxSlot bounds a slot payload, maxHeaders its headers.
const (
	MaxSlot    = 16 << 10
	maxHeaders = 8
)

// Request is the slot request payload.
type Request struct {
	XMLName     xml.Name `xml:"urn:xmpp:http:upload:0 request"`
	Filename    string   `xml:"filename,attr"`
	Size        int64    `xml:"size,attr"`
	ContentType string   `xml:"content-type,attr,omitempty"`
}

// NewRequest builds a slot request for a file of size bytes.
func NewRequest(filename string, size int64, contentType string) Request {
	return Request{Filename: filename, Size: size, ContentType: contentType}
}

// Slot is where to PUT the file and where others GET it.
type Slot struct {
	Put    *url.URL
	Get    *url.URL
	Header http.Header // only Authorization, Cookie and Expires (XEP-0363 §5)
}

type wireHeader struct {
	Name  string `xml:"name,attr"`
	Value string `xml:",chardata"`
}

type wireSlot struct {
	XMLName xml.Name `xml:"urn:xmpp:http:upload:0 slot"`
	Put     struct {
		URL     string       `xml:"url,attr"`
		Headers []wireHeader `xml:"header"`
	} `xml:"put"`
	Get struct {
		URL string `xml:"url,attr"`
	} `xml:"get"`
}

// ParseSlot parses a slot payload of at most MaxSlot bytes: both URLs must
// be absolute http or https URLs, and headers other than the three the XEP
// allows are dropped (as are values with line breaks).
func ParseSlot(data []byte) (Slot, error) {
	var w wireSlot
	if err := bounded.Decode(data, MaxSlot, NS, "slot", &w); err != nil {
		return Slot{}, fmt.Errorf("upload: %w", err)
	}
	put, err := parseURL(w.Put.URL)
	if err != nil {
		return Slot{}, fmt.Errorf("upload: put %w", err)
	}
	get, err := parseURL(w.Get.URL)
	if err != nil {
		return Slot{}, fmt.Errorf("upload: get %w", err)
	}
	if len(w.Put.Headers) > maxHeaders {
		return Slot{}, fmt.Errorf("upload: %d headers", len(w.Put.Headers))
	}
	s := Slot{Put: put, Get: get, Header: http.Header{}}
	for _, h := range w.Put.Headers {
		name := http.CanonicalHeaderKey(strings.TrimSpace(h.Name))
		v := strings.TrimSpace(h.Value)
		if (name == "Authorization" || name == "Cookie" || name == "Expires") && !strings.ContainsAny(v, "\r\n") {
			s.Header.Add(name, v)
		}
	}
	return s, nil
}

func parseURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("url: %w", err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("url %q is not an absolute http(s) URL", s)
	}
	return u, nil
}

// Put uploads size bytes from body to the slot with Content-Length and
// Content-Type set and the slot's headers, and returns the GET URL to share.
// The body is streamed, never read whole.
func Put(ctx context.Context, c *http.Client, s Slot, body io.Reader, size int64, contentType string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, s.Put.String(), io.LimitReader(body, size))
	if err != nil {
		return "", fmt.Errorf("upload: %w", err)
	}
	req.ContentLength = size
	if size == 0 {
		req.Body = http.NoBody
	}
	for k, vs := range s.Header {
		req.Header[k] = vs
	}
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Content-Length", strconv.FormatInt(size, 10))
	resp, err := c.Do(req)
	if err != nil {
		return "", fmt.Errorf("upload: put: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("upload: put: server answered %s", resp.Status)
	}
	return s.Get.String(), nil
}

// OOB is the XEP-0066 element a message carries beside the GET URL body.
type OOB struct {
	XMLName xml.Name `xml:"jabber:x:oob x"`
	URL     string   `xml:"url"`
	Desc    string   `xml:"desc,omitempty"`
}

// NewOOB builds the out-of-band element for url.
func NewOOB(url string) OOB { return OOB{URL: url} }

// ParseOOB parses an incoming out-of-band element (at most MaxSlot bytes);
// the URL must be absolute http(s).
func ParseOOB(data []byte) (OOB, error) {
	var o OOB
	if err := bounded.Decode(data, MaxSlot, NSOOB, "x", &o); err != nil {
		return OOB{}, fmt.Errorf("oob: %w", err)
	}
	u, err := parseURL(o.URL)
	if err != nil {
		return OOB{}, fmt.Errorf("oob: %w", err)
	}
	o.URL = u.String()
	return o, nil
}
