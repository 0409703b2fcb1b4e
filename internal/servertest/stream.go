package servertest

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"time"
)

const (
	nsStreams = "http://etherx.jabber.org/streams"
	nsTLS     = "urn:ietf:params:xml:ns:xmpp-tls"
)

// Features is the part of <stream:features/> the harnesses look at.
type Features struct {
	StartTLS *struct {
		Required *struct{} `xml:"required"`
	} `xml:"urn:ietf:params:xml:ns:xmpp-tls starttls"`
	Mechanisms []string `xml:"urn:ietf:params:xml:ns:xmpp-sasl mechanisms>mechanism"`
	Inner      string   `xml:",innerxml"`
}

// OpenStream sends a client stream header to host over rw and returns the
// features the server offers in reply.
func OpenStream(rw io.ReadWriter, host string) (*Features, error) {
	header := fmt.Sprintf("<?xml version='1.0'?><stream:stream to='%s' "+
		"xmlns='jabber:client' xmlns:stream='%s' version='1.0'>", host, nsStreams)
	if _, err := io.WriteString(rw, header); err != nil {
		return nil, fmt.Errorf("send stream header: %w", err)
	}
	d := xml.NewDecoder(rw)
	if _, err := nextStart(d, nsStreams, "stream"); err != nil {
		return nil, err
	}
	start, err := nextStart(d, nsStreams, "features")
	if err != nil {
		return nil, err
	}
	f := &Features{}
	if err := d.DecodeElement(f, start); err != nil {
		return nil, fmt.Errorf("decode stream features: %w", err)
	}
	return f, nil
}

// nextStart reads tokens up to the next start element and checks its name.
func nextStart(d *xml.Decoder, space, local string) (*xml.StartElement, error) {
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, fmt.Errorf("read <%s>: %w", local, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Space != space || se.Name.Local != local {
				return nil, fmt.Errorf("got <%s xmlns=%q>, want <%s>", se.Name.Local, se.Name.Space, local)
			}
			return &se, nil
		}
	}
}

// StartTLS opens a stream on conn, upgrades it with STARTTLS and returns the
// TLS connection and the features offered on the encrypted stream.
func StartTLS(conn net.Conn, host string, cfg *tls.Config) (*tls.Conn, *Features, error) {
	f, err := OpenStream(conn, host)
	if err != nil {
		return nil, nil, err
	}
	if f.StartTLS == nil {
		return nil, nil, fmt.Errorf("server does not offer starttls: %s", f.Inner)
	}
	if _, err := io.WriteString(conn, "<starttls xmlns='"+nsTLS+"'/>"); err != nil {
		return nil, nil, fmt.Errorf("send starttls: %w", err)
	}
	// Read byte by byte so no TLS bytes end up in a decoder's buffer.
	d := xml.NewDecoder(oneByteReader{conn})
	if _, err := nextStart(d, nsTLS, "proceed"); err != nil {
		return nil, nil, err
	}
	tc := tls.Client(conn, cfg)
	if err := tc.Handshake(); err != nil {
		return nil, nil, fmt.Errorf("tls handshake: %w", err)
	}
	f, err = OpenStream(tc, host)
	if err != nil {
		return nil, nil, err
	}
	return tc, f, nil
}

type oneByteReader struct{ r io.Reader }

func (o oneByteReader) Read(p []byte) (int, error) {
	if len(p) > 1 {
		p = p[:1]
	}
	return o.r.Read(p)
}

// ProbeStream dials addr (with TLS when cfg is not nil), opens a stream to
// domain and checks that features come back. It closes the stream politely
// and waits for the server to hang up, so no half-open session delays a
// stop that comes right after.
func ProbeStream(addr, domain string, cfg *tls.Config) error {
	raw, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer raw.Close()
	raw.SetDeadline(time.Now().Add(2 * time.Second))
	var conn net.Conn = raw
	if cfg != nil {
		conn = tls.Client(raw, cfg)
	}
	if _, err := OpenStream(conn, domain); err != nil {
		return err
	}
	if _, err := io.WriteString(conn, "</stream:stream>"); err != nil {
		return fmt.Errorf("close stream: %w", err)
	}
	_, _ = io.Copy(io.Discard, conn) // until the server hangs up
	return nil
}

// ProbeClientPorts checks that the STARTTLS port at addr and the direct
// TLS port at direct (with a handshake against pool) both answer a stream
// open to domain with features.
func ProbeClientPorts(addr, direct, domain string, pool *x509.CertPool) error {
	if err := ProbeStream(addr, domain, nil); err != nil {
		return err
	}
	cfg := &tls.Config{RootCAs: pool, ServerName: domain}
	if err := ProbeStream(direct, domain, cfg); err != nil {
		return fmt.Errorf("direct TLS port: %w", err)
	}
	return nil
}
