package ui

import (
	"strings"
	"testing"
)

func TestTypeMsgShowsItInTheBuffer(t *testing.T) {
	r := newRig(t, 80, 24, nil)
	r.waitFor("1 console")
	r.typ("/msg bob@example.org hi there")
	r.waitFor("> /msg bob@example.org hi there")
	r.enter()
	rows := r.waitFor("<me> hi there")
	if !strings.Contains(rows[0], "2 bob@example.org") {
		t.Errorf("title = %q, want buffer 2 bob@example.org", rows[0])
	}
	if got := r.host.sentLines(); len(got) != 1 || got[0] != "/msg bob@example.org hi there" {
		t.Errorf("queued %q", got)
	}
	if strings.Contains(r.dump(), "> /msg") {
		t.Errorf("input not cleared:\n%s", r.dump())
	}
}
