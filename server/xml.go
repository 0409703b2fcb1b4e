package server

import (
	"encoding/xml"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Namespaces the server reads or writes.
const (
	nsClient     = "jabber:client"
	nsStream     = "http://etherx.jabber.org/streams"
	nsStreams    = "urn:ietf:params:xml:ns:xmpp-streams"
	nsStanzas    = "urn:ietf:params:xml:ns:xmpp-stanzas"
	nsTLS        = "urn:ietf:params:xml:ns:xmpp-tls"
	nsSASL       = "urn:ietf:params:xml:ns:xmpp-sasl"
	nsBind       = "urn:ietf:params:xml:ns:xmpp-bind"
	nsSession    = "urn:ietf:params:xml:ns:xmpp-session"
	nsRoster     = "jabber:iq:roster"
	nsRosterVer  = "urn:xmpp:features:rosterver"
	nsDiscoInfo  = "http://jabber.org/protocol/disco#info"
	nsDiscoItems = "http://jabber.org/protocol/disco#items"
	nsPing       = "urn:xmpp:ping"
	nsVersion    = "jabber:iq:version"
	nsDelay      = "urn:xmpp:delay"
	nsXML        = "http://www.w3.org/XML/1998/namespace"
	nsXMLNS      = "http://www.w3.org/2000/xmlns/"
	nsOffline    = "msgoffline"
)

// node is one XML element read whole: a stanza or a part of one. Children
// are *node or string (character data).
type node struct {
	name xml.Name
	attr []xml.Attr
	kids []any
}

// elem makes an element with plain attributes given as name, value pairs;
// empty values are left out.
func elem(space, local string, attrs ...string) *node {
	n := &node{name: xml.Name{Space: space, Local: local}}
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1] != "" {
			n.attr = append(n.attr, xml.Attr{Name: xml.Name{Local: attrs[i]}, Value: attrs[i+1]})
		}
	}
	return n
}

// add appends children and returns n, for building trees in one
// expression.
func (n *node) add(kids ...any) *node {
	for _, k := range kids {
		switch k := k.(type) {
		case *node:
			if k != nil {
				n.kids = append(n.kids, k)
			}
		case string:
			if k != "" {
				n.kids = append(n.kids, k)
			}
		}
	}
	return n
}

// get returns the value of a plain (unprefixed) attribute.
func (n *node) get(local string) string {
	for _, a := range n.attr {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// set replaces or adds a plain attribute; an empty value removes it.
func (n *node) set(local, value string) {
	for i, a := range n.attr {
		if a.Name.Space == "" && a.Name.Local == local {
			if value == "" {
				n.attr = append(n.attr[:i], n.attr[i+1:]...)
			} else {
				n.attr[i].Value = value
			}
			return
		}
	}
	if value != "" {
		n.attr = append(n.attr, xml.Attr{Name: xml.Name{Local: local}, Value: value})
	}
}

// with returns a shallow copy of n whose attribute list can be changed
// without touching n.
func (n *node) with(local, value string) *node {
	c := *n
	c.attr = append([]xml.Attr(nil), n.attr...)
	c.set(local, value)
	return &c
}

// child returns the first child element with the given name, or nil.
func (n *node) child(space, local string) *node {
	for _, k := range n.kids {
		if c, ok := k.(*node); ok && c.name.Local == local && c.name.Space == space {
			return c
		}
	}
	return nil
}

// children returns the child elements with the given name.
func (n *node) children(space, local string) []*node {
	var out []*node
	for _, k := range n.kids {
		if c, ok := k.(*node); ok && c.name.Local == local && c.name.Space == space {
			out = append(out, c)
		}
	}
	return out
}

// first returns the first child element, or nil.
func (n *node) first() *node {
	for _, k := range n.kids {
		if c, ok := k.(*node); ok {
			return c
		}
	}
	return nil
}

// text returns the character data directly inside n.
func (n *node) text() string {
	var b strings.Builder
	for _, k := range n.kids {
		if s, ok := k.(string); ok {
			b.WriteString(s)
		}
	}
	return b.String()
}

// bytes serialises n as a top-level stanza of a jabber:client stream.
func (n *node) bytes() []byte {
	return n.appendTo(make([]byte, 0, 256), nsClient)
}

// appendTo serialises n inside an element whose default namespace is
// parentNS. Namespace declarations read from the wire are dropped and
// written afresh, so what goes out is well-formed whatever came in: each
// namespace of a prefixed attribute is declared once per element, with a
// prefix (ns0, ns1, …) of its own. Duplicate attributes are refused when
// read (see checkStart), so none are written.
func (n *node) appendTo(b []byte, parentNS string) []byte {
	b = append(b, '<')
	b = append(b, n.name.Local...)
	if n.name.Space != parentNS {
		b = appendAttr(b, "xmlns", n.name.Space)
	}
	var spaces []string // namespaces given a prefix on this element: ns0, ns1, …
	for _, a := range n.attr {
		switch {
		case a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns"):
			// a declaration: re-made where needed
		case a.Name.Space == "":
			b = appendAttr(b, a.Name.Local, a.Value)
		case a.Name.Space == nsXML || a.Name.Space == "xml":
			b = appendAttr(b, "xml:"+a.Name.Local, a.Value)
		default:
			i := slices.Index(spaces, a.Name.Space)
			if i < 0 {
				i, spaces = len(spaces), append(spaces, a.Name.Space)
				b = appendAttr(b, "xmlns:ns"+strconv.Itoa(i), a.Name.Space)
			}
			b = appendAttr(b, "ns"+strconv.Itoa(i)+":"+a.Name.Local, a.Value)
		}
	}
	if len(n.kids) == 0 {
		return append(b, '/', '>')
	}
	b = append(b, '>')
	for _, k := range n.kids {
		switch k := k.(type) {
		case *node:
			b = k.appendTo(b, n.name.Space)
		case string:
			b = appendEscaped(b, k, false)
		}
	}
	b = append(b, '<', '/')
	b = append(b, n.name.Local...)
	return append(b, '>')
}

func appendAttr(b []byte, name, value string) []byte {
	b = append(b, ' ')
	b = append(b, name...)
	b = append(b, '=', '\'')
	b = appendEscaped(b, value, true)
	return append(b, '\'')
}

// appendEscaped escapes text for XML content or a single-quoted attribute,
// dropping anything XML 1.0 cannot carry.
func appendEscaped(b []byte, s string, attr bool) []byte {
	for _, r := range s {
		switch {
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '\r':
			b = append(b, "&#xD;"...)
		case attr && r == '\'':
			b = append(b, "&apos;"...)
		case attr && r == '"':
			b = append(b, "&quot;"...)
		case attr && r == '\n':
			b = append(b, "&#xA;"...)
		case attr && r == '\t':
			b = append(b, "&#x9;"...)
		case !xmlChar(r):
			b = append(b, "\uFFFD"...)
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return b
}

// xmlChar reports whether r may appear in an XML 1.0 document.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}
