package xhtml

import (
	"encoding/xml"
	"fmt"
)

// Validate checks hand-written XHTML-IM (the inner XML of the <body>, as
// typed after "/xhtml") before it is sent: well-formed, within the limits,
// no declaration or processing instruction, only the elements of the
// XEP-0071 recommended profile that Parse renders (a, blockquote, br,
// cite, code, em, img, li, ol, p, pre, q, span, strong, ul), only their
// attributes (style everywhere, href on a, src, alt, width and height on
// img, xml:lang, and xmlns declaring the XHTML namespace), and in style
// only color, background-color, font-weight, font-style and
// text-decoration with values Parse understands. The error names the
// first thing that is wrong and wraps ErrNotAllowed or ErrLimit.
func Validate(inner string) error {
	return walk(inner, func(tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			return checkElement(t)
		case xml.ProcInst:
			return fmt.Errorf("processing instruction <?%s?>: %w", excerpt(t.Target), ErrNotAllowed)
		}
		return nil
	})
}

func checkElement(t xml.StartElement) error {
	name := t.Name.Local
	if t.Name.Space != "" && t.Name.Space != nsXHTML {
		return fmt.Errorf("element <%s> in namespace %q: %w", excerpt(name), excerpt(t.Name.Space), ErrNotAllowed)
	}
	switch name {
	case "a", "blockquote", "br", "cite", "code", "em", "img", "li", "ol", "p", "pre", "q", "span", "strong", "ul":
	default:
		return fmt.Errorf("element <%s>: %w", excerpt(name), ErrNotAllowed)
	}
	for _, a := range t.Attr {
		if err := checkAttr(name, a); err != nil {
			return err
		}
	}
	return nil
}

func checkAttr(elem string, a xml.Attr) error {
	n := a.Name
	switch {
	case n.Space == "" && n.Local == "xmlns", n.Space == "xmlns":
		if a.Value != nsXHTML {
			return fmt.Errorf("namespace %q on <%s>: only %s: %w", excerpt(a.Value), elem, nsXHTML, ErrNotAllowed)
		}
		return nil
	case n.Space == "http://www.w3.org/XML/1998/namespace" && n.Local == "lang":
		return nil
	case n.Space != "":
		return fmt.Errorf("attribute %s:%s on <%s>: %w", excerpt(n.Space), excerpt(n.Local), elem, ErrNotAllowed)
	}
	switch {
	case n.Local == "style":
		if err := checkCSS(a.Value); err != nil {
			return fmt.Errorf("style of <%s>: %w", elem, err)
		}
		return nil
	case elem == "a" && n.Local == "href",
		elem == "img" && (n.Local == "src" || n.Local == "alt" || n.Local == "width" || n.Local == "height"):
		return nil
	}
	return fmt.Errorf("attribute %s on <%s>: %w", excerpt(n.Local), elem, ErrNotAllowed)
}
