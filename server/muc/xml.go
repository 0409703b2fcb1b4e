package muc

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Namespaces the service reads or writes.
const (
	nsClient     = "jabber:client"
	nsStanzas    = "urn:ietf:params:xml:ns:xmpp-stanzas"
	nsMUC        = "http://jabber.org/protocol/muc"
	nsMUCUser    = "http://jabber.org/protocol/muc#user"
	nsMUCAdmin   = "http://jabber.org/protocol/muc#admin"
	nsMUCOwner   = "http://jabber.org/protocol/muc#owner"
	nsRoomConfig = "http://jabber.org/protocol/muc#roomconfig"
	nsRoomInfo   = "http://jabber.org/protocol/muc#roominfo"
	nsDiscoInfo  = "http://jabber.org/protocol/disco#info"
	nsDiscoItems = "http://jabber.org/protocol/disco#items"
	nsData       = "jabber:x:data"
	nsPing       = "urn:xmpp:ping"
	nsDelay      = "urn:xmpp:delay"
	nsSID        = "urn:xmpp:sid:0"
	nsXML        = "http://www.w3.org/XML/1998/namespace"
)

// maxDepth bounds element nesting in what the service parses; the server
// has bounded it already, this is a second fence.
const maxDepth = 64

// el is one XML element: a stanza or a part of one. Children are *el or
// string (character data). Attributes keep their namespace only for
// xml:lang; others are plain.
type el struct {
	space, local string
	attr         []xml.Attr
	kids         []any
}

// parse reads one element from raw.
func parse(raw []byte) (*el, error) {
	d := xml.NewDecoder(bytes.NewReader(raw))
	d.Strict = true
	var stack []*el
	for {
		tok, err := d.RawToken()
		if err != nil {
			return nil, fmt.Errorf("parse stanza: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxDepth {
				return nil, errors.New("parse stanza: too deep")
			}
			e, err := start(t, stack)
			if err != nil {
				return nil, fmt.Errorf("parse stanza: %w", err)
			}
			stack = append(stack, e)
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, errors.New("parse stanza: unbalanced end")
			}
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return top, nil
			}
			parent := stack[len(stack)-1]
			parent.kids = append(parent.kids, top)
		case xml.CharData:
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.kids = append(top.kids, string(t))
			}
		}
	}
}

// start makes the element of a start tag read with RawToken: the default
// namespace is its xmlns or its parent's. The server writes no prefixed
// elements, so a stanza with one (or with a name XML does not allow, or an
// attribute twice) is refused; namespaced attributes other than xml:* are
// dropped.
func start(t xml.StartElement, stack []*el) (*el, error) {
	if t.Name.Space != "" || !xmlName(t.Name.Local) {
		return nil, fmt.Errorf("element name %q", t.Name.Local)
	}
	e := &el{space: nsClient, local: t.Name.Local}
	if len(stack) > 0 {
		e.space = stack[len(stack)-1].space
	}
	for i, a := range t.Attr {
		if !xmlName(a.Name.Local) || slices.ContainsFunc(t.Attr[:i], func(b xml.Attr) bool { return b.Name == a.Name }) {
			return nil, fmt.Errorf("attribute %q", a.Name.Local)
		}
		switch a.Name.Space {
		case "":
			if a.Name.Local == "xmlns" {
				e.space = a.Value
			} else {
				e.attr = append(e.attr, a)
			}
		case "xml":
			e.attr = append(e.attr, xml.Attr{Name: xml.Name{Space: nsXML, Local: a.Name.Local}, Value: a.Value})
		}
	}
	return e, nil
}

// xmlName reports whether s is a name without a colon that XML allows.
func xmlName(s string) bool {
	for i, r := range s {
		switch {
		case r == '_' || unicode.IsLetter(r):
		case i > 0 && (r == '-' || r == '.' || unicode.IsDigit(r)):
		default:
			return false
		}
	}
	return s != ""
}

// mk makes an element with plain attributes given as name, value pairs;
// empty values are left out.
func mk(space, local string, attrs ...string) *el {
	e := &el{space: space, local: local}
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1] != "" {
			e.attr = append(e.attr, xml.Attr{Name: xml.Name{Local: attrs[i]}, Value: attrs[i+1]})
		}
	}
	return e
}

// add appends children (elements, or text when non-empty) and returns e.
func (e *el) add(kids ...any) *el {
	for _, k := range kids {
		switch k := k.(type) {
		case *el:
			if k != nil {
				e.kids = append(e.kids, k)
			}
		case string:
			if k != "" {
				e.kids = append(e.kids, k)
			}
		}
	}
	return e
}

