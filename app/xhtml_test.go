package app

import (
	"strings"
	"testing"

	"chat/event"
	"chat/xhtml"
)

// Our own outgoing XHTML-IM, hand-written and built from styling, goes
// through Prosody and reads back with the same styles at the other end.
func TestOutgoingXHTMLRoundTrip(t *testing.T) {
	alice, bob := newUser(t), newUser(t)
	fa, fb := start(t, alice), start(t, bob)
	fa.view.expect(t, "alice roster", isRoster(alice.jid))
	fb.view.expect(t, "bob roster", isRoster(bob.jid))

	fa.app.Queue("/msg " + bob.jid)
	fa.app.Queue(`/xhtml <p>hi <strong>bold</strong> <em>you</em></p>`)
	m := fb.view.expect(t, "hand-written XHTML", func(ev event.Event) bool {
		m, ok := ev.(event.Message)
		return ok && !m.Outgoing && m.XHTML != ""
	}).(event.Message)
	if m.Body != "hi bold you" {
		t.Errorf("body = %q, want the XHTML's plain text", m.Body)
	}
	assertStyled(t, m.XHTML, "bold", func(s xhtml.Style) bool { return s.Bold })
	assertStyled(t, m.XHTML, "you", func(s xhtml.Style) bool { return s.Italic })

	fa.app.Queue(`/xhtml <p><script>alert(1)</script></p>`)
	e := fa.view.expect(t, "refused XHTML", func(ev event.Event) bool { _, ok := ev.(event.Error); return ok }).(event.Error)
	if !strings.Contains(e.Text, "not sent") {
		t.Errorf("error %q, want not sent", e.Text)
	}

	fa.app.Queue("/set xhtml_out on")
	fa.app.Queue("this is *strong* and _soft_")
	m = fb.view.expect(t, "XHTML built from styling", func(ev event.Event) bool {
		m, ok := ev.(event.Message)
		return ok && !m.Outgoing && m.Body == "this is *strong* and _soft_"
	}).(event.Message)
	assertStyled(t, m.XHTML, "strong", func(s xhtml.Style) bool { return s.Bold })
	assertStyled(t, m.XHTML, "soft", func(s xhtml.Style) bool { return s.Italic })
}

func assertStyled(t *testing.T, inner, text string, want func(xhtml.Style) bool) {
	t.Helper()
	spans, err := xhtml.Parse(inner)
	if err != nil {
		t.Fatalf("parse %q: %v", inner, err)
	}
	for _, s := range spans {
		if strings.Contains(s.Text, text) && want(s.Style) {
			return
		}
	}
	t.Errorf("%q not styled as expected in %q (spans %+v)", text, inner, spans)
}
