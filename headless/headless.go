// Package headless is the front end without a screen: it reads /commands
// from a reader (stdin, a script) and prints every event one per line,
// as text for people or as JSON objects for bots, jq and tests.
//
// Everything printed from the network is sanitised here: text with
// sanitize.Text, JSON with control, bidi and C1 characters escaped. This
// package must not import the engine or storage.
package headless

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"chat/event"
	"chat/sanitize"
)

// View prints events. It implements app.View.
type View struct {
	w    *bufio.Writer
	json bool
}

// New returns a View writing to w, as JSON when asJSON is set.
func New(w io.Writer, asJSON bool) *View {
	return &View{w: bufio.NewWriter(w), json: asJSON}
}

// Show prints one event.
func (v *View) Show(ev event.Event) {
	if v.json {
		v.w.Write(JSON(ev))
		v.w.WriteByte('\n')
		return
	}
	v.w.WriteString(Text(ev))
	v.w.WriteByte('\n')
}

// Flush writes out what Show buffered.
func (v *View) Flush() { v.w.Flush() }

// Text renders an event as one line of sanitised text; continuation lines
// of multi-line text start with a tab.
func Text(ev event.Event) string {
	h := ev.Head()
	var b strings.Builder
	b.WriteString(h.Time.Local().Format("15:04:05"))
	if h.Account != "" {
		b.WriteString(" " + sanitize.Line(h.Account))
	}
	b.WriteString(" " + ev.Kind() + " ")
	b.WriteString(details(ev))
	return strings.ReplaceAll(b.String(), "\n", "\n\t")
}

func details(ev event.Event) string {
	s := sanitize.Text
	l := sanitize.Line
	if d, ok := roomDetails(ev); ok { // room.go
		return d
	}
	switch e := ev.(type) {
	case event.Message:
		arrow := "<-"
		who := e.From
		if e.Outgoing {
			arrow, who = "->", e.To
		}
		stamp := ""
		if e.Delayed {
			stamp = " (sent " + e.Stamp.Local().Format(time.DateTime) + ")"
		}
		return fmt.Sprintf("%s %s%s%s: %s", arrow, l(who), stamp, correctionNote(e), s(e.Body))
	case event.Presence:
		show := orWord(e.Show, "available")
		if !e.Available {
			show = "unavailable"
		}
		return strings.TrimSpace(fmt.Sprintf("%s %s %s", l(e.From), l(show), l(e.Status)))
	case event.Subscription:
		return strings.TrimSpace(fmt.Sprintf("%s %s %s", l(e.From), l(e.Type), l(e.Status)))
	case event.Roster:
		if e.Unchanged {
			return fmt.Sprintf("unchanged (version %s)", l(e.Version))
		}
		return fmt.Sprintf("%d contacts (version %s)", len(e.Items), l(e.Version))
	case event.RosterPush:
		return strings.TrimSpace(fmt.Sprintf("%s subscription=%s %s", l(e.Item.JID), l(e.Item.Subscription), l(e.Item.Name)))
	case event.ConnState:
		return connDetails(e)
	case event.Error:
		return fmt.Sprintf("%s: %s", l(e.Context), s(e.Text))
	case event.Info:
		return s(e.Text)
	}
	text, _ := protoDetails(ev)
	return text
}

func connDetails(e event.ConnState) string {
	l := sanitize.Line
	out := l(string(e.State))
	switch {
	case e.State == event.Online:
		out += fmt.Sprintf(" as %s via %s (%s, SASL %s)", l(e.JID), l(e.Server), l(e.TLS), l(e.Mechanism))
	case e.State == event.Reconnecting:
		out += fmt.Sprintf(" in %s", e.Retry.Round(100*time.Millisecond))
	}
	if e.Err != "" {
		out += ": " + sanitize.Text(e.Err)
	}
	return out
}

func orWord(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// ReadLines queues each line of r, then "/quit" at the end of input.
func ReadLines(r io.Reader, queue func(string)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		queue(sc.Text())
	}
	queue("/quit")
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read commands: %w", err)
	}
	return nil
}
