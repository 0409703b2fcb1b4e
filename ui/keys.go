package ui

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/gdamore/tcell/v2"
)

// An action is what a key does; bindings map keys to actions. The config
// file's [keys] table rebinds them by name: next_buffer = "Ctrl+N".
type action string

const (
	actNone         action = ""
	actNextBuffer   action = "next_buffer"
	actPrevBuffer   action = "prev_buffer"
	actNextActivity action = "next_activity"
	actScrollUp     action = "scroll_up"
	actScrollDown   action = "scroll_down"
	actRedraw       action = "redraw"
	actQuit         action = "quit"
	actToggleRoster action = "toggle_roster"
	actFocusRoster  action = "focus_roster"
	actEditor       action = "editor"
	actNewline      action = "newline"
	actComplete     action = "complete"
	actHistoryPrev  action = "history_prev"
	actHistoryNext  action = "history_next"
	actSend         action = "send"
)

// bufferAction is the action of going to buffer n (1..10).
func bufferAction(n int) action { return action(fmt.Sprintf("buffer_%d", n)) }

type binding struct {
	act  action
	keys string // default keys, comma-separated
	help string
}

func defaultBindings() []binding {
	var bs []binding
	for n := 1; n <= 10; n++ {
		bs = append(bs, binding{bufferAction(n), fmt.Sprintf("Alt+%d", n%10), fmt.Sprintf("go to buffer %d", n)})
	}
	bs[0].help = "go to buffer 1, the console"
	return append(bs,
		binding{actNextBuffer, "Ctrl+N", "next buffer"},
		binding{actPrevBuffer, "Ctrl+P", "previous buffer"},
		binding{actNextActivity, "Alt+A", "next buffer with activity, highlights first"},
		binding{actScrollUp, "PgUp", "scroll the chat up; at the top, load older history"},
		binding{actScrollDown, "PgDn", "scroll the chat down"},
		binding{actRedraw, "Ctrl+L", "redraw the screen"},
		binding{actQuit, "Ctrl+C", "quit (press twice)"},
		binding{actToggleRoster, "Alt+R", "show or hide the roster"},
		binding{actFocusRoster, "Ctrl+R", "move to the roster: type to filter, Enter opens, Esc returns"},
		binding{actEditor, "Alt+C", "write the message in $EDITOR"},
		binding{actNewline, "Alt+Enter", "new line in the message"},
		binding{actComplete, "Tab", "complete a command, its argument, a JID or a name (again: next)"},
		binding{actHistoryPrev, "Up", "previous line typed in this buffer"},
		binding{actHistoryNext, "Down", "next line typed in this buffer"},
		binding{actSend, "Enter", "send the message or run the command"},
	)
}

// key is a normalised key press.
type key struct {
	k   tcell.Key
	r   rune
	mod tcell.ModMask
}

// keyOf normalises an event: runes lower-cased without Shift, Ctrl+letter
// keys without the redundant Ctrl, and the control characters that are
// keys (Ctrl+M is Enter, Ctrl+I Tab, Ctrl+H Backspace, Ctrl+[ Esc) as those
// keys: legacy terminals send Alt+Enter as ESC CR, which tcell reports as
// Ctrl+Alt+M.
func keyOf(ev *tcell.EventKey) key {
	mod := ev.Modifiers() & (tcell.ModAlt | tcell.ModCtrl | tcell.ModShift)
	k, r := ev.Key(), unicode.ToLower(ev.Rune())
	if k == tcell.KeyRune && mod&tcell.ModCtrl != 0 && r >= 'a' && r <= 'z' {
		k, mod = tcell.KeyCtrlA+tcell.Key(r-'a'), mod&^tcell.ModShift
	}
	switch k {
	case tcell.KeyRune:
		return key{k, r, mod &^ tcell.ModShift}
	case tcell.KeyCtrlM:
		return key{tcell.KeyEnter, 0, mod &^ tcell.ModCtrl}
	case tcell.KeyCtrlI:
		return key{tcell.KeyTab, 0, mod &^ tcell.ModCtrl}
	case tcell.KeyCtrlH:
		return key{tcell.KeyBackspace, 0, mod &^ tcell.ModCtrl}
	case tcell.KeyCtrlLeftSq:
		return key{tcell.KeyEsc, 0, mod &^ tcell.ModCtrl}
	}
	if k >= tcell.KeyCtrlA && k <= tcell.KeyCtrlZ {
		return key{k, 0, mod &^ tcell.ModCtrl}
	}
	return key{k, 0, mod}
}

