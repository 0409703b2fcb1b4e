// Package si is XEP-0095 stream initiation with the XEP-0096 file-transfer
// profile, what Psi, older Gajim and slixmpp speak: the offer (file name,
// size, hash, date, description, and a feature-negotiation form listing
// XEP-0065 bytestreams and XEP-0047 IBB), the answer choosing one method,
// and bounded parsers for both.
//
// It moves no bytes: the chosen method's package (s5b, ibb) does, with the
// SI id as its stream id. Offered names are the peer's words: sanitise them
// (filetransfer.SafeName) before use.
package si

import (
	"encoding/xml"
	"fmt"
	"time"

	"chat/filetransfer/internal/bounded"
)

// Namespaces.
const (
	NS          = "http://jabber.org/protocol/si"
	NSFile      = "http://jabber.org/protocol/si/profile/file-transfer"
	NSFeatNeg   = "http://jabber.org/protocol/feature-neg"
	NSData      = "jabber:x:data"
	Bytestreams = "http://jabber.org/protocol/bytestreams"
	IBB         = "http://jabber.org/protocol/ibb"
	maxSI       = 16 << 10
	maxText     = 4096
	maxOptions  = 16
)

// SI is the <si/> payload, offer or answer.
type SI struct {
	XMLName  xml.Name `xml:"http://jabber.org/protocol/si si"`
	ID       string   `xml:"id,attr,omitempty"`
	MimeType string   `xml:"mime-type,attr,omitempty"`
	Profile  string   `xml:"profile,attr,omitempty"`
	File     *File    `xml:"http://jabber.org/protocol/si/profile/file-transfer file"`
	Feature  Feature  `xml:"http://jabber.org/protocol/feature-neg feature"`
}

// File is the XEP-0096 file element; Hash is MD5 in hex as the XEP says.
type File struct {
	Name string `xml:"name,attr"`
	Size int64  `xml:"size,attr"`
	Hash string `xml:"hash,attr,omitempty"`
	Date string `xml:"date,attr,omitempty"`
	Desc string `xml:"desc,omitempty"`
}

// Feature is the feature-negotiation wrapper of a data form.
type Feature struct {
	Form Form `xml:"jabber:x:data x"`
}

// Form is the one-field data form: stream-method.
type Form struct {
	Type   string  `xml:"type,attr"`
	Fields []Field `xml:"field"`
}

// Field is a form field; offers use Options, answers Values.
type Field struct {
	Var     string   `xml:"var,attr"`
	Type    string   `xml:"type,attr,omitempty"`
	Options []Option `xml:"option"`
	Values  []string `xml:"value"`
}

// Option is one choice of a list-single field.
type Option struct {
	Value string `xml:"value"`
}

// Offer builds an offer of file under SI id sid with the given methods (in
// our order of preference).
func Offer(sid, mimeType string, f File, methods ...string) SI {
	fld := Field{Var: "stream-method", Type: "list-single"}
	for _, m := range methods {
		fld.Options = append(fld.Options, Option{m})
	}
	return SI{ID: sid, MimeType: mimeType, Profile: NSFile, File: &f,
		Feature: Feature{Form: Form{Type: "form", Fields: []Field{fld}}}}
}

// NewFile builds the file element (date in XEP-0082 form when not zero).
func NewFile(name string, size int64, date time.Time, desc string) File {
	f := File{Name: name, Size: size, Desc: desc}
	if !date.IsZero() {
		f.Date = date.UTC().Format(time.RFC3339)
	}
	return f
}

// Answer builds the result choosing method.
func Answer(method string) SI {
	return SI{Feature: Feature{Form: Form{Type: "submit", Fields: []Field{{Var: "stream-method", Values: []string{method}}}}}}
}

// Marshal encodes a payload.
func Marshal(s SI) ([]byte, error) { return xml.Marshal(s) }

// Parsed is a checked offer or answer.
type Parsed struct {
	SI
	// Methods are the offered stream methods (offer) or the chosen one
	// (answer), in the sender's order.
	Methods []string
}

// Parse parses an offer or answer of at most 16 KiB: an offer must use the
// file-transfer profile with a name, a size and an id; both need a
// stream-method field with at most 16 choices.
func Parse(b []byte) (Parsed, error) {
	var s SI
	if err := bounded.Decode(b, maxSI, NS, "si", &s); err != nil {
		return Parsed{}, fmt.Errorf("si: %w", err)
	}
	p := Parsed{SI: s}
	for _, f := range s.Feature.Form.Fields {
		if f.Var != "stream-method" {
			continue
		}
		for _, o := range f.Options {
			p.Methods = append(p.Methods, o.Value)
		}
		p.Methods = append(p.Methods, f.Values...)
	}
	if len(p.Methods) == 0 || len(p.Methods) > maxOptions {
		return Parsed{}, fmt.Errorf("si: %d stream methods", len(p.Methods))
	}
	if s.File != nil {
		f := s.File
		if s.ID == "" || len(s.ID) > 256 || s.Profile != NSFile || f.Name == "" || f.Size < 0 ||
			len(f.Name) > maxText || len(f.Desc) > maxText || len(f.Hash) > 128 {
			return Parsed{}, fmt.Errorf("si: bad file offer")
		}
	}
	return p, nil
}

// IsOffer reports whether p is a file offer (not an answer).
func (p Parsed) IsOffer() bool { return p.File != nil }

// Choose picks the first of ours (our order of preference) the peer
// offered, or "" when none is shared.
func Choose(offered []string, ours ...string) string {
	for _, m := range ours {
		for _, o := range offered {
			if o == m {
				return m
			}
		}
	}
	return ""
}
