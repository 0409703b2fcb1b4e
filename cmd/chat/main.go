// Command chat is a terminal XMPP client. This file holds only flag parsing
// and wiring; the work is done by the packages it connects.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"

	"chat/account"
	"chat/app"
	"chat/command"
	"chat/headless"
	"chat/history"
)

type flags struct {
	config, account, server, tlsCA, dataDir, script, listen string
	directTLS, headless, json, savePassword, local, version bool
	commands                                                listFlag
}

type listFlag []string

func (l *listFlag) String() string     { return fmt.Sprint(*l) }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

func parseFlags(args []string) (flags, error) {
	var f flags
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	fs.StringVar(&f.config, "config", "", "config file (default $XDG_CONFIG_HOME/chat/config.toml)")
	fs.StringVar(&f.account, "account", "", "account JID to use (added for this run if not in the config)")
	fs.StringVar(&f.server, "server", "", "connect to HOST:PORT instead of looking up DNS SRV records")
	fs.BoolVar(&f.directTLS, "direct-tls", false, "with --server: TLS from the first byte (XEP-0368) instead of STARTTLS")
	fs.StringVar(&f.tlsCA, "tls-ca", "", "PEM file of a certificate or CA to trust besides the system roots")
	fs.StringVar(&f.dataDir, "data-dir", "", "where history is kept (default $XDG_DATA_HOME/chat)")
	fs.StringVar(&f.script, "script", "", "run the /commands in FILE once connected (# comments allowed)")
	fs.Var(&f.commands, "c", "run this /command once connected (repeatable)")
	fs.BoolVar(&f.headless, "headless", false, "no screen: read /commands from stdin, print events to stdout")
	fs.BoolVar(&f.json, "json", false, "print events as JSON objects, one per line")
	fs.BoolVar(&f.local, "local", false, "try it with no account: start the embedded server on this machine and log in to it")
	fs.StringVar(&f.listen, "listen", "127.0.0.1:0", "with --local: the address the embedded server listens on")
	fs.BoolVar(&f.savePassword, "save-password", false, "store the password in the OS keyring after a good login")
	fs.BoolVar(&f.version, "version", false, "print the version and leave")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	if fs.NArg() > 0 {
		return f, fmt.Errorf("unexpected argument %q (commands go in -c '/cmd …')", fs.Arg(0))
	}
	return f, nil
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "serve" {
		return runServe(args[1:], stdout, stderr)
	}
	f, err := parseFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "chat:", err)
		return 2
	}
	if f.version {
		fmt.Fprintln(stdout, "chat", version())
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first SIGINT or SIGTERM ends ctx and every mode with it (history
	// saved); after that the signals act as by default, so a second one
	// ends the program at once.
	context.AfterFunc(ctx, stop)
	cfg, cfgPath, dataDir := (*account.Config)(nil), "", f.dataDir
	var passwords map[string]string
	if f.local {
		l, err := startLocal(ctx, f, stderr)
		if err != nil {
			fmt.Fprintln(stderr, "chat:", err)
			return 1
		}
		defer l.Close()
		cfg, passwords, dataDir = l.config, l.passwords, l.dataDir
	} else if cfg, cfgPath, err = loadConfig(f); err != nil {
		fmt.Fprintln(stderr, "chat:", err)
		return 2
	}
	store, err := openStore(dataDir)
	if err != nil {
		fmt.Fprintln(stderr, "chat:", err)
		return 1
	}
	defer store.Close()
	opts := app.Options{Config: cfg, ConfigPath: cfgPath, Store: store, Passwords: passwords}
	if useTUI(f, stdout) {
		return runTUI(ctx, f, opts, stderr)
	}
	opts.View, opts.Secrets = headless.New(stdout, f.json), secrets(stderr, f.dataDir)
	a, code := startApp(f, opts, stderr)
	if a == nil {
		return code
	}
	go func() { // blocked reading stdin at exit, when nothing is left to own it
		if err := headless.ReadLines(stdin, func(l string) { a.QueueWait(l) }); err != nil {
			fmt.Fprintln(stderr, "chat:", err)
		}
	}()
	return a.Run(ctx, true)
}

// startApp makes the App for either front end and hands it the -c and
// --script lines; on failure it returns nil and the exit code.
func startApp(f flags, opts app.Options, stderr io.Writer) (*app.App, int) {
	a, err := app.New(opts)
	if err != nil {
		fmt.Fprintln(stderr, "chat:", err)
		return nil, 1
	}
	if f.savePassword && len(opts.Config.Accounts) > 0 {
		a.SavePassword(opts.Config.Accounts[0].JID)
	}
	lines, err := scriptLines(f)
	if err != nil {
		fmt.Fprintln(stderr, "chat:", err)
		return nil, 2
	}
	a.Script(lines)
	return a, 0
}

// loadConfig reads the config file and applies the command-line overrides
// to the account chosen with --account (or the first one).
func loadConfig(f flags) (*account.Config, string, error) {
	path := f.config
	if path == "" {
		p, err := account.DefaultConfigPath()
		if err != nil {
			return nil, "", err
		}
		path = p
	}
	cfg, err := account.Load(path)
	if err != nil {
		return nil, "", err
	}
	if f.account != "" {
		if err := selectAccount(cfg, f.account); err != nil {
			return nil, "", err
		}
	}
	if len(cfg.Accounts) == 0 {
		return nil, "", fmt.Errorf("no account: pass --account JID or add an [[account]] to %s", path)
	}
	acct := &cfg.Accounts[0]
	if f.server != "" {
		acct.Server, acct.DirectTLS = f.server, f.directTLS
	}
	if f.tlsCA != "" {
		acct.TLSCA = f.tlsCA
	}
	return cfg, path, cfg.Validate()
}

// selectAccount moves the account j to the front (so that it is the one
// connected), adding it if the config does not have it.
func selectAccount(cfg *account.Config, j string) error {
	norm, err := account.NormalizeJID(j)
	if err != nil {
		return fmt.Errorf("--account %q: %w", j, err)
	}
	acct, ok := cfg.Find(norm)
	chosen := account.Account{JID: norm}
	if ok {
		chosen = *acct
	}
	rest := []account.Account{chosen}
	for _, a := range cfg.Accounts {
		if a.JID != chosen.JID {
			a.SetAutoConnect(false)
			rest = append(rest, a)
		}
	}
	cfg.Accounts = rest
	return nil
}

func openStore(dir string) (*history.Store, error) {
	if dir == "" {
		d, err := account.DefaultDataDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	return history.Open(filepath.Join(dir, "history.db"))
}

func scriptLines(f flags) ([]string, error) {
	var lines []string
	if f.script != "" {
		file, err := os.Open(f.script)
		if err != nil {
			return nil, fmt.Errorf("script: %w", err)
		}
		defer file.Close()
		ls, err := command.ReadScript(file)
		if err != nil {
			return nil, fmt.Errorf("script %s: %w", f.script, err)
		}
		for _, l := range ls {
			lines = append(lines, l.Text)
		}
	}
	return append(lines, f.commands...), nil
}

// version is the module version and VCS revision the binary was built
// from, as far as the build recorded them.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown version)"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v += " " + s.Value[:min(12, len(s.Value))]
		case "vcs.modified":
			if s.Value == "true" {
				v += "+modified"
			}
		}
	}
	return v + " " + bi.GoVersion
}
