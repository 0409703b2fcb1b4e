package xhtml

import "strings"

// layout turns a stream of inline text, preformatted text and block
// boundaries into spans, the way a browser lays out HTML on lines: white
// space collapses outside <pre>, blocks start on a new line, line breaks
// do not pile up, and lines inside block quotes start with "> " markers.
type layout struct {
	w         spanWriter
	started   bool  // something visible has been written
	lineStart bool  // nothing written on the current line yet, not even a marker
	noSpace   bool  // a collapsed space here would be dropped (line start, after a bullet)
	space     bool  // a collapsed space is pending
	brk       bool  // a block boundary is pending
	newlines  int   // consecutive newlines at the end of the text
	last      Style // style of the last text written
}

func newLayout() *layout { return &layout{lineStart: true, noSpace: true} }

// block notes a block boundary: the next text starts on a new line.
func (l *layout) block() {
	l.brk = true
	l.space = false
}

// lineBreak is <br/>: end the current line (after any pending block
// boundary), even if it is empty.
func (l *layout) lineBreak() {
	l.flushBlock()
	l.newline()
}

// inline writes text that is not preformatted: runs of white space
// collapse into one space, dropped at the start of a line.
func (l *layout) inline(text string, st Style) {
	for text != "" {
		i := strings.IndexAny(text, " \t\n\r\f")
		if i != 0 {
			word := text
			if i > 0 {
				word = text[:i]
			}
			l.word(word, st)
			text = text[len(word):]
			continue
		}
		l.space = true
		text = strings.TrimLeft(text, " \t\n\r\f")
	}
}

// word writes text holding no white space.
func (l *layout) word(word string, st Style) {
	l.flushBlock()
	if l.space && !l.noSpace {
		l.put(" ", common(l.last, st))
	}
	l.space = false
	l.put(word, st)
	l.noSpace = false
}

// prefix writes a list bullet or number: like a word, but the white
// space that follows it in the source is dropped.
func (l *layout) prefix(p string, st Style) {
	l.word(p, st)
	l.noSpace = true
}

// pre writes preformatted text as it is, newlines included.
func (l *layout) pre(text string, st Style) {
	l.flushBlock()
	if l.space && !l.noSpace {
		l.put(" ", common(l.last, st))
	}
	l.space = false
	for {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			l.put(text, st)
			return
		}
		l.put(text[:i], st)
		l.newline()
		text = text[i+1:]
	}
}

func (l *layout) flushBlock() {
	if l.brk && !l.lineStart {
		l.newline()
	}
	l.brk = false
}

// put writes text without newlines, preceded by quote markers at the
// start of a line.
func (l *layout) put(text string, st Style) {
	if text == "" {
		return
	}
	if l.lineStart && st.Quote > 0 {
		l.w.add(strings.Repeat("> ", st.Quote), Style{Quote: st.Quote})
	}
	l.w.add(text, st)
	l.last = st
	l.started, l.lineStart, l.newlines = true, false, 0
}

// newline ends the line, unless nothing was written yet or too many
// line breaks already follow each other.
func (l *layout) newline() {
	l.lineStart, l.noSpace, l.space = true, true, false
	if !l.started || l.newlines >= maxNewlines {
		return
	}
	l.w.add("\n", l.last)
	l.newlines++
}
