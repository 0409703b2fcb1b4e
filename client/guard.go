package client

import (
	"bytes"
	"encoding/xml"
	"fmt"
)

// The stream guard keeps what the server sends within limits before
// encoding/xml sees it. The decoder cannot be trusted with a hostile
// stanza: it buffers a whole element name (a 50 MB name costs 200 MB) and
// keeps a stack entry per open element (ten million nested <a> cost
// gigabytes), and both happen before any handler could look. So the guard
// lexes the raw bytes (tags, quoted attribute values, comments, CDATA,
// processing instructions; just enough to follow the nesting) and holds
// each stanza until it is complete. A complete stanza within the limits is
// passed on unchanged; one that grows past maxBytes or nests deeper than
// maxDepth is discarded as it arrives, without being kept, and the decoder
// gets a <dropped xmlns='urn:x-chat:guard'/> element in its place, which
// the handler reports. Only a server can put an element at the top level,
// so only our server could forge one, and it can drop stanzas anyway.
//
// Anything the guard cannot follow that XMPP forbids anyway (a DTD, a
// markup declaration) or an oversized stream header ends the stream.

// nsGuard is the namespace of the element that replaces a dropped stanza.
const nsGuard = "urn:x-chat:guard"

// maxRestarts is how many stream headers may follow the first one on one
// connection: XMPP restarts the stream after SASL (STARTTLS gets a new
// guard). Past it a stream header is an ordinary, limited, stanza, so a
// server cannot deepen the decoder's stack with a run of headers.
const maxRestarts = 2

type lexState uint8

const (
	lexText      lexState = iota
	lexLT                 // after '<'
	lexStartName          // in a start tag's name
	lexStartTag           // in a start tag, after its name
	lexAttrValue          // in a quoted attribute value
	lexSlash              // after '/' in a start tag
	lexEndTag             // in an end tag
	lexPI                 // in <?…?>
	lexBang               // after "<!"
	lexComment            // in <!--…-->
	lexCDATA              // in <![CDATA[…]]>
)

// guardLimits are the limits of one stanza.
type guardLimits struct {
	maxBytes int // bytes of one stanza, markup included
	maxDepth int // levels of elements inside the stanza element
}

// streamGuard filters one direction of one stream. It is not safe for
// concurrent use.
type streamGuard struct {
	lim guardLimits

	st    lexState
	quote byte   // the quote closing the attribute value
	run   int    // with lexPI, lexBang, lexComment, lexCDATA: terminator bytes matched
	bang  string // with lexBang: the opening being matched, "--" or "[CDATA["
	name  [16]byte
	nameN int // length of the current start tag's name (may exceed len(name))

	depth    int // open elements: 1 in the stream, 2 in a stanza
	restarts int

	held     []byte // the markup or stanza in progress
	tagEnd   int    // len(held) when the stanza's start tag ended; 0 before
	size     int    // bytes of the stanza in progress
	dropping bool   // the stanza in progress is over a limit: discard to its end
	textRun  int    // bytes of text passed on since the last markup at the top

	err error // set once: the stream cannot go on
}

func newStreamGuard(lim guardLimits) *streamGuard { return &streamGuard{lim: lim} }

// feed lexes in and appends to out what the decoder may see. After an
// error, feed returns out unchanged and the error again.
func (g *streamGuard) feed(out, in []byte) ([]byte, error) {
	for len(in) > 0 && g.err == nil {
		if n := g.plain(in); n > 1 {
			out = g.bulk(out, in[:n])
			in = in[n:]
			continue
		}
		out = g.byte(out, in[0])
		in = in[1:]
	}
	return out, g.err
}

// plain returns how many bytes at the start of in leave the lexer as it
// is: text up to the next '<', an attribute value up to its quote.
func (g *streamGuard) plain(in []byte) int {
	var stop byte
	switch g.st {
	case lexText:
		stop = '<'
	case lexAttrValue:
		stop = g.quote
	default:
		return 0
	}
	if i := bytes.IndexByte(in, stop); i >= 0 {
		return i
	}
	return len(in)
}

