package ui

import (
	"fmt"
	"net/url"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// /links and /open: the links of the current buffer, numbered from 1 for
// the oldest, opened with the configured opener. The opener runs without a
// shell, with the address as its one last argument, and is never waited
// for on the loop.

// openSchemes are the only kinds of address /open hands to the opener.
var openSchemes = []string{"http", "https", "xmpp", "mailto"}

// openable reports why an address may not be opened, or nil.
func openable(addr string) error {
	u, err := url.Parse(addr)
	if err != nil || u.Scheme == "" {
		return fmt.Errorf("refusing to open %q: not an address", addr)
	}
	if !contains(openSchemes, strings.ToLower(u.Scheme)) {
		return fmt.Errorf("refusing to open %q: only http, https, xmpp and mailto links are opened", addr)
	}
	if (u.Scheme == "http" || u.Scheme == "https") && u.Host == "" {
		return fmt.Errorf("refusing to open %q: no host", addr)
	}
	if strings.ContainsAny(addr, " \t\n") {
		return fmt.Errorf("refusing to open %q: white space in the address", addr)
	}
	return nil
}

// bufferLinks returns the distinct links of b, oldest first.
func (m *model) bufferLinks(b *buffer) []string {
	var links []string
	for i := range b.lines {
		for _, l := range m.linksOf(&b.lines[i]) {
			if !contains(links, l) {
				links = append(links, l)
			}
		}
	}
	return links
}

func (m *model) cmdLinks() {
	links := m.bufferLinks(m.current())
	if len(links) == 0 {
		m.output(kindNotice, time.Now(), "no links in this buffer")
		return
	}
	var b strings.Builder
	b.WriteString("links (/open N):")
	for i, l := range links {
		fmt.Fprintf(&b, "\n %2d %s", i+1, l)
	}
	m.output(kindNotice, time.Now(), b.String())
}

func (m *model) cmdOpen(args []string) error {
	links := m.bufferLinks(m.current())
	if len(links) == 0 {
		return fmt.Errorf("no links in this buffer")
	}
	n := len(links)
	if len(args) == 1 {
		var err error
		if n, err = strconv.Atoi(args[0]); err != nil || n < 1 || n > len(links) {
			return fmt.Errorf("no link %s (there are %d: /links lists them)", args[0], len(links))
		}
	}
	addr := links[n-1]
	if err := openable(addr); err != nil {
		return err
	}
	return m.u.open(addr)
}

// openerArgs is the opener command: ui.toml's opener, else $BROWSER (the
// first of a colon-separated list), else xdg-open; split on spaces.
func (u *UI) openerArgs() []string {
	cmd := u.opts.Config.Opener
	if cmd == "" {
		cmd, _, _ = strings.Cut(u.opts.Getenv("BROWSER"), ":")
	}
	if strings.TrimSpace(cmd) == "" {
		cmd = "xdg-open"
	}
	return strings.Fields(cmd)
}

// open starts the opener on addr and returns at once; a failure to start
// is returned, a failure later is shown on the console. Loop only.
func (u *UI) open(addr string) error {
	argv := append(u.openerArgs(), addr)
	c := exec.Command(argv[0], argv[1:]...) // no shell: addr is one argument
	if err := c.Start(); err != nil {
		return fmt.Errorf("open %s with %s: %w", addr, argv[0], err)
	}
	u.m.output(kindNotice, time.Now(), "opening "+addr)
	h := u.m.host
	go func() {
		if err := c.Wait(); err != nil {
			u.openMu.Lock()
			u.openErrs = append(u.openErrs, fmt.Sprintf("open %s with %s: %v", addr, argv[0], err))
			u.openMu.Unlock()
			if h != nil {
				select {
				case <-u.done:
				default:
					h.Queue("") // wakes the loop, whose Flush shows the error
				}
			}
		}
	}()
	return nil
}

// openFailures moves the opener's errors to the console. Loop only.
func (u *UI) openFailures() {
	u.openMu.Lock()
	errs := u.openErrs
	u.openErrs = nil
	u.openMu.Unlock()
	for _, e := range errs {
		u.m.output(kindError, time.Now(), e)
	}
}
