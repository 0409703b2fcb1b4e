package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"chat/account"
	"chat/app"
	"chat/history"
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
func runTUI(f flags, cfg *account.Config, cfgPath string, passwords map[string]string, store *history.Store, stderr io.Writer) int {
	uiCfg, err := ui.LoadConfig(filepath.Join(filepath.Dir(cfgPath), "ui.toml"))
	if err != nil {
		fmt.Fprintln(stderr, "chat:", err)
		return 2
	}
	if cfg.Options.Notify && uiCfg.Desktop == "" {
		uiCfg.Desktop = ui.DesktopOSC777
	}
	themeDir := ""
	if p, err := account.DefaultConfigPath(); err == nil {
		themeDir = filepath.Join(filepath.Dir(p), "themes")
	}
	u, err := ui.New(ui.Options{Theme: cfg.Options.Theme, ThemeDir: themeDir, Config: uiCfg})
	if err != nil {
		fmt.Fprintln(stderr, "chat:", err)
		return 2
	}
	sec := secrets(stderr)
	sec.Notice = u.Notice // stderr would scribble over the screen
	sec.Prompt = func(prompt string) (pw string, err error) {
		if !u.Suspended(func() { pw, err = promptTTY(prompt) }) {
			return "", errors.New("the screen is gone")
		}
		return pw, err
	}
	a, err := app.New(app.Options{Config: cfg, ConfigPath: cfgPath, Store: store, View: u, Secrets: sec,
		Commands: u.Commands(), HelpTopics: u.HelpTopics(), Passwords: passwords})
	if err != nil {
		fmt.Fprintln(stderr, "chat:", err)
		return 1
	}
	u.Attach(a)
	if f.savePassword && len(cfg.Accounts) > 0 {
		a.SavePassword(cfg.Accounts[0].JID)
	}
	lines, err := scriptLines(f)
	if err != nil {
		fmt.Fprintln(stderr, "chat:", err)
		return 2
	}
	for _, l := range lines {
		a.Queue(l)
	}
	sig, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithCancel(sig)
	defer cancel()
	code := make(chan int, 1)
	go func() { // the app's loop; the UI runs on this goroutine
		code <- a.Run(ctx, true)
		u.Stop()
	}()
	if err := u.Run(); err != nil {
		fmt.Fprintln(stderr, "chat:", err)
	}
	cancel() // the screen is gone (Stop, or the terminal failed): stop the loop too
	return <-code
}