// bulk is byte for a run of bytes plain found.
func (g *streamGuard) bulk(out, run []byte) []byte {
	if g.st == lexText && g.depth < 2 {
		n := min(len(run), g.lim.maxBytes-g.textRun)
		g.textRun += n
		return append(out, run[:n]...)
	}
	if g.dropping {
		return out
	}
	g.held = append(g.held, run...)
	g.size += len(run)
	if g.size > g.lim.maxBytes {
		out = g.overflow(out, fmt.Sprintf("stanza larger than the limit (%d bytes)", g.lim.maxBytes))
	}
	return out
}

// holding reports whether the current byte belongs to markup or a stanza
// that is held back, as opposed to text between stanzas.
func (g *streamGuard) holding() bool { return g.depth >= 2 || g.st != lexText }

func (g *streamGuard) byte(out []byte, b byte) []byte {
	if g.st == lexText && b != '<' && g.depth < 2 {
		// Text between stanzas: whitespace keepalives. The decoder keeps
		// a run of it until the next '<', so only so much is passed on.
		if g.textRun < g.lim.maxBytes {
			g.textRun++
			out = append(out, b)
		}
		return out
	}
	if !g.dropping {
		g.held = append(g.held, b)
		g.size++
		if g.size > g.lim.maxBytes {
			out = g.overflow(out, fmt.Sprintf("stanza larger than the limit (%d bytes)", g.lim.maxBytes))
		}
	}
	return g.lex(out, b)
}

// lex advances the lexer by b; it returns out with anything released.
func (g *streamGuard) lex(out []byte, b byte) []byte {
	switch g.st {
	case lexText:
		if b == '<' {
			g.st = lexLT
		}
	case lexLT:
		switch b {
		case '/':
			g.st = lexEndTag
		case '?':
			g.st, g.run = lexPI, 0
		case '!':
			g.st, g.run, g.bang = lexBang, 0, ""
		default:
			g.st, g.nameN = lexStartName, 0
			return g.lex(out, b)
		}
	case lexStartName:
		switch {
		case isSpace(b):
			g.st = lexStartTag
		case b == '/':
			g.st = lexSlash
		case b == '>':
			return g.startTag(out, false)
		default:
			if g.nameN < len(g.name) {
				g.name[g.nameN] = b
			}
			g.nameN++
		}
	case lexStartTag, lexSlash:
		switch {
		case b == '>':
			return g.startTag(out, g.st == lexSlash)
		case b == '"' || b == '\'':
			g.st, g.quote = lexAttrValue, b
		case b == '/':
			g.st = lexSlash
		default:
			g.st = lexStartTag
		}
	case lexAttrValue:
		if b == g.quote {
			g.st = lexStartTag
		}
	case lexEndTag:
		if b == '>' {
			g.depth = max(g.depth-1, 0)
			return g.markupDone(out)
		}
	case lexPI:
		return g.terminator(out, b, '?', 1)
	case lexBang:
		g.openBang(b)
	case lexComment:
		return g.terminator(out, b, '-', 2)
	case lexCDATA:
		return g.terminator(out, b, ']', 2)
	}
	return out
}

// terminator ends a PI, comment or CDATA section at n or more of c then '>'.
func (g *streamGuard) terminator(out []byte, b, c byte, n int) []byte {
	switch {
	case b == c:
		g.run++
	case b == '>' && g.run >= n:
		return g.markupDone(out)
	default:
		g.run = 0
	}
	return out
}

// openBang matches "<!--" or "<![CDATA["; anything else after "<!" is a
// declaration, which RFC 6120 §11.1 forbids.
func (g *streamGuard) openBang(b byte) {
	if g.bang == "" {
		switch b {
		case '-':
			g.bang = "--"
		case '[':
			g.bang = "[CDATA["
		default:
			g.err = fmt.Errorf("server sent a markup declaration (<!%c…), which XMPP forbids", b)
			return
		}
	}
	if g.bang[g.run] != b {
		g.err = fmt.Errorf("server sent a malformed <!%s…", g.bang[:g.run])
		return
	}
	g.run++
	if g.run == len(g.bang) {
		g.st, g.run = lexComment, 0
		if g.bang != "--" {
			g.st = lexCDATA
		}
	}
}

