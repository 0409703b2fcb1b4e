package ejabberdtest

import (
	"crypto/tls"
	"encoding/xml"
	"fmt"
	"io"
	"net"
)

const (
	nsStreams = "http://etherx.jabber.org/streams"
	nsTLS     = "urn:ietf:params:xml:ns:xmpp-tls"
	nsSASL    = "urn:ietf:params:xml:ns:xmpp-sasl"
)

// features is the part of <stream:features/> the harness looks at.
type features struct {
	StartTLS *struct {
		Required *struct{} `xml:"required"`
	} `xml:"urn:ietf:params:xml:ns:xmpp-tls starttls"`
	Mechanisms []string `xml:"urn:ietf:params:xml:ns:xmpp-sasl mechanisms>mechanism"`
	Inner      string   `xml:",innerxml"`
}

// openStream sends a client stream header to host over rw and returns the
// features the server offers in reply.
func openStream(rw io.ReadWriter, host string) (*features, error) {
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
	f := &features{}
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

// startTLS opens a stream on conn, upgrades it with STARTTLS and returns the
// TLS connection and the features offered on the encrypted stream.
func startTLS(conn net.Conn, host string, cfg *tls.Config) (*tls.Conn, *features, error) {
	f, err := openStream(conn, host)
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
	f, err = openStream(tc, host)
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