// parseKey reads "Ctrl+N", "Alt+1", "Alt+Enter", "PgUp", "F2", "Shift+Tab".
func parseKey(s string) (key, error) {
	parts := strings.Split(strings.TrimSpace(s), "+")
	name := strings.TrimSpace(parts[len(parts)-1])
	var mod tcell.ModMask
	for _, p := range parts[:len(parts)-1] {
		switch strings.ToLower(strings.TrimSpace(p)) {
		case "alt", "meta":
			mod |= tcell.ModAlt
		case "ctrl":
			mod |= tcell.ModCtrl
		case "shift":
			mod |= tcell.ModShift
		default:
			return key{}, fmt.Errorf("key %q: unknown modifier %q (use Ctrl, Alt or Shift)", s, p)
		}
	}
	if r := []rune(name); len(r) == 1 && name != "" {
		c := unicode.ToLower(r[0])
		if mod&tcell.ModCtrl != 0 && c >= 'a' && c <= 'z' {
			return key{tcell.KeyCtrlA + tcell.Key(c-'a'), 0, mod &^ tcell.ModCtrl}, nil
		}
		return key{tcell.KeyRune, c, mod &^ tcell.ModShift}, nil
	}
	if strings.EqualFold(name, "Shift+Tab") || mod == tcell.ModShift && strings.EqualFold(name, "Tab") {
		return key{tcell.KeyBacktab, 0, 0}, nil
	}
	for k, n := range tcell.KeyNames {
		if strings.EqualFold(n, name) && !strings.Contains(n, "-") {
			return keyOf(tcell.NewEventKey(k, 0, mod)), nil
		}
	}
	return key{}, fmt.Errorf("key %q: unknown key %q (use a letter or digit, Enter, Tab, Esc, PgUp, PgDn, Up, F1…)", s, name)
}

// keymap is the key bindings in use.
type keymap struct {
	byKey map[key]action
	names map[action][]string // the keys as written, for /help keys
}

// newKeymap applies the config's rebindings (action → keys, comma
// separated; "" unbinds) to the defaults.
func newKeymap(custom map[string]string) (keymap, error) {
	km := keymap{byKey: map[key]action{}, names: map[action][]string{}}
	known := map[action]bool{}
	for _, b := range defaultBindings() {
		known[b.act] = true
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range custom {
			if !yield(n) {
				return
			}
		}
	})
	for _, n := range names {
		if !known[action(n)] {
			return km, fmt.Errorf("keys: unknown action %q (see /help keys)", n)
		}
	}
	for _, b := range defaultBindings() {
		spec, ok := custom[string(b.act)]
		if !ok {
			spec = b.keys
		}
		if err := km.bind(b.act, spec, ok); err != nil {
			return km, err
		}
	}
	return km, nil
}

// bind binds the keys of spec to act; custom bindings take a key away
// from a default binding.
func (km *keymap) bind(act action, spec string, custom bool) error {
	km.names[act] = nil
	for _, s := range strings.Split(spec, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		k, err := parseKey(s)
		if err != nil {
			return fmt.Errorf("keys: %s: %w", act, err)
		}
		old, taken := km.byKey[k]
		if taken && !custom {
			continue // a custom binding got here first
		}
		if taken {
			km.names[old] = slices.DeleteFunc(km.names[old], func(n string) bool { return n == s })
		}
		km.byKey[k] = act
		km.names[act] = append(km.names[act], s)
	}
	return nil
}

func (km keymap) action(ev *tcell.EventKey) action { return km.byKey[keyOf(ev)] }

// help is the text of /help keys.
func (km keymap) help() string {
	var b strings.Builder
	b.WriteString("keys (rebind them in the [keys] table of ui.toml, e.g. next_buffer = \"Ctrl+N\"):")
	for _, bd := range defaultBindings() {
		keys := strings.Join(km.names[bd.act], ", ")
		if keys == "" {
			keys = "(unbound)"
		}
		fmt.Fprintf(&b, "\n  %-16s %-14s %s", bd.act, keys, bd.help)
	}
	b.WriteString("\nediting: Left/Right, Home/End or Ctrl+A/Ctrl+E, Alt+B/Alt+F word back/forward, Ctrl+K kill to end," +
		" Ctrl+U kill to start, Ctrl+W kill word, Backspace/Delete, Ctrl+Z undo.\nmouse: click a buffer number or a contact to open it; the wheel scrolls.")
	return b.String()
}
