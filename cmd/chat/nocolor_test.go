package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// underlineOn matches an SGR sequence that turns underline on.
var underlineOn = regexp.MustCompile(`\x1b\[(?:[0-9;]*;)?4(?:;[0-9;]*)?m`)

// TestNoColorNoUnderlineAfterOurNick (issue 14, item 2): with NO_COLOR the
// monochrome theme must not leave underline on after our own nick: the
// echo bot's line, its time stamp first, is drawn without it.
func TestNoColorNoUnderlineAfterOurNick(t *testing.T) {
	bin := chatBin(t)
	dir := t.TempDir()
	command := fmt.Sprintf("%s --local --data-dir %s --config %s", bin, dir, filepath.Join(dir, "none.toml"))
	tm := newTmux(t, 100, 30, []string{"NO_COLOR=1", "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent",
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "xdg"), "TERM=screen-256color"}, command)
	tm.waitFor("[online]")
	tm.typ("/msg echo@localhost first line")
	tm.keys("Enter")
	tm.waitFor("echo: first line")
	styled := tm.run("capture-pane", "-p", "-e", "-t", "chat")
	found := false
	for _, row := range strings.Split(styled, "\n") {
		if !strings.Contains(row, "echo: first line") || !strings.Contains(row, ">") {
			continue
		}
		found = true
		stamp := strings.IndexAny(row, "0123456789")
		if stamp >= 0 && underlineOn.MatchString(row[:stamp]) {
			t.Errorf("the echo bot's line starts underlined: %q", row)
		}
		if i := strings.Index(row, "echo: first line"); underlineOn.MatchString(row[strings.Index(row, ">"):i]) {
			t.Errorf("the echo bot's text is underlined: %q", row)
		}
	}
	if !found {
		t.Fatalf("no line of the echo bot in:\n%s", styled)
	}
	tm.keys("C-c")
	tm.keys("C-c")
	tm.waitFor("EXIT=")
}
