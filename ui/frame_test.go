package ui

import (
	"fmt"
	"strings"
	"testing"
)

func TestFrameMerge(t *testing.T) {
	k := bufKey{me, "bob@example.org"}
	var f frame
	f.merge(frame{view: &viewFrame{key: k, reset: true, lines: []string{"a"}}, roster: &rosterSnap{total: 1}})
	f.merge(frame{view: &viewFrame{key: k, lines: []string{"b", "c"}}, roster: &rosterSnap{total: 2}, notes: []note{{bell: true}}})
	if !f.view.reset || strings.Join(f.view.lines, "") != "abc" || f.roster.total != 2 || len(f.notes) != 1 {
		t.Errorf("merged = %+v / %+v", f.view, f.roster)
	}
	f.merge(frame{view: &viewFrame{key: bufKey{}, reset: true, lines: []string{"console"}}})
	if f.view.key != (bufKey{}) || strings.Join(f.view.lines, "") != "console" {
		t.Errorf("a reset did not replace the appends: %+v", f.view)
	}
	// Appends beyond the bound keep only the last lines and drop what is shown.
	var g frame
	g.merge(frame{view: &viewFrame{key: k, lines: []string{"x"}}})
	many := make([]string, maxViewLines+10)
	for i := range many {
		many[i] = fmt.Sprint(i)
	}
	g.merge(frame{view: &viewFrame{key: k, lines: many}})
	if len(g.view.lines) != maxViewLines || !g.view.clear || g.view.lines[0] != "10" {
		t.Errorf("bounded merge: %d lines, clear %v, first %q", len(g.view.lines), g.view.clear, g.view.lines[0])
	}
	for range 10 {
		g.merge(frame{notes: []note{{bell: true}}})
	}
	if len(g.notes) != maxNotes {
		t.Errorf("%d notes kept", len(g.notes))
	}
}

func TestBurstKeepsTypingResponsive(t *testing.T) {
	r := newRig(t, 80, 24, nil)
	r.typ("/win bob@example.org")
	r.enter()
	r.waitTitle("2 bob")
	const n = 10000
	go func() {
		for i := range n {
			r.event(incoming("bob@example.org", fmt.Sprintf("burst %05d", i)))
		}
	}()
	r.typ("still typing")
	r.waitFor("> still typing")
	r.waitFor(fmt.Sprintf("burst %05d", n-1))
	r.settle()
	var lines int
	r.onUI(func() { lines = r.u.s.chat.lines })
	if lines > maxBufferLines+maxBufferLines/4+2 || lines < 10 { // trimmed back to the bound now and then
		t.Errorf("the chat view holds %d lines, want at most %d", lines, maxBufferLines+maxBufferLines/4)
	}
	// A batch is drawn once: hold the loop while events queue up, as many
	// as the engines' channel takes (256) without the engine waiting.
	const batch = 200
	release := make(chan struct{})
	held := make(chan struct{})
	go r.host.onLoop(func() { close(held); <-release })
	<-held
	r.u.mu.Lock()
	before := r.u.posted
	r.u.mu.Unlock()
	for i := range batch {
		r.event(incoming("bob@example.org", fmt.Sprintf("batched %d", i)))
	}
	close(release)
	r.waitFor(fmt.Sprintf("batched %d", batch-1))
	r.settle()
	r.u.mu.Lock()
	frames := r.u.posted - before
	r.u.mu.Unlock()
	if frames > 2 {
		t.Errorf("%d queued messages took %d frames", batch, frames)
	}
	// Typing stays live while the loop is busy: more lines are sent than
	// the loop's input used to hold (64), and the screen still follows the
	// keys.
	release, held = make(chan struct{}), make(chan struct{})
	go r.host.onLoop(func() { close(held); <-release })
	<-held
	for i := range 100 {
		r.typ(fmt.Sprintf("typed %d", i))
		r.enter()
	}
	r.typ("still live")
	r.waitFor("> still live")
	close(release)
	r.waitFor("<me> typed 99")
	var kept int
	r.host.onLoop(func() { kept = len(r.u.m.current().lines) })
	if kept > maxBufferLines+maxBufferLines/4 {
		t.Errorf("buffer keeps %d lines", kept)
	}
}
