package server

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// streamError is an RFC 6120 §4.9 stream error: it is sent to the client
// and then the stream is closed.
type streamError struct {
	cond string // defined condition, e.g. "not-authorized"
	text string // optional human-readable text
}

func (e *streamError) Error() string {
	if e.text != "" {
		return "stream error " + e.cond + ": " + e.text
	}
	return "stream error " + e.cond
}

// bytes renders the error element followed by the stream's end tag.
func (e *streamError) bytes() []byte {
	b := []byte("<stream:error><" + e.cond + " xmlns='" + nsStreams + "'/>")
	if e.text != "" {
		b = append(b, "<text xmlns='"+nsStreams+"'>"...)
		b = appendEscaped(b, e.text, false)
		b = append(b, "</text>"...)
	}
	return append(b, "</stream:error></stream:stream>"...)
}

func errStream(cond, format string, args ...any) *streamError {
	return &streamError{cond: cond, text: fmt.Sprintf(format, args...)}
}

var (
	errTooBig       = errors.New("stanza larger than the limit")
	errStreamClosed = errors.New("client closed the stream")
)

// budgetReader hands bytes to the XML decoder and fails once more than
// max bytes have been read since the last reset, so that a huge stanza (or
// one huge text node) is refused before it is held in memory. It is an
// io.ByteReader, so encoding/xml adds no buffering of its own and a new
// decoder can be started on it after a stream restart without losing bytes.
type budgetReader struct {
	r    *bufio.Reader
	left int
	max  int
	err  error // the last error of r, to tell it from the decoder's own
}

func newBudgetReader(r io.Reader, max int) *budgetReader {
	return &budgetReader{r: bufio.NewReaderSize(r, 2048), left: max, max: max}
}

func (b *budgetReader) ReadByte() (byte, error) {
	if b.left <= 0 {
		return 0, errTooBig
	}
	b.left--
	c, err := b.r.ReadByte()
	if err != nil {
		b.err = err
	}
	return c, err
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, errTooBig
	}
	if len(p) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= n
	if err != nil {
		b.err = err
	}
	return n, err
}

func (b *budgetReader) reset() { b.left = b.max }

// stanzaReader reads one stream: its header, then whole top-level elements.
type stanzaReader struct {
	in       *budgetReader
	d        *xml.Decoder
	maxDepth int
}

// restart starts a new XML document on the same bytes (after STARTTLS or
// SASL success the client opens a new stream).
func (r *stanzaReader) restart() {
	r.d = xml.NewDecoder(r.in)
	r.d.Strict = true
	r.in.reset()
}

// header is what a client's stream header says.
type header struct {
	to, from, lang string
}

// readHeader reads up to and including the stream's start element.
func (r *stanzaReader) readHeader() (header, error) {
	for {
		tok, err := r.token()
		if err != nil {
			return header{}, err
		}
		switch t := tok.(type) {
		case xml.ProcInst:
			if t.Target != "xml" {
				return header{}, errStream("restricted-xml", "processing instructions are not allowed")
			}
		case xml.CharData:
			if strings.TrimSpace(string(t)) != "" {
				return header{}, errStream("not-well-formed", "text before the stream header")
			}
		case xml.StartElement:
			return checkHeader(t)
		default:
			return header{}, errStream("restricted-xml", "comments and directives are not allowed")
		}
	}
}

func checkHeader(t xml.StartElement) (header, error) {
	if t.Name.Space != nsStream || t.Name.Local != "stream" {
		return header{}, errStream("invalid-namespace", "expected a stream header")
	}
	var h header
	var ns, version string
	for _, a := range t.Attr {
		switch {
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			ns = a.Value
		case a.Name.Space == "" && a.Name.Local == "to":
			h.to = a.Value
		case a.Name.Space == "" && a.Name.Local == "from":
			h.from = a.Value
		case a.Name.Space == "" && a.Name.Local == "version":
			version = a.Value
		case a.Name.Local == "lang" && (a.Name.Space == nsXML || a.Name.Space == "xml"):
			h.lang = a.Value
		}
	}
	if ns != nsClient {
		return h, errStream("invalid-namespace", "the default namespace must be jabber:client")
	}
	if !strings.HasPrefix(version, "1.") {
		return h, errStream("unsupported-version", "version 1.0 is required")
	}
	return h, nil
}

