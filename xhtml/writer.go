package xhtml

import (
	"fmt"
	"strings"
)

// spanWriter collects spans, merging runs of equal style, in time linear in
// the text written. It stops growing past MaxSpans and remembers that as
// its error.
type spanWriter struct {
	spans []Span
	cur   strings.Builder // text of the run being written
	style Style           // style of cur
	err   error
}

// add appends text in style st.
func (w *spanWriter) add(text string, st Style) {
	if text == "" || w.err != nil {
		return
	}
	if w.cur.Len() > 0 && st != w.style {
		w.flush()
		if len(w.spans) >= MaxSpans {
			w.err = fmt.Errorf("more than %d spans: %w", MaxSpans, ErrLimit)
			return
		}
	}
	w.style = st
	w.cur.WriteString(text)
}

func (w *spanWriter) flush() {
	if w.cur.Len() > 0 {
		w.spans = append(w.spans, Span{Text: w.cur.String(), Style: w.style})
		w.cur = strings.Builder{}
	}
}

// mark is a position in the written text.
type mark struct{ span, off int }

// mark returns the current end of the text.
func (w *spanWriter) mark() mark { return mark{len(w.spans), w.cur.Len()} }

// since returns the text written after m.
func (w *spanWriter) since(m mark) string {
	var b strings.Builder
	for i := m.span; i <= len(w.spans); i++ {
		t := w.cur.String()
		if i < len(w.spans) {
			t = w.spans[i].Text
		}
		if i == m.span {
			t = t[m.off:]
		}
		b.WriteString(t)
	}
	return b.String()
}

// result returns the spans written, without trailing spaces and newlines,
// or the error that stopped the writer.
func (w *spanWriter) result() ([]Span, error) {
	w.flush()
	if w.err != nil {
		return nil, w.err
	}
	for n := len(w.spans); n > 0; n = len(w.spans) {
		t := strings.TrimRight(w.spans[n-1].Text, " \n")
		if t != "" {
			w.spans[n-1].Text = t
			break
		}
		w.spans = w.spans[:n-1]
	}
	return w.spans, nil
}
