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
// MaxInput bytes, or one the tokenizer cannot handle, is shown unstyled
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
	if quotesTooDeep(text) {
		return nil, false
	}
	d := styling.NewDecoder(strings.NewReader(text))
	var out []piece
	markers := -1 // index in out of the first of a run of quote markers
	for d.Next() {
		tok := d.Token()
		if len(tok.Data) == 0 {
			continue // the virtual end of a block quote
		}
		p := piece{text: string(tok.Data), style: styleOf(tok.Mask, d.Quote()), blockPre: tok.Mask&styling.BlockPre != 0}
		if !keep && tok.Mask&styling.Directive != 0 {
			p.text = directiveRest(tok)
		}
		if p.text == "" {
			continue
		}
		out = append(out, p)
		if tok.Mask&styling.BlockQuoteStart == 0 {
			markers = -1
			continue
		}
		// The markers of ">> x" open one level each; give them all the
		// line's depth, so that a whole line shares one Quote.
		if markers < 0 {
			markers = len(out) - 1
		}
		for i := markers; i < len(out); i++ {
			out[i].style.Quote = p.style.Quote
		}
	}
	return out, errors.Is(d.Err(), io.EOF)
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

// directiveRest is what remains of a directive token once the directive
// is left out: the newlines a block quote marker swallows with the white
// space after it (">\n" is a marker and an empty line).
func directiveRest(tok styling.Token) string {
	if tok.Mask&styling.BlockQuoteStart == 0 {
		return ""
	}
	return strings.Repeat("\n", strings.Count(string(tok.Data), "\n"))
}

// styleOf maps a styling mask and quote depth to a Style.
func styleOf(m styling.Style, quote uint) Style {
	return Style{
		Bold:   m&styling.SpanStrong != 0,
		Italic: m&styling.SpanEmph != 0,
		Strike: m&styling.SpanStrike != 0,
		Code:   m&(styling.SpanPre|styling.BlockPre) != 0,
		Quote:  int(min(quote, MaxDepth)),
	}
}
