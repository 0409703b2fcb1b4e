package client

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

var fuzzGuardLimits = guardLimits{maxBytes: 128, maxDepth: 3}

// FuzzGuard feeds arbitrary bytes after a stream header to the stream
// guard. However the input is split, the guard must let through the same
// bytes; what it lets through must never nest deeper than its limit allows;
// and input the XML decoder accepts, with every stanza within the limits,
// must pass unchanged.
func FuzzGuard(f *testing.F) {
	for _, s := range []string{
		`<message from='b'><body>hi</body></message><presence/>`,
		`<message a='>' b="/>"><!-- <a> --><![CDATA[<x>]]></message> `,
		`<iq><a><b><c><d/></c></b></a></iq>`,
		`<iq><a><b><c><d><e/></d></c></b></a></iq><presence/>`,
		`<message><` + strings.Repeat("a", 200) + `/></message><presence/>`,
		`<?pi x?><message/><!DOCTYPE x>`,
		guardHeader + guardHeader + `<x/>`,
		`</stream:stream><stream:stream><message/>`,
	} {
		f.Add(s, uint8(1))
		f.Add(s, uint8(7))
	}
	f.Fuzz(func(t *testing.T, in string, split uint8) {
		in = guardHeader + in
		whole, errWhole := guardAll(fuzzGuardLimits, in, 0)
		parts, errParts := guardAll(fuzzGuardLimits, in, int(split%32)+1)
		if whole != parts || (errWhole == nil) != (errParts == nil) {
			t.Fatalf("split into %d-byte chunks: %q (%v), at once: %q (%v)", split%32+1, parts, errParts, whole, errWhole)
		}
		if d := maxDepth(whole); d > fuzzGuardLimits.maxDepth+2+maxRestarts {
			t.Fatalf("output nests %d deep: %q", d, whole)
		}
		if withinLimits(in, fuzzGuardLimits) && (errWhole != nil || whole != in) {
			t.Fatalf("input within the limits changed (%v):\n in %q\nout %q", errWhole, in, whole)
		}
	})
}

// maxDepth is the deepest nesting the decoder sees in s, up to its first
// syntax error.
func maxDepth(s string) int {
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = false
	depth, deepest := 0, 0
	for {
		tok, err := d.RawToken()
		if err != nil {
			return deepest
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
			deepest = max(deepest, depth)
		case xml.EndElement:
			depth--
		}
	}
}

// withinLimits reports whether the decoder accepts all of s as one stream
// (possibly unclosed) and every stanza and every piece of markup or text
// between stanzas is within lim: the input the guard must not touch.
func withinLimits(s string, lim guardLimits) bool {
	d := xml.NewDecoder(strings.NewReader(s))
	depth, stanzaStart, stanzaDepth := 0, 0, 0
	for {
		at := int(d.InputOffset())
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return true
		}
		var se *xml.SyntaxError
		if errors.As(err, &se) && se.Msg == "unexpected EOF" {
			return depth == 1 && at == len(s) // the stream is open, between stanzas
		}
		if err != nil {
			return false
		}
		size := int(d.InputOffset()) - at
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 1 && t.Name.Local != "stream" {
				return false
			}
			if depth == 2 {
				stanzaStart, stanzaDepth = at, 0
				if t.Name.Local == "stream" {
					return false // a restart: a new decoder would read it
				}
			}
			stanzaDepth = max(stanzaDepth, depth-2)
		case xml.EndElement:
			depth--
			if depth == 1 && (int(d.InputOffset())-stanzaStart > lim.maxBytes || stanzaDepth > lim.maxDepth) {
				return false
			}
		case xml.Directive:
			return false
		default:
			if depth <= 1 && size > lim.maxBytes {
				return false
			}
		}
		if depth >= 2 && int(d.InputOffset())-stanzaStart > lim.maxBytes {
			return false
		}
		if depth == 1 && size > lim.maxBytes {
			return false // the stream header or a self-closed stanza
		}
	}
}

func TestFuzzGuardHelpers(t *testing.T) {
	for _, c := range []struct {
		in     string
		within bool
	}{
		{`<message from='b'><body>hi</body></message><presence/>`, true},
		{`<message a='>' b="/>"><!-- <a> --><![CDATA[<x>]]></message> `, true},
		{`<iq><a><b><c/></b></a></iq>`, true},
		{`<iq><a><b><c><d/></c></b></a></iq>`, false},
		{`<message><` + strings.Repeat("a", 200) + `/></message>`, false},
		{`<presence x='` + strings.Repeat("a", 200) + `'/>`, false},
		{strings.Repeat(" ", 200), false},
		{guardHeader, false},
		{`<!DOCTYPE x>`, false},
		{`<a></b>`, false},
	} {
		if got := withinLimits(guardHeader+c.in, fuzzGuardLimits); got != c.within {
			t.Errorf("withinLimits(%.50q) = %v, want %v", c.in, got, c.within)
		}
	}
	if d := maxDepth(guardHeader + `<a><b><c/></b></a>`); d != 4 {
		t.Errorf("maxDepth %d, want 4", d)
	}
}