// startTag handles the end of a start tag.
func (g *streamGuard) startTag(out []byte, empty bool) []byte {
	switch {
	case empty:
		if g.depth+1-2 > g.lim.maxDepth && !g.dropping {
			out = g.overflow(out, fmt.Sprintf("stanza nested deeper than the limit (%d levels)", g.lim.maxDepth))
		}
	case g.depth == 1 && g.isStreamHeader() && g.restarts < maxRestarts:
		g.restarts++ // a restarted stream: a new decoder reads it as its root
	default:
		g.depth++
		if g.depth == 2 && !g.dropping {
			g.tagEnd = len(g.held)
		}
		if g.depth-2 > g.lim.maxDepth && !g.dropping {
			out = g.overflow(out, fmt.Sprintf("stanza nested deeper than the limit (%d levels)", g.lim.maxDepth))
		}
	}
	return g.markupDone(out)
}

// isStreamHeader reports whether the start tag just read is a stream
// header: named stream with any prefix.
func (g *streamGuard) isStreamHeader() bool {
	if g.nameN > len(g.name) {
		return false
	}
	n := g.name[:g.nameN]
	return string(n) == "stream" || bytes.HasSuffix(n, []byte(":stream"))
}

// markupDone ends a tag, comment, PI or CDATA section. Back at the top, a
// held stanza is complete and released; a dropped one is over.
func (g *streamGuard) markupDone(out []byte) []byte {
	g.st = lexText
	if g.depth >= 2 {
		return out
	}
	if !g.dropping {
		out = append(out, g.held...)
	}
	g.dropping = false
	g.textRun = 0
	g.resetHeld()
	return out
}

func (g *streamGuard) resetHeld() {
	g.held, g.size, g.tagEnd = g.held[:0], 0, 0
	if cap(g.held) > 64<<10 {
		g.held = nil // do not keep a megabyte for every connection
	}
}

// overflow drops the stanza in progress: what was held is forgotten, the
// rest will be discarded as it comes, and the decoder gets a <dropped/>
// element instead. Past the limit outside any stanza (a stream header, a
// comment between stanzas) the stream cannot go on.
func (g *streamGuard) overflow(out []byte, reason string) []byte {
	inStanza := g.depth >= 2 || g.depth == 1 && g.inStartTag()
	if !inStanza {
		g.err = fmt.Errorf("server sent markup outside any stanza: %s", reason)
		return out
	}
	out = appendDropped(out, g.stanzaStart(), reason)
	g.dropping = true
	g.resetHeld()
	return out
}

func (g *streamGuard) inStartTag() bool {
	switch g.st {
	case lexLT, lexStartName, lexStartTag, lexAttrValue, lexSlash:
		return true
	}
	return false
}

// stanzaStart parses the held stanza's start tag, if it is complete.
func (g *streamGuard) stanzaStart() xml.StartElement {
	if g.tagEnd == 0 {
		return xml.StartElement{}
	}
	tok, err := xml.NewDecoder(bytes.NewReader(g.held[:g.tagEnd])).RawToken()
	if start, ok := tok.(xml.StartElement); ok && err == nil {
		return start
	}
	return xml.StartElement{}
}

// appendDropped writes the element that stands for a dropped stanza:
// <dropped xmlns='urn:x-chat:guard' stanza='message' from='…' id='…' type='…' reason='…'/>.
// The id and type let a request whose answer was dropped fail at once.
func appendDropped(out []byte, start xml.StartElement, reason string) []byte {
	var b bytes.Buffer
	attr := func(name, value string) {
		b.WriteString(" " + name + "='")
		xml.EscapeText(&b, []byte(value))
		b.WriteString("'")
	}
	b.WriteString("<dropped xmlns='" + nsGuard + "'")
	attr("stanza", start.Name.Local)
	attr("from", attrValue(start, "from"))
	attr("id", attrValue(start, "id"))
	attr("type", attrValue(start, "type"))
	attr("reason", reason)
	b.WriteString("/>")
	return append(out, b.Bytes()...)
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }
