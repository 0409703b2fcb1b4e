package xhtml

import (
	"encoding/xml"
	"strings"
	"testing"
	"unicode/utf8"
)

// viaClient re-serialises the inside of an XHTML-IM body the way the
// client engine does before it puts it in event.Message.XHTML: tokens
// decoded inside <body xmlns='http://www.w3.org/1999/xhtml'>, xmlns
// attributes removed, encoded again by encoding/xml (which then writes
// xmlns="http://www.w3.org/1999/xhtml" on elements from Name.Space).
func viaClient(t testing.TB, inner string) string {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader("<body xmlns='http://www.w3.org/1999/xhtml'>" + inner + "</body>"))
	var b strings.Builder
	enc := xml.NewEncoder(&b)
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			t.Fatalf("sample %q: %v", inner, err)
		}
		switch tt := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 1 {
				continue
			}
			attrs := tt.Attr[:0:0]
			for _, a := range tt.Attr {
				if a.Name.Local != "xmlns" && a.Name.Space != "xmlns" {
					attrs = append(attrs, a)
				}
			}
			tt.Attr = attrs
			tok = tt
		case xml.EndElement:
			depth--
			if depth == 0 {
				if err := enc.Flush(); err != nil {
					t.Fatal(err)
				}
				return b.String()
			}
		case xml.ProcInst, xml.Directive:
			continue
		}
		if err := enc.EncodeToken(tok); err != nil {
			t.Fatalf("sample %q: encode: %v", inner, err)
		}
	}
}

// Realistic XHTML-IM bodies (the inside of <body>) as clients send them.
const (
	gajimSample = `<p style='font-size:small'>Meeting moved to <span style='color: #ef2929; font-weight: bold'>3pm</span>, ` +
		`see <a href='https://example.org/agenda'>the agenda</a></p><p>Bring <em>coffee</em> ☕</p>`
	psiSample = `<p style=" margin-top:0px; margin-bottom:0px; margin-left:0px; margin-right:0px; -qt-block-indent:0; text-indent:0px;">` +
		`<span style=" font-weight:600;">Release</span> notes <span style=" font-style:italic; color:#0000ff;">tonight</span></p>`
	pidginSample = `<span style='font-family: Arial; font-size: small; color: #0000ff;'><strong>hi</strong> there, ` +
		`<a href='http://pidgin.im'>http://pidgin.im</a> <span style='text-decoration: underline;'>now</span></span>`
	movimSample = `<p>Look at this <a href="https://movim.eu/">Movim</a> post</p>` +
		`<p><img alt="screenshot.png" src="https://upload.example.net/abc/screenshot.png"/></p>`
	listSample  = `<p>Todo:</p><ul><li>milk</li><li>bread<ol><li>white</li><li>rye</li></ol></li></ul>`
	quoteSample = `<blockquote>you said <cite>this</cite><blockquote>and <q>that</q></blockquote></blockquote><p>reply</p>`
	preSample   = "<pre>\nfunc main() {\n\tprintln(\"hi\")\n}</pre><p>run it with <code>go run .</code></p>"
)

// hostileSamples are inputs a malicious sender could craft; Parse must
// stay safe on all of them (errors are fine).
var hostileSamples = []string{
	strings.Repeat("<span>", 1000) + "deep" + strings.Repeat("</span>", 1000),
	"<p>" + strings.Repeat("A", 1<<20) + "</p>",
	`<a href="` + strings.Repeat("x", 100<<10) + `">big</a>`,
	`<p>hi<script>alert(document.cookie)</script><style>p { color: red }</style> there</p>`,
	`<a href="javascript:alert(1)">click me</a>`,
	`<p style="color: expression(alert(1)); background: url(javascript:alert(1)); width: calc(100%)">css</p>`,
	"<p>rtl &#x202E;gnp.exe and raw \u202E here</p>",
	"<p>c1 csi \u009b31m and &#x9b;2J</p>",
	"<p>esc &#x1b;[31m</p>",
	"<p>raw esc \x1b[31m</p>",
	`<a href="http://a&#x202E;b/&#x9b;31m">x</a><img alt="&#x202E;cat" src="http://x/&#x85;y"/>`,
	`<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
		`<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><p>&lol3;</p>`,
	`<!DOCTYPE p SYSTEM "file:///etc/passwd"><p>x</p>`,
	`<p>[red]not red[-] [::b]not bold ["region"]</p>`,
	strings.Repeat("<b>a</b>a", 5000),
	strings.Repeat("<br/>", 5000) + "x",
	`<p>a<![CDATA[<script>b</script>]]>c<!-- comment --></p>`,
	`<x:blink xmlns:x="urn:evil">unknown namespace</x:blink><svg><text>drawn</text></svg>`,
	`<p>unclosed`,
	`<p>&nbsp;</p>`,
	"<p>bad utf8 \xff\xfe</p>",
	`<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk" alt="pixel"/>`,
}

// checkSafe fails if spans hold anything a terminal could act on.
func checkSafe(t testing.TB, in string, spans []Span) {
	t.Helper()
	for _, s := range spans {
		for _, field := range []string{s.Text, s.Style.Link, s.Style.FG, s.Style.BG} {
			if !utf8.ValidString(field) {
				t.Fatalf("%.80q: invalid UTF-8 in %q", in, field)
			}
			for _, r := range field {
				if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r <= 0x9f ||
					r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
					t.Fatalf("%.80q: output %.80q holds %U", in, field, r)
				}
			}
		}
		if strings.ContainsRune(s.Style.Link, '\n') {
			t.Fatalf("%.80q: link %q spans lines", in, s.Style.Link)
		}
	}
}
