package xhtml

import (
	"errors"
	"io"
	"strings"
	"unicode"

	"chat/sanitize"
	"mellium.im/xmpp/styling"
)

// Choose renders a message that may carry both a plain body and XHTML-IM:
// the XHTML if there is some, it parses and it has visible text (the
// second result is then true), else the body with message styling. A
// sender's broken or empty XHTML thus never hides its body.
func Choose(body, xhtml string) ([]Span, bool) {
	if xhtml != "" {
		if spans, err := Parse(xhtml); err == nil && visible(spans) {
			return spans, true
		}
	}
	return Styling(body), false
}

// Styling renders body with XEP-0393 message styling: *strong* is Bold,
// _emphasis_ Italic, ~strike~ Strike, `pre` and ``` blocks Code, and lines
// starting with ">" get Style.Quote set to their depth.
//
// The styling directives (the *, _, ~, ` and ``` characters and the ">"
// markers) are kept visible, in the style of the text they delimit: the
// text reads the same as the sender typed it, styling off or on, and
// copying it keeps the markup. Text is sanitized first. A body over
// MaxInput bytes, or one the tokenizer cannot handle (quotes nested deeper
// than MaxDepth, a line over 64 KiB, lines so full of directives that
// tokenizing would take long, more than MaxSpans spans), is shown unstyled
// as Raw does.
func Styling(body string) []Span {
	if len(body) > MaxInput {
		return Raw(body)
	}
	text := sanitize.Text(body)
	pieces, ok := decode(text, true)
	if !ok {
		return Raw(body)
	}
	var w spanWriter
	for _, p := range pieces {
		w.add(p.text, p.style)
	}
	spans, err := w.result()
	if err != nil {
		return Raw(body)
	}
	return spans
}

// piece is a run of styled text from the styling tokenizer.
type piece struct {
	text     string
	style    Style
	blockPre bool // inside a ``` block, not an inline `pre` span
}

// decode tokenizes styling markup. With keep false the directives are
// left out (but the line breaks some of them hold are kept), which is what
// FromStyling puts into XHTML. It reports false if the tokenizer failed,
// as it does on a line longer than 64 KiB.
func decode(text string, keep bool) ([]piece, bool) {
	if quotesTooDeep(text) || tooCostly(text) {
		return nil, false
	}
	d := styling.NewDecoder(strings.NewReader(text))
	l := lines{keep: keep, lineStart: true, markers: -1}
	for d.Next() {
		if tok := d.Token(); len(tok.Data) > 0 { // empty: the virtual end of a quote
			l.token(tok.Mask, string(tok.Data))
		}
	}
	return l.out, errors.Is(d.Err(), io.EOF)
}

// lines turns styling tokens into pieces, correcting the tokenizer where
// it departs from XEP-0393: blocks start only at the start of a line, so a
// ">" or "```" after a span in mid-line is text (mellium starts a block
// there), and a quote's depth is the number of ">" markers its line starts
// with, so a marker that swallowed a newline does not carry its quote on
// to the next line.
type lines struct {
	keep      bool
	out       []piece
	lineStart bool // the next token starts a line
	quote     int  // quote depth of the current line
	markers   int  // index in out of the first of the line's quote markers, or -1
	fakePre   bool // inside a ``` block the tokenizer started in mid-line
}

func (l *lines) token(mask styling.Style, data string) {
	atBlockStart := l.lineStart || l.markers >= 0
	if mask&styling.BlockPreStart != 0 && !atBlockStart {
		l.fakePre = true
	}
	if l.fakePre {
		if mask&styling.BlockPreEnd != 0 {
			l.fakePre = false
		}
		mask &^= styling.BlockPre | styling.BlockPreDirective
	}
	if mask&styling.BlockQuoteStart == 0 || !atBlockStart {
		l.markers = -1
		l.add(mask&^styling.BlockQuoteStart, data)
		return
	}
	rest := ""
	if i := strings.IndexByte(data, '\n'); i >= 0 && i < len(data)-1 {
		data, rest = data[:i+1], data[i+1:] // the white space after ">\n" starts the next line
	}
	l.quote += strings.Count(data, ">")
	if l.markers < 0 {
		l.markers = len(l.out)
	}
	for i := l.markers; i < len(l.out); i++ {
		l.out[i].style.Quote = l.quote // ">>" opens two levels: all markers show the line's depth
	}
	l.add(mask, data)
	if rest != "" {
		l.markers = -1
		l.add(0, rest)
	}
}

// add appends a piece of the current line and notes where the line ends.
func (l *lines) add(mask styling.Style, data string) {
	p := piece{text: data, style: styleOf(mask, l.quote), blockPre: mask&styling.BlockPre != 0}
	if !l.keep && mask&styling.Directive != 0 {
		p.text = directiveRest(mask, data)
	}
	if p.text != "" {
		l.out = append(l.out, p)
	}
	l.lineStart = strings.HasSuffix(data, "\n")
	if l.lineStart {
		l.quote, l.markers = 0, -1
	}
}

// quotesTooDeep reports whether text could nest block quotes deeper than
// MaxDepth: the tokenizer works through every level for every token, so
// thousands of ">" would take quadratic time. A quote level can only open
// right after the marker of the one outside it, so the depth is bounded
// by the number of ">" in a run of ">" and white space.
func quotesTooDeep(text string) bool {
	n := 0
	for _, r := range text {
		switch {
		case r == '>':
			if n++; n > MaxDepth {
				return true
			}
		case !unicode.IsSpace(r):
			n = 0
		}
	}
	return false
}

// maxStylingWork bounds tooCostly's estimate: about 10 ms of tokenizing
// on a slow machine.
const maxStylingWork = 2 << 20

// tooCostly reports whether tokenizing text could take long. The tokenizer
// looks for the end of every span candidate up to the end of its line, so
// a line costs up to its number of directive characters times its length:
// a 64 KiB line of " *a" takes seconds. Ordinary text, even long lines
// with a few directives, stays far below the bound.
func tooCostly(text string) bool {
	work := 0
	for text != "" {
		line, rest, _ := strings.Cut(text, "\n")
		directives := 0
		for i := 0; i < len(line); i++ {
			switch line[i] {
			case '*', '_', '~', '`':
				directives++
			}
		}
		if work += directives * len(line); work > maxStylingWork {
			return true
		}
		text = rest
	}
	return false
}

// directiveRest is what remains of a directive token once the directive
// is left out: the newlines a block quote marker swallows with the white
// space after it (">\n" is a marker and an empty line).
func directiveRest(mask styling.Style, data string) string {
	if mask&styling.BlockQuoteStart == 0 {
		return ""
	}
	return strings.Repeat("\n", strings.Count(data, "\n"))
}

// styleOf maps a styling mask and quote depth to a Style.
func styleOf(m styling.Style, quote int) Style {
	return Style{
		Bold:   m&styling.SpanStrong != 0,
		Italic: m&styling.SpanEmph != 0,
		Strike: m&styling.SpanStrike != 0,
		Code:   m&(styling.SpanPre|styling.BlockPre) != 0,
		Quote:  quote,
	}
}
