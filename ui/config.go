package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// Config is the full-screen UI's own settings, read from ui.toml next to
// the config file:
//
//	bell = "all"              # all (messages not in view), highlight, off
//	desktop = "osc777"        # off, osc777, osc9 or command
//	notify_command = "notify-send \"$1\" \"$2\""  # with desktop = "command"
//	opener = "firefox"        # what /open runs on a link; default $BROWSER, else xdg-open
//	[keys]
//	next_buffer = "Ctrl+N"    # see /help keys; "" unbinds
type Config struct {
	Bell          string            `toml:"bell"`
	Desktop       string            `toml:"desktop"`
	NotifyCommand string            `toml:"notify_command"`
	Opener        string            `toml:"opener"` // no shell: split on spaces, the link added as the last argument
	Keys          map[string]string `toml:"keys"`
}

// Bell and desktop notification settings.
const (
	BellAll       = "all"
	BellHighlight = "highlight"
	Off           = "off"
	DesktopOSC777 = "osc777" // urxvt, foot, kitty, WezTerm, Ghostty…
	DesktopOSC9   = "osc9"   // iTerm2, Windows Terminal, ConEmu…
	DesktopCmd    = "command"
)

// LoadConfig reads ui.toml; a missing file gives the defaults. Errors name
// the file and line.
func LoadConfig(path string) (Config, error) {
	var c Config
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("read %s: %w", path, err)
	}
	md, err := toml.Decode(string(data), &c)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return c, fmt.Errorf("%s: line %d: %s", path, pe.Position.Line, pe.Message)
		}
		return c, fmt.Errorf("%s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return c, fmt.Errorf("%s: unknown key %q", path, und[0].String())
	}
	if err := c.check(); err != nil {
		return c, fmt.Errorf("%s: %w", path, err)
	}
	if _, err := newKeymap(c.Keys); err != nil {
		return c, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

func (c Config) check() error {
	if !slices.Contains([]string{"", BellAll, BellHighlight, Off}, c.Bell) {
		return fmt.Errorf("bell = %q: use all, highlight or off", c.Bell)
	}
	if !slices.Contains([]string{"", Off, DesktopOSC777, DesktopOSC9, DesktopCmd}, c.Desktop) {
		return fmt.Errorf("desktop = %q: use off, osc777, osc9 or command", c.Desktop)
	}
	if c.Desktop == DesktopCmd && c.NotifyCommand == "" {
		return errors.New("desktop = \"command\" needs notify_command")
	}
	return nil
}

// desktop returns the desktop notification method in effect.
func (c Config) desktop() string {
	if c.Desktop == "" && c.NotifyCommand != "" {
		return DesktopCmd
	}
	return c.Desktop
}

// pendingNote is a message that deserves a notification.
type pendingNote struct {
	who, text string
	high      bool
}

// note folds a batch's messages into at most one notification, so that a
// burst rings once.
func (c Config) note(p []pendingNote) (note, bool) {
	if len(p) == 0 {
		return note{}, false
	}
	var n note
	high := slices.ContainsFunc(p, func(x pendingNote) bool { return x.high })
	n.bell = c.Bell == "" || c.Bell == BellAll || c.Bell == BellHighlight && high
	if d := c.desktop(); d != "" && d != Off {
		if len(p) == 1 {
			n.title, n.body = "chat: "+p[0].who, shorten(p[0].text, 200)
		} else {
			var who []string
			for _, x := range p {
				if !slices.Contains(who, x.who) {
					who = append(who, x.who)
				}
			}
			n.title, n.body = fmt.Sprintf("chat: %d new messages", len(p)), "from "+strings.Join(who, ", ")
		}
	}
	return n, n.bell || n.title != ""
}

func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
