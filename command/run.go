package command

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	// ErrNotCommand is returned by Run for a line that is not a command:
	// it does not start with "/", or it starts with "//" (see [Literal]).
	// The caller sends such a line as a message.
	ErrNotCommand = errors.New("not a command")
	// ErrUnknown is wrapped by the error for a command name not in the table.
	ErrUnknown = errors.New("unknown command")
	// ErrSyntax is wrapped by the error for a line that cannot be split into
	// arguments (an unterminated quote).
	ErrSyntax = errors.New("syntax error")
)

// UsageError reports a command called with the wrong number of arguments
// (or arguments its handler rejected). Its message is one line:
// "usage: /msg JID [TEXT]".
type UsageError struct {
	Name  string // the command's name
	Usage string // its usage line, e.g. "/msg JID [TEXT]"
	Help  string // its one-line help text
}

func (e *UsageError) Error() string { return "usage: " + e.Usage }

// Literal returns the text a non-command line stands for: "//text" is the
// literal text "/text"; any other line is returned as is.
func Literal(line string) string {
	if strings.HasPrefix(line, "//") {
		return line[1:]
	}
	return line
}

// Run parses line and calls the command's handler with env.
//
// A line is a command only if its first character is "/" and its second is
// not (leading spaces make it text). The name ends at the first white space
// and matches case-insensitively. Arguments are separated by white space;
// double quotes group words into one argument ("Bob Smith"), and inside
// quotes \" and \\ stand for " and \. Outside quotes a backslash is an
// ordinary character, so escaped JIDs (d\27artagnan@example.org) need no
// quoting. For a command with Rest set, the last argument is the rest of
// the line as typed. A trailing "\n" or "\r\n" is ignored.
//
// Errors: [ErrNotCommand] for text, an error wrapping [ErrUnknown] or
// [ErrSyntax], a [*UsageError] for a wrong argument count, or the handler's
// error prefixed with "/name: " (a *UsageError from the handler is returned
// as is).
func (t *Table[E]) Run(env E, line string) error {
	line = strings.TrimRight(line, "\r\n")
	if !strings.HasPrefix(line, "/") || strings.HasPrefix(line, "//") {
		return ErrNotCommand
	}
	name, rest := splitName(line[1:])
	c, ok := t.Lookup(name)
	if !ok {
		return t.unknown(name)
	}
	args, err := parseArgs(rest, c.MaxArgs, c.Rest)
	if err != nil {
		return fmt.Errorf("/%s: %w", c.Name, err)
	}
	if len(args) < c.MinArgs || c.MaxArgs >= 0 && len(args) > c.MaxArgs {
		return c.UsageErr()
	}
	err = c.Run(env, args)
	var ue *UsageError
	if err == nil || errors.As(err, &ue) {
		return err
	}
	return fmt.Errorf("/%s: %w", c.Name, err)
}

// splitName splits "msg bob hi" into "msg" and "bob hi".
func splitName(s string) (name, rest string) {
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i:]
}

// parseArgs splits s into arguments. If rest is set, argument number maxArgs
// is the verbatim remainder of s.
func parseArgs(s string, maxArgs int, rest bool) ([]string, error) {
	var args []string
	for {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if s == "" {
			return args, nil
		}
		if rest && len(args) == maxArgs-1 {
			return append(args, s), nil
		}
		arg, tail, err := nextArg(s)
		if err != nil {
			return nil, err
		}
		args = append(args, arg)
		s = tail
	}
}

// nextArg reads one argument from the start of s, which is not white space,
// and returns it with the unread remainder.
func nextArg(s string) (arg, tail string, err error) {
	var b strings.Builder
	quoted := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case !quoted && unicode.IsSpace(r):
			return b.String(), s[i:], nil
		case r == '"':
			quoted = !quoted
		case quoted && r == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\'):
			b.WriteByte(s[i+1])
			size = 2
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	if quoted {
		return "", "", fmt.Errorf("%w: unterminated quote", ErrSyntax)
	}
	return b.String(), "", nil
}
