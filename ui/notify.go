package ui

import (
	"context"
	"os/exec"
	"strings"
	"time"

	"chat/sanitize"
)

// notify gives a notification: the terminal bell, a desktop notification
// escape sequence written to the terminal, or the notify command. tview's
// goroutine only: it is the one writing to the terminal.
func (s *screen) notify(n note) {
	if n.bell {
		s.scr.Beep()
	}
	if n.title == "" {
		return
	}
	title, body := sanitize.Line(n.title), sanitize.Line(n.body)
	switch s.u.opts.Config.desktop() {
	case DesktopOSC777:
		s.writeEscape("\x1b]777;notify;" + strings.ReplaceAll(title, ";", ",") + ";" + body + "\x1b\\")
	case DesktopOSC9:
		s.writeEscape("\x1b]9;" + title + ": " + body + "\x1b\\")
	case DesktopCmd:
		s.u.notifier.send(title, body)
	}
}

// writeEscape writes a sequence to the terminal, wrapped for tmux's
// passthrough when running inside tmux.
func (s *screen) writeEscape(seq string) {
	if s.u.opts.Getenv("TMUX") != "" {
		seq = "\x1bPtmux;" + strings.ReplaceAll(seq, "\x1b", "\x1b\x1b") + "\x1b\\"
	}
	w := s.u.opts.TTY
	if w == nil {
		tty, ok := s.scr.Tty()
		if !ok {
			return
		}
		w = tty
	}
	w.Write([]byte(seq))
}

// notifier runs the notify command, one at a time, on its own goroutine
// (started with the UI, one for its lifetime), so a slow command never
// holds up the screen. Notifications beyond a small queue are dropped.
type notifier struct {
	ch   chan [2]string
	done chan struct{}
}

func newNotifier(command string) *notifier {
	n := &notifier{}
	if command == "" {
		return n
	}
	n.ch, n.done = make(chan [2]string, 8), make(chan struct{})
	go n.run(command)
	return n
}

func (n *notifier) run(command string) {
	defer close(n.done)
	for msg := range n.ch {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		// $1 is the title, $2 the text: the command quotes them itself.
		exec.CommandContext(ctx, "sh", "-c", command, "sh", msg[0], msg[1]).Run()
		cancel()
	}
}

func (n *notifier) send(title, body string) {
	if n == nil || n.ch == nil {
		return
	}
	select {
	case n.ch <- [2]string{title, body}:
	default:
	}
}

func (n *notifier) close() {
	if n == nil || n.ch == nil {
		return
	}
	close(n.ch)
	<-n.done
}
