package app

import (
	"errors"
	"slices"
	"strings"
)

// The commands and aliases people bring from Profanity and irssi (issue 14):
// /me, /away, /back and the other names they type for commands we have.

func habitCommands() []cmd {
	return []cmd{
		{Name: "me", MinArgs: 1, MaxArgs: 1, Rest: true, Usage: "TEXT", Help: "send an action (\"* me waves\") to the open conversation", Run: (*App).cmdMe},
		{Name: "away", MaxArgs: 1, Rest: true, Usage: "[TEXT]", Help: "set your presence to away, with an optional status text", Run: (*App).cmdAway},
		{Name: "back", Help: "set your presence back to available, clearing the status text", Run: (*App).cmdBack},
	}
}

// habitAliases are other names for commands defined elsewhere (some by a
// front end, some in other files): alias -> command. An alias whose
// command is not in the table, or whose name is already taken, is left out.
var habitAliases = [][2]string{
	{"query", "msg"}, {"m", "msg"},
	{"sub", "auth"},
	{"prefs", "set"},
	{"log", "history"},
	{"url", "links"},
	{"j", "join"}, // /join, /part and /leave are the room commands' own
	{"st", "status"},
}

// withAliases adds habitAliases to the commands that exist in all.
func withAliases(all []cmd) []cmd {
	taken := make(map[string]bool)
	for _, c := range all {
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			taken[strings.ToLower(n)] = true
		}
	}
	for _, pair := range habitAliases {
		alias, target := pair[0], pair[1]
		i := slices.IndexFunc(all, func(c cmd) bool { return strings.EqualFold(c.Name, target) })
		if i < 0 || taken[alias] {
			continue
		}
		all[i].Aliases = append(slices.Clone(all[i].Aliases), alias)
		taken[alias] = true
	}
	return all
}

// cmdMe sends an action: a body starting with "/me " (XEP-0245).
func (a *App) cmdMe(args []string) error {
	if a.peer == "" {
		return errors.New("no conversation open: /me acts in a conversation (open one with /msg JID)")
	}
	return a.send(a.peer, "/me "+args[0])
}

func (a *App) cmdAway(args []string) error {
	return a.cmdStatus(append([]string{"away"}, args...))
}

func (a *App) cmdBack([]string) error {
	return a.cmdStatus([]string{"available"})
}

// CommandNames returns every command name and alias, for help and tests.
func (a *App) CommandNames() []string {
	var out []string
	for _, c := range a.cmds.All() {
		out = append(out, c.Name)
		out = append(out, c.Aliases...)
	}
	return out
}
