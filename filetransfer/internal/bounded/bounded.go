// Package bounded decodes small XML payloads from the network with a size
// limit, so every parser in filetransfer shares one rule: a payload larger
// than its limit is refused before it is decoded.
package bounded

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
)

// Decode unmarshals data into v after checking it is at most max bytes and
// is one element in namespace ns named local.
func Decode(data []byte, max int, ns, local string, v any) error {
	if len(data) > max {
		return fmt.Errorf("%s payload of %d bytes, limit %d", local, len(data), max)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	for {
		tok, err := d.Token()
		if err != nil {
			return fmt.Errorf("read %s: %w", local, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Space != ns || se.Name.Local != local {
				return fmt.Errorf("element {%s}%s, want {%s}%s", se.Name.Space, se.Name.Local, ns, local)
			}
			if err := d.DecodeElement(v, &se); err != nil {
				return fmt.Errorf("decode %s: %w", local, err)
			}
			return nil
		}
	}
}

// Port parses a TCP port attribute (1-65535).
func Port(s string) (int, error) {
	p, err := strconv.Atoi(s)
	if err != nil || p < 1 || p > 65535 {
		return 0, fmt.Errorf("port %q", s)
	}
	return p, nil
}

// Size parses a non-negative byte count.
func Size(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("size %q", s)
	}
	return n, nil
}
