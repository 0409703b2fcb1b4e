package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"chat/account"
	"chat/app"
	"chat/ui"

	"golang.org/x/term"
)

// useTUI says whether to run the full-screen UI: the default when standard
// output is a terminal, unless --headless or --json asks for lines.
func useTUI(f flags, stdout io.Writer) bool {
	file, ok := stdout.(*os.File)
	return ok && !f.headless && !f.json && term.IsTerminal(int(file.Fd()))
}

// runTUI runs the full-screen front end until /quit (or Ctrl+C twice).
// Its settings come from ui.toml next to the config file; user themes
// from $XDG_CONFIG_HOME/chat/themes.
func runTUI(ctx context.Context, f flags, opts app.Options, stderr io.Writer) int {
	cfg := opts.Config
	uiCfg, err := ui.LoadConfig(configSibling(opts.ConfigPath, "ui.toml"))
	if err != nil {
		fmt.Fprintln(stderr, "chat:", err)
		return 2
	}
	if cfg.Options.Notify && uiCfg.Desktop == "" {
		uiCfg.Desktop = ui.DesktopOSC777
	}
	u, err := ui.New(ui.Options{Theme: cfg.Options.Theme, ThemeDir: configSibling("", "themes"), Config: uiCfg})
	if err != nil {
		fmt.Fprintln(stderr, "chat:", err)
		return 2
	}
	sec := secrets(stderr, f.dataDir)
	var a *app.App
	// The password sources run on the app's workers: their notice goes to
	// the console through the loop (stderr would scribble over the screen),
	// their prompt through the screen's pump, which suspends it.
	sec.Notice = func(s string) { a.Notice(s) }
	asked := &askedPrompts{seen: map[string]bool{}}
	sec.Prompt = func(prompt string) (pw string, err error) {
		// On a cleared screen, so that an earlier prompt is not left above
		// it; asked again (the password was refused), it says so.
		head := "\x1b[H\x1b[2J"
		if asked.again(prompt) {
			head += "The server refused that password.\n"
		}
		if !u.Suspended(func() { pw, err = promptTTY(head + prompt) }) {
			return "", errors.New("the screen is gone")
		}
		return pw, err
	}
	opts.View, opts.Secrets, opts.Interactive = u, sec, true
	opts.Commands, opts.HelpTopics = u.Commands(), u.HelpTopics()
	a, code := startApp(f, opts, stderr)
	if a == nil {
		return code
	}
	u.Attach(a)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	exit := make(chan int, 1)
	go func() { // the app's loop; the UI runs on this goroutine
		exit <- a.Run(ctx, true)
		u.Stop()
	}()
	if err := u.Run(); err != nil {
		fmt.Fprintln(stderr, "chat:", err)
	}
	cancel() // the screen is gone (Stop, or the terminal failed): stop the loop too
	return <-exit
}

// configSibling is the path of name beside the config file (the default
// one when the config path is not known, as with --local).
func configSibling(cfgPath, name string) string {
	if cfgPath == "" {
		p, err := account.DefaultConfigPath()
		if err != nil {
			return ""
		}
		cfgPath = p
	}
	return filepath.Join(filepath.Dir(cfgPath), name)
}

// askedPrompts remembers the prompts shown, to tell a repeated one.
type askedPrompts struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (a *askedPrompts) again(prompt string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	again := a.seen[prompt]
	a.seen[prompt] = true
	return again
}
