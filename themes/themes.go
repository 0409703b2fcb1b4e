// Package themes holds the colour themes of the full-screen UI: a theme is
// a TOML file of named styles (text, roster, presence states, nick colours,
// time, highlight, status bar, input, borders, errors). Four are built in
// and embedded in the binary: dark (the default), light, high-contrast and
// monochrome (for NO_COLOR). Users add their own as NAME.toml in
// $XDG_CONFIG_HOME/chat/themes; a user theme may start from a built-in one
// (base = "dark") and change only some styles.
//
// A theme is plain data, immutable once loaded, so it can be shared between
// goroutines. This package parses and validates themes and computes nick
// colours (XEP-0392); it must not draw anything or import a UI toolkit
// beyond tcell's colour names.
package themes

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Style is how a kind of text looks. Empty fields inherit: an empty Fg or
// Bg keeps the surrounding colour, empty Attrs adds none.
type Style struct {
	Fg    Color `toml:"fg"`
	Bg    Color `toml:"bg"`
	Attrs Attrs `toml:"attrs"`
}

// PresenceStyle is the style and one-cell symbol of a presence state.
type PresenceStyle struct {
	Fg     Color  `toml:"fg"`
	Bg     Color  `toml:"bg"`
	Attrs  Attrs  `toml:"attrs"`
	Symbol Symbol `toml:"symbol"`
}

// Style returns the presence's colours and attributes.
func (p PresenceStyle) Style() Style { return Style{Fg: p.Fg, Bg: p.Bg, Attrs: p.Attrs} }

// Presence styles each presence state.
type Presence struct {
	Available PresenceStyle `toml:"available"`
	Chat      PresenceStyle `toml:"chat"`
	Away      PresenceStyle `toml:"away"`
	XA        PresenceStyle `toml:"xa"`
	DND       PresenceStyle `toml:"dnd"`
	Offline   PresenceStyle `toml:"offline"`
}

// Show returns the style of an XMPP show value ("" is available); online
// false means offline whatever the show.
func (p Presence) Show(show string, online bool) PresenceStyle {
	if !online {
		return p.Offline
	}
	switch show {
	case "chat":
		return p.Chat
	case "away":
		return p.Away
	case "xa":
		return p.XA
	case "dnd":
		return p.DND
	}
	return p.Available
}

// Theme is a complete set of styles.
type Theme struct {
	Name string `toml:"-"`
	// Base names the built-in theme a user theme starts from.
	Base string `toml:"base"`

	Text      Style `toml:"text"`      // default text and background everywhere
	Border    Style `toml:"border"`    // pane separators
	Title     Style `toml:"title"`     // the title bar above the chat
	Time      Style `toml:"time"`      // time stamps
	Self      Style `toml:"self"`      // our own nick
	Action    Style `toml:"action"`    // /me lines
	Notice    Style `toml:"notice"`    // console notices and command output
	Error     Style `toml:"error"`     // errors
	Highlight Style `toml:"highlight"` // a message that mentions us
	Day       Style `toml:"day"`       // the day separator
	Unread    Style `toml:"unread"`    // the "new messages" marker

	Status          Style `toml:"status"`           // the status bar
	StatusCurrent   Style `toml:"status_current"`   // the current buffer in it
	StatusActivity  Style `toml:"status_activity"`  // a buffer with new notices
	StatusMessage   Style `toml:"status_message"`   // a buffer with unread messages
	StatusHighlight Style `toml:"status_highlight"` // a buffer with a highlight

	Input  Style `toml:"input"`  // the input line
	Prompt Style `toml:"prompt"` // its prompt

	Roster         Style `toml:"roster"`          // the roster pane
	RosterGroup    Style `toml:"roster_group"`    // group headings
	RosterSelected Style `toml:"roster_selected"` // the selected contact
	RosterUnread   Style `toml:"roster_unread"`   // unread counts
	RosterSelf     Style `toml:"roster_self"`     // our own account on top

	Presence Presence `toml:"presence"`
	Nick     Nick     `toml:"nick"`
}

//go:embed *.toml
var builtin embed.FS

// Builtins lists the built-in themes; the first is the default.
var builtinNames = []string{"dark", "light", "high-contrast", "monochrome"}

// BuiltinNames returns the names of the built-in themes, the default first.
func BuiltinNames() []string { return slices.Clone(builtinNames) }

// Default returns the theme to use when the config names none: monochrome
// if NO_COLOR is set (https://no-color.org), else dark.
func Default(getenv func(string) string) string {
	if getenv("NO_COLOR") != "" {
		return "monochrome"
	}
	return builtinNames[0]
}

// ErrNotFound is wrapped by Load's error for a name that is neither a user
// theme nor a built-in one.
var ErrNotFound = errors.New("no such theme")

// Load returns theme name: dir/NAME.toml if dir is not empty and the file
// exists, else the built-in theme of that name. A file that does not parse
// or validate gives an error naming the file and line.
func Load(dir, name string) (*Theme, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	if dir != "" {
		path := filepath.Join(dir, name+".toml")
		data, err := os.ReadFile(path)
		switch {
		case err == nil:
			return Parse(path, name, data)
		case !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("read theme %s: %w", path, err)
		}
	}
	return Builtin(name)
}

// Builtin returns the built-in theme name.
func Builtin(name string) (*Theme, error) {
	if !slices.Contains(builtinNames, name) {
		return nil, fmt.Errorf("%w %q (built in: %s)", ErrNotFound, name, strings.Join(builtinNames, ", "))
	}
	data, err := builtin.ReadFile(name + ".toml")
	if err != nil {
		return nil, fmt.Errorf("built-in theme %s: %w", name, err)
	}
	return Parse("built-in theme "+name, name, data)
}

// Names returns the built-in themes followed by the user themes in dir,
// sorted, without duplicates.
func Names(dir string) []string {
	names := BuiltinNames()
	if dir == "" {
		return names
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.toml"))
	var user []string
	for _, f := range files {
		n := strings.TrimSuffix(filepath.Base(f), ".toml")
		if !slices.Contains(names, n) && checkName(n) == nil {
			user = append(user, n)
		}
	}
	slices.Sort(user)
	return append(names, user...)
}

func checkName(name string) error {
	if name == "" || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		return fmt.Errorf("theme name %q: want a plain name such as dark or my-theme", name)
	}
	return nil
}