func (e *el) is(space, local string) bool { return e != nil && e.space == space && e.local == local }

// get returns a plain attribute's value. The readers (get, child, all,
// first, text) take a nil element as an empty one.
func (e *el) get(name string) string {
	if e == nil {
		return ""
	}
	for _, a := range e.attr {
		if a.Name.Space == "" && a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// set replaces, adds or (with "") removes a plain attribute.
func (e *el) set(name, value string) {
	for i, a := range e.attr {
		if a.Name.Space == "" && a.Name.Local == name {
			if value == "" {
				e.attr = append(e.attr[:i:i], e.attr[i+1:]...)
			} else {
				e.attr[i].Value = value
			}
			return
		}
	}
	if value != "" {
		e.attr = append(e.attr, xml.Attr{Name: xml.Name{Local: name}, Value: value})
	}
}

// copy returns a copy of e whose attributes and child list can change
// without touching e (the children themselves are shared).
func (e *el) copy() *el {
	c := *e
	c.attr = append([]xml.Attr(nil), e.attr...)
	c.kids = append([]any(nil), e.kids...)
	return &c
}

// child returns the first child element named so, or nil.
func (e *el) child(space, local string) *el {
	if e == nil {
		return nil
	}
	for _, k := range e.kids {
		if c, ok := k.(*el); ok && c.is(space, local) {
			return c
		}
	}
	return nil
}

// all returns the child elements named so.
func (e *el) all(space, local string) []*el {
	if e == nil {
		return nil
	}
	var out []*el
	for _, k := range e.kids {
		if c, ok := k.(*el); ok && c.is(space, local) {
			out = append(out, c)
		}
	}
	return out
}

// first returns the first child element, or nil.
func (e *el) first() *el {
	if e == nil {
		return nil
	}
	for _, k := range e.kids {
		if c, ok := k.(*el); ok {
			return c
		}
	}
	return nil
}

// text returns the character data directly inside e.
func (e *el) text() string {
	if e == nil {
		return ""
	}
	var b strings.Builder
	for _, k := range e.kids {
		if s, ok := k.(string); ok {
			b.WriteString(s)
		}
	}
	return b.String()
}

// drop removes the child elements for which f is true.
func (e *el) drop(f func(*el) bool) {
	kids := e.kids[:0:0]
	for _, k := range e.kids {
		if c, ok := k.(*el); ok && f(c) {
			continue
		}
		kids = append(kids, k)
	}
	e.kids = kids
}

// bytes serialises e as a stanza of a jabber:client stream.
func (e *el) bytes() []byte { return e.appendTo(make([]byte, 0, 256), nsClient) }

func (e *el) appendTo(b []byte, parent string) []byte {
	b = append(b, '<')
	b = append(b, e.local...)
	if e.space != parent {
		b = appendAttr(b, "xmlns", e.space)
	}
	for _, a := range e.attr {
		name := a.Name.Local
		if a.Name.Space == nsXML {
			name = "xml:" + name
		}
		b = appendAttr(b, name, a.Value)
	}
	if len(e.kids) == 0 {
		return append(b, '/', '>')
	}
	b = append(b, '>')
	for _, k := range e.kids {
		switch k := k.(type) {
		case *el:
			b = k.appendTo(b, e.space)
		case string:
			b = appendEscaped(b, k)
		}
	}
	b = append(b, '<', '/')
	b = append(b, e.local...)
	return append(b, '>')
}

func appendAttr(b []byte, name, value string) []byte {
	b = append(b, ' ')
	b = append(b, name...)
	b = append(b, '=', '\'')
	b = appendEscaped(b, value)
	return append(b, '\'')
}

// appendEscaped escapes s for XML text or a single-quoted attribute and
// replaces what XML 1.0 cannot carry.
func appendEscaped(b []byte, s string) []byte {
	if plain(s) {
		return append(b, s...)
	}
	for _, r := range s {
		switch {
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '\'':
			b = append(b, "&apos;"...)
		case r == '"':
			b = append(b, "&quot;"...)
		case r == '\r':
			b = append(b, "&#xD;"...)
		case r == '\n':
			b = append(b, "&#xA;"...)
		case r == '\t':
			b = append(b, "&#x9;"...)
		case r == 0x09 || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || r >= 0x10000:
			if r == utf8.RuneError {
				b = append(b, "\uFFFD"...)
			} else {
				b = utf8.AppendRune(b, r)
			}
		default:
			b = append(b, "\uFFFD"...)
		}
	}
	return b
}

// plain reports whether s is printable ASCII with nothing to escape.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c >= 0x7f, c == '&', c == '<', c == '>', c == '\'', c == '"':
			return false
		}
	}
	return true
}
