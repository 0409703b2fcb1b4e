package xhtml

import (
	"encoding/xml"
	"fmt"
	"strings"

	"chat/sanitize"
)

// FromStyling builds the XHTML-IM for a message typed with XEP-0393
// styling markup: the inner XML of the <body> to put in
// client.OutMessage.XHTML. Lines become <p> with <br/> between them,
// quotes <blockquote>, ``` blocks <pre>; *strong*, _emphasis_ and `code`
// become <strong>, <em> and <code>, and ~strike~ becomes <span
// style="text-decoration: line-through"> (the recommended profile has no
// <del>). The directives themselves are left out, since the markup now
// says what they said. Text is escaped, characters XML cannot carry are
// dropped along with terminal controls (as sanitize.Text does), and
// spaces that XHTML would collapse (indentation, runs of
// spaces) are sent as no-break spaces so they survive.
//
// Markup without any styling gives "": the body alone says it all.
// Any other result passes Validate; markup whose XHTML would not (over
// MaxInput once built, or quoted deeper than the nesting limit allows)
// gives an error wrapping ErrLimit, and the message should go without XHTML.
func FromStyling(markup string) (string, error) {
	if len(markup) > MaxInput {
		return "", fmt.Errorf("styling markup of %d bytes, more than %d: %w", len(markup), MaxInput, ErrLimit)
	}
	pieces, ok := decode(sanitize.XMLText(sanitize.Text(markup)), false)
	if !ok {
		return "", fmt.Errorf("styling markup: quotes nested too deep, a line too long or too full of directives: %w", ErrLimit)
	}
	if !styled(pieces) {
		return "", nil
	}
	var b strings.Builder
	writeBlocks(&b, splitLines(pieces), 0)
	out := b.String()
	if err := Validate(out); err != nil {
		return "", fmt.Errorf("XHTML built from styling: %w", err)
	}
	return out, nil
}

// styled reports whether any piece has a style XHTML would show.
func styled(pieces []piece) bool {
	for _, p := range pieces {
		if p.style != (Style{}) {
			return true
		}
	}
	return false
}

// line is one line of styled text.
type line struct {
	quote   int
	pre     bool
	claimed bool // quote and pre are set
	runs    []piece
}

// splitLines cuts pieces at their newlines and drops empty lines at both ends.
func splitLines(pieces []piece) []line {
	var lines []line
	var cur line
	for _, p := range pieces {
		parts := strings.Split(p.text, "\n")
		for i, part := range parts {
			if i > 0 {
				lines = append(lines, cur)
				cur = line{}
			}
			// A line that starts where the piece ends belongs to the next piece.
			endsHere := i > 0 && i == len(parts)-1 && part == ""
			if !cur.claimed && !endsHere {
				cur.quote, cur.pre, cur.claimed = p.style.Quote, p.blockPre, true
			}
			if part != "" {
				cur.runs = append(cur.runs, piece{text: part, style: p.style})
			}
		}
	}
	lines = append(lines, cur)
	for len(lines) > 0 && len(lines[0].runs) == 0 {
		lines = lines[1:]
	}
	for len(lines) > 0 && len(lines[len(lines)-1].runs) == 0 {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// writeBlocks writes lines quoted at least level deep: deeper runs of
// lines as a <blockquote>, preformatted runs as <pre>, others as <p>.
func writeBlocks(b *strings.Builder, lines []line, level int) {
	for i := 0; i < len(lines); {
		ln := lines[i]
		j := i + 1
		switch {
		case ln.quote > level:
			for j < len(lines) && lines[j].quote > level {
				j++
			}
			b.WriteString("<blockquote>")
			writeBlocks(b, lines[i:j], level+1)
			b.WriteString("</blockquote>")
		case ln.pre:
			for j < len(lines) && lines[j].quote == level && lines[j].pre {
				j++
			}
			writePre(b, lines[i:j])
		default:
			for j < len(lines) && lines[j].quote == level && !lines[j].pre {
				j++
			}
			writePara(b, lines[i:j])
		}
		i = j
	}
}

func writePre(b *strings.Builder, lines []line) {
	b.WriteString("<pre>")
	for i, ln := range lines {
		if i > 0 {
			b.WriteString("\n")
		}
		for _, r := range ln.runs {
			escape(b, r.text)
		}
	}
	b.WriteString("</pre>")
}

// writePara writes lines as one paragraph. A trailing empty line needs a
// second <br/>: a lone one at the end of a block shows nothing.
func writePara(b *strings.Builder, lines []line) {
	b.WriteString("<p>")
	for i, ln := range lines {
		if i > 0 {
			b.WriteString("<br/>")
		}
		writeRuns(b, ln.runs)
	}
	if len(lines) > 0 && len(lines[len(lines)-1].runs) == 0 {
		b.WriteString("<br/>")
	}
	b.WriteString("</p>")
}

// writeRuns writes the runs of one line, each in its inline elements
// (neighbours of equal style share them). A space at the start of the line
// or after another space is written as a no-break space.
func writeRuns(b *strings.Builder, runs []piece) {
	lineStart, prevSpace := true, false
	closing := ""
	for i, r := range runs {
		if i == 0 || r.style != runs[i-1].style {
			b.WriteString(closing)
			var open string
			open, closing = tags(r.style)
			b.WriteString(open)
		}
		start := 0
		for k := 0; k < len(r.text); k++ {
			c := r.text[k]
			if c == ' ' && (lineStart || prevSpace) {
				escape(b, r.text[start:k])
				b.WriteString("\u00a0")
				start = k + 1
			}
			prevSpace, lineStart = c == ' ', false
		}
		escape(b, r.text[start:])
	}
	b.WriteString(closing)
}

// tags returns the opening and closing tags for an inline style.
func tags(st Style) (open, closing string) {
	var o, c []string
	add := func(on bool, start, end string) {
		if on {
			o = append(o, start)
			c = append([]string{end}, c...)
		}
	}
	add(st.Bold, "<strong>", "</strong>")
	add(st.Italic, "<em>", "</em>")
	add(st.Strike, `<span style="text-decoration: line-through">`, "</span>")
	add(st.Code, "<code>", "</code>")
	return strings.Join(o, ""), strings.Join(c, "")
}

// escape writes s as XML character data.
func escape(b *strings.Builder, s string) {
	_ = xml.EscapeText(b, []byte(s)) // a strings.Builder does not fail
}
