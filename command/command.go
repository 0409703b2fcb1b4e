// Package command is the declarative command table shared by every front end
// (stdin, script files, -c flags, the TUI): each command has a name, aliases,
// an argument count, a usage line, a one-line help text and a handler. The
// table parses a typed line ("/msg bob@example.org hello"), checks the
// argument count and calls the handler, so every front end accepts the same
// syntax and prints the same errors.
//
// Command and Table are generic over the environment E that handlers act on:
// the app passes its own type, and handlers get it without type assertions.
// Errors are not generic ([UsageError] carries strings, not a Command[E]), so
// a front end can inspect them with errors.Is/errors.As without naming E.
//
// Names match case-insensitively but must match exactly: unique prefixes are
// deliberately not accepted (irssi does), because a script written for
// today's table would change meaning when a new command shares the prefix.
//
// This package only parses and dispatches: it must not know about XMPP,
// accounts or any UI, and it must not print anything.
package command

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Command describes one command.
type Command[E any] struct {
	Name    string   // without the leading "/", e.g. "msg"
	Aliases []string // other names, e.g. "m", "query"
	MinArgs int      // fewest arguments accepted
	MaxArgs int      // most arguments accepted; -1 means no limit
	// Rest makes argument number MaxArgs (the last one) take the rest of the
	// line verbatim: quotes are not interpreted and spaces are kept, as for
	// "/msg JID TEXT" and "/status away TEXT". Requires MaxArgs >= 1.
	Rest  bool
	Usage string // arguments, e.g. "JID [TEXT]"; empty if none
	Help  string // one line saying what the command does
	Run   func(env E, args []string) error
}

// UsageLine returns "/name USAGE", e.g. "/msg JID [TEXT]".
func (c Command[E]) UsageLine() string {
	if c.Usage == "" {
		return "/" + c.Name
	}
	return "/" + c.Name + " " + c.Usage
}

// UsageErr returns the error reporting that c was called with the wrong
// arguments; handlers may return it when they validate arguments further.
func (c Command[E]) UsageErr() *UsageError {
	return &UsageError{Name: c.Name, Usage: c.UsageLine(), Help: c.Help}
}

// Table is a set of commands. It is read-only after [New] and safe for
// concurrent use.
type Table[E any] struct {
	cmds  []Command[E]   // sorted by lower-case name
	index map[string]int // lower-case name or alias -> position in cmds
}

// New builds a table. It rejects empty or malformed names, duplicate names
// or aliases (compared case-insensitively), missing handlers and
// inconsistent argument counts.
func New[E any](cmds ...Command[E]) (*Table[E], error) {
	t := &Table[E]{index: make(map[string]int)}
	t.cmds = slices.Clone(cmds)
	slices.SortFunc(t.cmds, func(a, b Command[E]) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	for i, c := range t.cmds {
		if err := check(c); err != nil {
			return nil, err
		}
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			if err := checkName(n); err != nil {
				return nil, fmt.Errorf("command /%s: %w", c.Name, err)
			}
			key := strings.ToLower(n)
			if j, dup := t.index[key]; dup {
				return nil, fmt.Errorf("command /%s: name %q already used by /%s", c.Name, n, t.cmds[j].Name)
			}
			t.index[key] = i
		}
	}
	return t, nil
}

func check[E any](c Command[E]) error {
	switch {
	case c.Run == nil:
		return fmt.Errorf("command /%s: no handler", c.Name)
	case c.MinArgs < 0:
		return fmt.Errorf("command /%s: negative MinArgs", c.Name)
	case c.MaxArgs < -1 || c.MaxArgs >= 0 && c.MaxArgs < c.MinArgs:
		return fmt.Errorf("command /%s: MaxArgs %d below MinArgs %d", c.Name, c.MaxArgs, c.MinArgs)
	case c.Rest && c.MaxArgs < 1:
		return fmt.Errorf("command /%s: Rest needs MaxArgs >= 1", c.Name)
	}
	return nil
}

func checkName(n string) error {
	if n == "" {
		return errors.New("empty name")
	}
	if strings.HasPrefix(n, "/") {
		return fmt.Errorf("name %q must not start with /", n)
	}
	if !utf8.ValidString(n) || strings.IndexFunc(n, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}) >= 0 {
		return fmt.Errorf("name %q has spaces or control characters", n)
	}
	return nil
}

// Lookup finds a command by name or alias, case-insensitively; a leading "/"
// is ignored.
func (t *Table[E]) Lookup(name string) (Command[E], bool) {
	i, ok := t.index[strings.ToLower(strings.TrimPrefix(name, "/"))]
	if !ok {
		return Command[E]{}, false
	}
	return t.cmds[i], true
}

// All returns every command, sorted by name.
func (t *Table[E]) All() []Command[E] { return slices.Clone(t.cmds) }

// Help describes one command: its usage line, its help text and its
// aliases, one per line. An unknown name gives an error wrapping
// [ErrUnknown].
func (t *Table[E]) Help(name string) (string, error) {
	c, ok := t.Lookup(name)
	if !ok {
		return "", t.unknown(name)
	}
	var b strings.Builder
	b.WriteString("usage: " + c.UsageLine())
	if c.Help != "" {
		b.WriteString("\n" + c.Help)
	}
	if len(c.Aliases) > 0 {
		b.WriteString("\naliases: /" + strings.Join(c.Aliases, ", /"))
	}
	return b.String(), nil
}

// Summary lists every command on its own line, sorted by name, with the
// help texts aligned: "/msg JID [TEXT]  send a message (also /m)", aliases
// named after the help text. There is no final newline.
func (t *Table[E]) Summary() string {
	width := 0
	for _, c := range t.cmds {
		width = max(width, utf8.RuneCountInString(c.UsageLine()))
	}
	lines := make([]string, len(t.cmds))
	for i, c := range t.cmds {
		u := c.UsageLine()
		help := c.Help
		if len(c.Aliases) > 0 {
			help = strings.TrimSpace(help + " (also /" + strings.Join(c.Aliases, ", /") + ")")
		}
		if help == "" {
			lines[i] = u
			continue
		}
		pad := strings.Repeat(" ", width-utf8.RuneCountInString(u))
		lines[i] = u + pad + "  " + help
	}
	return strings.Join(lines, "\n")
}

// Complete returns the names and aliases starting with prefix (compared
// case-insensitively), sorted, for Tab completion. If prefix starts with
// "/" so do the results ("/ms" gives "/msg"); otherwise they are bare names.
func (t *Table[E]) Complete(prefix string) []string {
	bare := strings.TrimPrefix(prefix, "/")
	slash := prefix[:len(prefix)-len(bare)]
	low := strings.ToLower(bare)
	var out []string
	for _, c := range t.cmds {
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			if strings.HasPrefix(strings.ToLower(n), low) {
				out = append(out, slash+n)
			}
		}
	}
	slices.Sort(out)
	return out
}
