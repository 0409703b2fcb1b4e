package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// fakeOpener writes a script that appends its arguments, one per line, to
// a file, and returns the script and the file.
func fakeOpener(t *testing.T) (script, out string) {
	t.Helper()
	dir := t.TempDir()
	script, out = filepath.Join(dir, "opener"), filepath.Join(dir, "opened")
	text := "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '" + out + "'; done\n"
	if err := os.WriteFile(script, []byte(text), 0o700); err != nil {
		t.Fatal(err)
	}
	return script, out
}

// waitFile waits until file holds want (the deadline only guards a hang).
func waitFile(t *testing.T, file, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, _ := os.ReadFile(file)
		if string(data) == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("opener got %q, want %q", data, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// command types line and waits until the loop has run it and the screen
// shows the result. (An opener's failure queues "" after it.)
func (r *rig) command(line string) {
	r.t.Helper()
	n := len(r.host.sentLines())
	r.typ(line)
	r.enter()
	deadline := time.Now().Add(10 * time.Second)
	for !slices.Contains(r.host.sentLines()[n:], line) {
		if time.Now().After(deadline) {
			r.t.Fatalf("timed out waiting for %q to be queued", line)
		}
		time.Sleep(5 * time.Millisecond)
	}
	r.settle()
}

func TestOpenRunsOpenerWithoutShell(t *testing.T) {
	script, out := fakeOpener(t)
	r := newRig(t, 100, 24, func(o *Options) { o.Config.Opener = script })
	richMessage(r, "x", `<p>see <a href="https://example.org/a?b=1&amp;c=$(id);x">this</a> or write</p>`, "see this")
	r.event(incoming(bob, "or xmpp:room@conference.example.org?join."))
	r.waitFor("or xmpp:")
	r.command("/links")
	r.waitFor(" 2 xmpp:room@conference.example.org?join")
	r.command("/open 1")
	waitFile(t, out, "https://example.org/a?b=1&c=$(id);x\n")
	r.command("/open")
	waitFile(t, out, "https://example.org/a?b=1&c=$(id);x\nxmpp:room@conference.example.org?join\n")
	r.command("/open 3")
	r.waitFor("no link 3 (there are 2")
}

func TestOpenRefusesOtherSchemes(t *testing.T) {
	script, out := fakeOpener(t)
	r := newRig(t, 120, 24, func(o *Options) { o.Config.Opener = script })
	richMessage(r, "x", `<p><a href="javascript:alert(1)">click me</a></p>`, "click me")
	r.command("/open 1")
	r.waitFor(`refusing to open "javascript:alert(1)"`)
	if _, err := os.Stat(out); err == nil {
		t.Error("the opener ran on a javascript: link")
	}
}

func TestOpenReportsFailure(t *testing.T) {
	r := newRig(t, 120, 24, func(o *Options) { o.Config.Opener = "false" })
	richMessage(r, "https://example.org/", "", "https://example.org/")
	r.command("/open")
	r.waitFor("open https://example.org/ with false: exit status 1")
}

func TestOpenerDefaults(t *testing.T) {
	env := map[string]string{}
	u, err := New(Options{Screen: nil, Theme: "dark", Getenv: func(k string) string { return env[k] }})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(u.openerArgs(), " "); got != "xdg-open" {
		t.Errorf("no opener, no $BROWSER: %q, want xdg-open", got)
	}
	env["BROWSER"] = "firefox --new-tab:lynx"
	if got := strings.Join(u.openerArgs(), " "); got != "firefox --new-tab" {
		t.Errorf("$BROWSER: %q, want the first entry", got)
	}
	u.opts.Config.Opener = "my-open"
	if got := strings.Join(u.openerArgs(), " "); got != "my-open" {
		t.Errorf("opener setting: %q", got)
	}
}

func TestOpenable(t *testing.T) {
	for addr, ok := range map[string]bool{
		"https://example.org/x": true, "http://a.b": true, "xmpp:bob@example.org": true, "mailto:a@b.c": true,
		"HTTPS://example.org": true, "javascript:alert(1)": false, "file:///etc/passwd": false,
		"https:///nohost": false, "data:text/html,x": false, "-x": false, "example.org": false,
	} {
		if err := openable(addr); (err == nil) != ok {
			t.Errorf("openable(%q) = %v, want ok %v", addr, err, ok)
		}
	}
}
