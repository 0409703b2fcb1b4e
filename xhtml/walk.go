package xhtml

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"chat/sanitize"
)

// nsXHTML is the namespace of XHTML-IM content.
const nsXHTML = "http://www.w3.org/1999/xhtml"

// walk decodes inner, a sequence of XHTML nodes, in strict mode and hands
// each token to visit. It enforces the limits shared by Parse and Validate
// and refuses declarations (<!DOCTYPE …>), so no entity can be defined:
// encoding/xml knows only the five predefined entities and character
// references.
func walk(inner string, visit func(tok xml.Token) error) error {
	if len(inner) > MaxInput {
		return fmt.Errorf("XHTML of %d bytes, more than %d: %w", len(inner), MaxInput, ErrLimit)
	}
	d := xml.NewDecoder(strings.NewReader(inner))
	d.Strict = true
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("XHTML is not well-formed: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > MaxDepth {
				return fmt.Errorf("elements nested more than %d deep: %w", MaxDepth, ErrLimit)
			}
			if err := checkAttrLen(t); err != nil {
				return err
			}
		case xml.EndElement:
			depth--
		case xml.Directive:
			return fmt.Errorf("declaration <!%s>: %w", excerpt(string(t)), ErrNotAllowed)
		}
		if err := visit(tok); err != nil {
			return err
		}
	}
}

func checkAttrLen(t xml.StartElement) error {
	for _, a := range t.Attr {
		if len(a.Value) > MaxAttr {
			return fmt.Errorf("attribute %s of <%s> has %d bytes, more than %d: %w",
				excerpt(a.Name.Local), excerpt(t.Name.Local), len(a.Value), MaxAttr, ErrLimit)
		}
	}
	return nil
}

// excerpt makes untrusted text fit for an error message: one sanitized
// line of at most 32 runes.
func excerpt(s string) string {
	s = sanitize.Line(s)
	n := 0
	for i := range s {
		if n == 32 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// attr returns the value of the unprefixed attribute name of t.
func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Space == "" && strings.EqualFold(a.Name.Local, name) {
			return a.Value
		}
	}
	return ""
}

// elementName returns the lower-case local name of an element if it is in
// the XHTML namespace (or none), and "" for an element of any other
// namespace, which is not XHTML and so is shown as its bare text.
func elementName(n xml.Name) string {
	if n.Space != "" && n.Space != nsXHTML {
		return ""
	}
	return strings.ToLower(n.Local)
}
