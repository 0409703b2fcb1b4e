package server

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// checkStrict is the oracle for what the server writes: b must be a
// well-formed XML document with well-formed namespaces, as a strict parser
// such as expat (slixmpp, Gajim, Profanity) sees it. It rejects duplicate
// attributes, both as written and after namespace resolution (so a
// namespace declared twice on one element is refused too), unbound or
// misused prefixes, names with stray colons, reserved namespaces bound,
// a misplaced XML declaration and content after the root element. The
// input may end between two tokens with elements still open (a stream the
// server has not closed), but not in the middle of one.
func checkStrict(b []byte) error {
	_, err := strictDocument(b)
	return err
}

// strictDocument is checkStrict that also reports whether the root
// element was closed.
func strictDocument(b []byte) (complete bool, err error) {
	c := &strictChecker{d: xml.NewDecoder(bytes.NewReader(b))}
	c.d.Strict = true
	for {
		c.offset = c.d.InputOffset()
		tok, err := c.d.RawToken()
		if errors.Is(err, io.EOF) {
			return c.ended, nil
		}
		if err != nil {
			return false, fmt.Errorf("at byte %d: %w", c.d.InputOffset(), err)
		}
		if err := c.token(tok); err != nil {
			return false, fmt.Errorf("at byte %d: %w", c.d.InputOffset(), err)
		}
	}
}

type strictChecker struct {
	d      *xml.Decoder
	stack  []xml.Name          // open elements, as written
	scopes []map[string]string // prefix → namespace declared on each open element
	offset int64               // where the current token starts
	ended  bool                // the root element has closed
}

func (c *strictChecker) token(tok xml.Token) error {
	switch t := tok.(type) {
	case xml.ProcInst:
		if strings.EqualFold(t.Target, "xml") && c.offset != 0 {
			return errors.New("XML declaration not at the start")
		}
		return nil
	case xml.CharData:
		if c.ended && strings.Trim(string(t), " \t\r\n") != "" {
			return errors.New("text after the root element")
		}
		return nil
	case xml.StartElement:
		if c.ended {
			return errors.New("a second root element")
		}
		return c.start(t)
	case xml.EndElement:
		if len(c.stack) == 0 || c.stack[len(c.stack)-1] != t.Name {
			return fmt.Errorf("end tag %s does not match", qname(t.Name))
		}
		c.stack, c.scopes = c.stack[:len(c.stack)-1], c.scopes[:len(c.scopes)-1]
		c.ended = len(c.stack) == 0
		return nil
	}
	return nil
}

func (c *strictChecker) start(t xml.StartElement) error {
	if err := checkQName(t.Name); err != nil {
		return err
	}
	scope := map[string]string{}
	seen := map[xml.Name]bool{}
	for _, a := range t.Attr {
		if err := checkQName(a.Name); err != nil {
			return err
		}
		if seen[a.Name] {
			return fmt.Errorf("<%s> has attribute %s twice", qname(t.Name), qname(a.Name))
		}
		seen[a.Name] = true
		if err := declare(scope, a); err != nil {
			return fmt.Errorf("<%s>: %w", qname(t.Name), err)
		}
	}
	c.stack, c.scopes = append(c.stack, t.Name), append(c.scopes, scope)
	if t.Name.Space == "xmlns" {
		return fmt.Errorf("element %s has the prefix xmlns", qname(t.Name))
	}
	if _, err := c.resolve(t.Name.Space, true); err != nil {
		return err
	}
	expanded := map[xml.Name]bool{}
	for _, a := range t.Attr {
		if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
			continue
		}
		ns, err := c.resolve(a.Name.Space, false)
		if err != nil {
			return err
		}
		n := xml.Name{Space: ns, Local: a.Name.Local}
		if expanded[n] {
			return fmt.Errorf("<%s> has attribute {%s}%s twice after namespace resolution", qname(t.Name), ns, a.Name.Local)
		}
		expanded[n] = true
	}
	return nil
}

// declare records a namespace declaration in scope, refusing the
// bindings Namespaces in XML 1.0 forbids.
func declare(scope map[string]string, a xml.Attr) error {
	switch {
	case a.Name.Space == "" && a.Name.Local == "xmlns":
		if a.Value == nsXML || a.Value == nsXMLNS {
			return fmt.Errorf("default namespace bound to reserved %s", a.Value)
		}
		scope[""] = a.Value
	case a.Name.Space == "xmlns":
		p := a.Name.Local
		switch {
		case p == "xmlns":
			return errors.New("prefix xmlns declared")
		case p == "xml" && a.Value != nsXML, p != "xml" && a.Value == nsXML:
			return fmt.Errorf("prefix %s bound to %s", p, a.Value)
		case a.Value == nsXMLNS:
			return fmt.Errorf("prefix %s bound to the xmlns namespace", p)
		case a.Value == "":
			return fmt.Errorf("prefix %s bound to the empty namespace", p)
		}
		scope[p] = a.Value
	}
	return nil
}

// resolve finds the namespace of a prefix in the open elements' scopes;
// unprefixed attributes are in no namespace.
func (c *strictChecker) resolve(prefix string, element bool) (string, error) {
	if prefix == "" && !element {
		return "", nil
	}
	if prefix == "xml" {
		return nsXML, nil
	}
	for i := len(c.scopes) - 1; i >= 0; i-- {
		if ns, ok := c.scopes[i][prefix]; ok {
			return ns, nil
		}
	}
	if prefix == "" {
		return "", nil
	}
	return "", fmt.Errorf("prefix %q is not bound", prefix)
}

// checkQName refuses what encoding/xml lets through as a name but
// Namespaces in XML does not: an empty prefix or local part (":a", "a:").
func checkQName(n xml.Name) error {
	if n.Local == "" || strings.Contains(n.Local, ":") {
		return fmt.Errorf("name %q is not a qualified name", qname(n))
	}
	return nil
}

func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}
