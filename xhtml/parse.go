package xhtml

import (
	"encoding/xml"
	"strconv"
	"strings"

	"chat/sanitize"
)

// Parse renders inner, the XML inside a XEP-0071 <body
// xmlns='http://www.w3.org/1999/xhtml'> element, into spans.
//
// It follows the XEP-0071 recommended profile: p, br, span, strong, em, a,
// blockquote, cite, code, pre, q, ul, ol, li and img are rendered (with a
// few harmless synonyms: div and headings as blocks, b, i, u, s, del, tt
// and kbd as styles); the style attribute's color, background-color,
// font-weight, font-style and text-decoration are understood. Any other
// element is ignored but its text is kept; the contents of script, style,
// head, title, object, iframe and the like are dropped entirely.
//
// Links show their target: "text <https://…>" unless the text is the
// target itself; an image shows as "[image: alt] <src>". Targets are plain
// text to this package, whatever their scheme ("javascript:" included);
// Style.Link only lets a front end list them (see Links).
//
// Parse fails on XML that is not well-formed, on a DOCTYPE or other
// declaration, and over the limits (MaxInput, MaxDepth, MaxAttr,
// MaxSpans); the caller should then show the plain body, as Choose does.
func Parse(inner string) ([]Span, error) {
	r := renderer{l: newLayout(), stack: []frame{{}}}
	if err := walk(inner, r.token); err != nil {
		return nil, err
	}
	return r.l.w.result()
}

// frame is the state an element gives its content.
type frame struct {
	style  Style
	pre    bool   // inside <pre>: white space is kept
	fresh  bool   // a <pre> whose text has not begun: a first newline is dropped
	drop   bool   // inside <script> or the like: nothing is shown
	list   string // "ul" or "ol" for a list element
	items  int    // items seen so far in an "ol"
	name   string // the element's local name, lower case
	href   string // for <a>: the sanitized target
	linkAt mark   // for <a>: where its text begins
}

type renderer struct {
	l     *layout
	stack []frame
}

func (r *renderer) top() *frame { return &r.stack[len(r.stack)-1] }

func (r *renderer) token(tok xml.Token) error {
	switch t := tok.(type) {
	case xml.StartElement:
		r.start(t)
	case xml.EndElement:
		r.end()
	case xml.CharData:
		r.text(string(t))
	}
	return r.l.w.err
}

func (r *renderer) text(s string) {
	f := r.top()
	defer func() { f.fresh = false }()
	switch {
	case f.drop:
	case f.pre:
		if f.fresh {
			s = strings.TrimPrefix(s, "\n")
		}
		r.l.pre(sanitize.Text(s), f.style)
	default:
		r.l.inline(sanitize.Text(s), f.style)
	}
}

// dropped reports whether an element's content is never shown, in any
// namespace.
func dropped(local string) bool {
	switch strings.ToLower(local) {
	case "script", "style", "head", "title", "object", "embed", "iframe",
		"applet", "noscript", "template", "audio", "video", "canvas", "svg", "math":
		return true
	}
	return false
}

func (r *renderer) start(t xml.StartElement) {
	f := *r.top()
	f.list, f.items, f.href, f.fresh = "", 0, "", false
	f.name = elementName(t.Name)
	r.stack = append(r.stack, f)
	g := r.top()
	if g.drop || dropped(t.Name.Local) {
		g.drop = true
		return
	}
	applyCSS(&g.style, attr(t, "style"))
	switch g.name {
	case "p", "div", "body", "h1", "h2", "h3", "h4", "h5", "h6", "dl", "dt", "dd", "address", "hr", "table", "tr":
		r.l.block()
		g.style.Bold = g.style.Bold || len(g.name) == 2 && g.name[0] == 'h' && g.name != "hr"
	case "ul", "ol":
		r.l.block()
		g.list = g.name
	case "li":
		r.item(g)
	case "blockquote":
		r.l.block()
		g.style.Quote++
	case "pre":
		r.l.block()
		g.pre, g.fresh, g.style.Code = true, true, true
	case "br":
		r.l.lineBreak()
	case "img":
		r.image(t, g.style)
	case "a":
		r.anchor(t, g)
	case "q":
		r.l.word("“", g.style)
	default:
		inlineStyle(g.name, &g.style)
	}
}

// inlineStyle applies the style an inline element implies.
func inlineStyle(name string, st *Style) {
	switch name {
	case "strong", "b":
		st.Bold = true
	case "em", "i", "cite", "dfn", "var":
		st.Italic = true
	case "u", "ins":
		st.Underline = true
	case "s", "strike", "del":
		st.Strike = true
	case "code", "tt", "kbd", "samp":
		st.Code = true
	}
}

func (r *renderer) end() {
	f := r.stack[len(r.stack)-1]
	r.stack = r.stack[:len(r.stack)-1]
	if f.drop {
		return
	}
	switch f.name {
	case "p", "div", "body", "h1", "h2", "h3", "h4", "h5", "h6", "dl", "dt", "dd", "address", "hr", "table", "tr",
		"ul", "ol", "li", "blockquote", "pre":
		r.l.block()
	case "a":
		r.endAnchor(f)
	case "q":
		r.l.space = false
		r.l.word("”", f.style)
	}
}

// item starts a list item on a new line with its bullet or number,
// indented by two spaces per enclosing list beyond the first.
func (r *renderer) item(g *frame) {
	r.l.block()
	depth, bullet := 0, "• "
	var list *frame
	for i := len(r.stack) - 2; i >= 0; i-- {
		if r.stack[i].list == "" {
			continue
		}
		if list == nil {
			list = &r.stack[i]
		}
		depth++
	}
	if list != nil && list.list == "ol" {
		list.items++
		bullet = strconv.Itoa(list.items) + ". "
	}
	indent := strings.Repeat("  ", max(depth-1, 0))
	r.l.prefix(indent+bullet, Style{Quote: g.style.Quote})
}

// image shows an <img> as its alt text and where it comes from. A data:
// URI is shown by its media type only and is not a link.
func (r *renderer) image(t xml.StartElement, st Style) {
	alt := strings.TrimSpace(sanitize.Line(attr(t, "alt")))
	src := strings.TrimSpace(sanitize.Line(attr(t, "src")))
	label := "[image]"
	if alt != "" {
		label = "[image: " + alt + "]"
	}
	st.Underline = false
	if strings.HasPrefix(strings.ToLower(src), "data:") {
		kind, _, _ := strings.Cut(src, ";")
		kind, _, _ = strings.Cut(kind, ",")
		r.l.inline(label+" <"+excerpt(kind)+"…>", st)
		return
	}
	st.Link = src
	r.l.inline(label, st)
	if src != "" {
		r.l.space = true
		r.l.inline("<"+src+">", st)
	}
}

// anchor starts a link: its text is underlined and carries the target.
func (r *renderer) anchor(t xml.StartElement, g *frame) {
	g.href = strings.TrimSpace(sanitize.Line(attr(t, "href")))
	if g.href == "" {
		return
	}
	g.style.Link, g.style.Underline = g.href, true
	g.linkAt = r.l.w.mark()
}

// endAnchor shows the target after the link text unless the text is the
// target itself, so a reader always sees where a link leads.
func (r *renderer) endAnchor(f frame) {
	if f.href == "" || strings.TrimSpace(r.l.w.since(f.linkAt)) == f.href {
		return
	}
	parent := r.top().style
	parent.Link = f.href
	r.l.space = true
	r.l.inline("<"+f.href+">", parent)
}