// token reads one token, mapping failures to stream errors.
func (r *stanzaReader) token() (xml.Token, error) {
	tok, err := r.d.Token()
	if err == nil {
		return tok, nil
	}
	var syn *xml.SyntaxError
	switch {
	case errors.Is(err, errTooBig):
		return nil, errStream("policy-violation", "stanza larger than %d bytes", r.in.max)
	case errors.As(err, &syn):
		return nil, errStream("not-well-formed", "%s", syn.Msg)
	case err == io.EOF:
		return nil, io.ErrUnexpectedEOF
	case r.in.err != nil && errors.Is(err, r.in.err):
		return nil, err // the connection failed or timed out
	}
	// What is left are the decoder's own refusals, which are not
	// SyntaxErrors: an XML declaration of another version than 1.0, or of
	// an encoding other than UTF-8.
	msg := err.Error()
	switch {
	case strings.Contains(msg, "unsupported version"):
		return nil, errStream("unsupported-version", "only XML 1.0 is supported")
	case strings.Contains(msg, "encoding"), strings.Contains(msg, "charset"):
		return nil, errStream("unsupported-encoding", "only UTF-8 is supported")
	}
	return nil, errStream("not-well-formed", "%s", strings.TrimPrefix(msg, "xml: "))
}

// next reads the next top-level element of the stream. Whitespace between
// stanzas (keepalives) is skipped; the stream's end tag gives
// errStreamClosed.
func (r *stanzaReader) next() (*node, error) {
	r.in.reset()
	for {
		tok, err := r.token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if strings.TrimSpace(string(t)) != "" {
				return nil, errStream("not-well-formed", "text between stanzas")
			}
			r.in.reset()
		case xml.EndElement:
			return nil, errStreamClosed
		case xml.StartElement:
			n, err := r.element(t)
			if err != nil {
				return nil, err
			}
			return n, nil
		default:
			return nil, errStream("restricted-xml", "comments, processing instructions and directives are not allowed")
		}
	}
}

// element reads the rest of an element whose start tag was start.
func (r *stanzaReader) element(start xml.StartElement) (*node, error) {
	if err := checkStart(start); err != nil {
		return nil, err
	}
	root := &node{name: start.Name, attr: start.Attr}
	stack := []*node{root}
	for len(stack) > 0 {
		tok, err := r.token()
		if err != nil {
			return nil, err
		}
		top := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= r.maxDepth {
				return nil, errStream("policy-violation", "elements nested deeper than %d", r.maxDepth)
			}
			if err := checkStart(t); err != nil {
				return nil, err
			}
			n := &node{name: t.Name, attr: t.Attr}
			top.kids = append(top.kids, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			top.kids = append(top.kids, string(t))
		default:
			return nil, errStream("restricted-xml", "comments, processing instructions and directives are not allowed")
		}
	}
	return root, nil
}

// checkStart refuses what encoding/xml lets through but XML with
// namespaces does not, and what could not be written back well-formed: an
// attribute twice (as written or after namespace resolution: encoding/xml
// does not check; a second from= would also survive the stamping of the
// first), a name with an empty prefix or local part ("a:", ":a"), and an
// element in, or an attribute in, a namespace reserved for declarations.
func checkStart(t xml.StartElement) error {
	if bad := badName(t.Name); bad != "" {
		return errStream("not-well-formed", "element name %s", bad)
	}
	switch t.Name.Space {
	case nsXML, nsXMLNS, "xmlns":
		return errStream("not-well-formed", "element <%s> in a reserved namespace", t.Name.Local)
	}
	for i, a := range t.Attr {
		if bad := badName(a.Name); bad != "" {
			return errStream("not-well-formed", "attribute name %s", bad)
		}
		if a.Name.Space == nsXMLNS {
			return errStream("not-well-formed", "attribute %s in the xmlns namespace", a.Name.Local)
		}
		for _, b := range t.Attr[:i] {
			if b.Name == a.Name {
				return errStream("not-well-formed", "attribute %s twice on <%s>", a.Name.Local, t.Name.Local)
			}
		}
	}
	return nil
}

// badName describes what is wrong with a name, or returns "".
func badName(n xml.Name) string {
	if n.Local == "" || strings.Contains(n.Local, ":") {
		return fmt.Sprintf("%q is not a qualified name", n.Local)
	}
	return ""
}

// streamHeader is the server's stream start: from our domain, to the JID
// the client named itself (if it parses), with a fresh id.
func streamHeader(domain, to, id string) []byte {
	b := []byte("<?xml version='1.0'?><stream:stream xmlns='" + nsClient + "' xmlns:stream='" + nsStream + "' version='1.0' xml:lang='en'")
	b = appendAttr(b, "id", id)
	b = appendAttr(b, "from", domain)
	if to != "" {
		b = appendAttr(b, "to", to)
	}
	return append(b, '>')
}
