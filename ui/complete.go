package ui

import (
	"slices"
	"strings"

	"chat/app"
	"chat/command"
	"chat/themes"
)

// completer does Tab completion in the input line: command names, their
// arguments (read from the usage line: choices such as
// "show|hide|filter", JIDs, command names, theme names), and contact JIDs
// and names in messages. Pressing Tab again cycles through the
// candidates. tview's goroutine only.
type completer struct {
	cmds     *command.Table[*app.App]
	themeDir string
	contacts []rosterRow

	// cycling state: the text and cursor after the last completion, the
	// start of the completed word and the candidates
	lastText string
	lastPos  int
	start    int
	cands    []string
	i        int
}

func newCompleter(themeDir string) *completer { return &completer{themeDir: themeDir, lastPos: -1} }

func (c *completer) setCommands(t *command.Table[*app.App]) { c.cmds = t }

func (c *completer) reset() { c.lastPos = -1 }

func (c *completer) remember(text string, pos int) { c.lastText, c.lastPos = text, pos }

// tab completes the word before the cursor and returns the new text and
// cursor.
func (c *completer) tab(text string, cursor int) (string, int, bool) {
	if c.lastPos == cursor && c.lastText == text && len(c.cands) > 1 {
		c.i = (c.i + 1) % len(c.cands)
		return c.replace(text, cursor)
	}
	start := strings.LastIndexAny(text[:cursor], " \t\n") + 1
	word := text[start:cursor]
	c.cands, c.i, c.start = c.candidates(text[:start], word), 0, start
	if len(c.cands) == 0 {
		return text, cursor, false
	}
	return c.replace(text, cursor)
}

// replace puts the current candidate in place of the word (or of the
// previous candidate); a single candidate gets a space after it.
func (c *completer) replace(text string, cursor int) (string, int, bool) {
	cand := c.cands[c.i]
	if len(c.cands) == 1 && !strings.HasPrefix(text[cursor:], " ") {
		cand += " "
	}
	out := text[:c.start] + cand + text[cursor:]
	return out, c.start + len(cand), true
}

// candidates for word, given the text before it.
func (c *completer) candidates(before, word string) []string {
	fields := strings.Fields(before)
	switch {
	case len(fields) == 0 && strings.HasPrefix(word, "/") && c.cmds != nil:
		return c.cmds.Complete(word)
	case len(fields) > 0 && strings.HasPrefix(fields[0], "/") && !strings.HasPrefix(fields[0], "//"):
		return c.argument(fields[0], len(fields)-1, word)
	default:
		return c.names(word)
	}
}

// argument completes argument number n (0-based) of command name.
func (c *completer) argument(name string, n int, word string) []string {
	if c.cmds == nil {
		return nil
	}
	cmd, ok := c.cmds.Lookup(name)
	if !ok {
		return nil
	}
	usage := strings.Fields(cmd.Usage)
	if n >= len(usage) {
		return nil
	}
	var out []string
	for _, alt := range strings.Split(strings.Trim(usage[n], "[]"), "|") {
		switch alt {
		case "JID":
			out = append(out, c.jids(word)...)
		case "COMMAND":
			out = append(out, c.cmds.Complete(word)...)
			if strings.HasPrefix("keys", strings.ToLower(word)) {
				out = append(out, "keys")
			}
		case "NAME":
			if cmd.Name == "theme" {
				out = append(out, prefixed(themes.Names(c.themeDir), word)...)
			}
		default:
			if alt != strings.ToUpper(alt) { // a literal choice, not a placeholder
				out = append(out, prefixed([]string{alt}, word)...)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// jids returns the contacts whose JID or name starts with word, as JIDs.
func (c *completer) jids(word string) []string {
	low := strings.ToLower(word)
	var out []string
	for _, r := range c.contacts {
		if r.jid != "" && (strings.HasPrefix(r.jid, low) || strings.HasPrefix(strings.ToLower(r.label), low)) {
			out = append(out, r.jid)
		}
	}
	return out
}

// names completes a contact's name (or JID local part) in a message.
func (c *completer) names(word string) []string {
	if word == "" {
		return nil
	}
	low := strings.ToLower(word)
	var out []string
	for _, r := range c.contacts {
		if r.jid == "" {
			continue
		}
		for i, n := range []string{r.label, localpart(r.jid)} {
			if i == 1 && strings.EqualFold(n, r.label) {
				continue // the name already offered
			}
			if strings.HasPrefix(strings.ToLower(n), low) && !strings.ContainsAny(n, " \t") {
				out = append(out, n)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func prefixed(list []string, word string) []string {
	var out []string
	for _, s := range list {
		if strings.HasPrefix(strings.ToLower(s), strings.ToLower(word)) {
			out = append(out, s)
		}
	}
	return out
}
