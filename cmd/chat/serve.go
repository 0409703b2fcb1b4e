package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"chat/account"
	"chat/server"
)

// runServe is `chat serve`: the embedded server alone, in the foreground.
func runServe(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("chat serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:5222", "address to listen on (loopback unless you say otherwise)")
	domain := fs.String("domain", "localhost", "the domain served")
	dataDir := fs.String("data-dir", "", "where users, rosters and offline messages are kept (default $XDG_DATA_HOME/chat/server)")
	var users listFlag
	fs.Var(&users, "user", "NAME:PASSWORD to add or update (repeatable)")
	verbose := fs.Bool("v", false, "log connections and logins")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	cfg, err := serveConfig(*listen, *domain, *dataDir, users)
	if err != nil {
		fmt.Fprintln(stderr, "chat serve:", err)
		return 2
	}
	if *verbose {
		cfg.Logf = func(format string, a ...any) { fmt.Fprintf(stderr, format+"\n", a...) }
	}
	warnIfNotLoopback(*listen, stderr)
	srv, err := server.New(cfg)
	if err != nil {
		fmt.Fprintln(stderr, "chat serve:", err)
		return 1
	}
	defer srv.Close()
	if err := srv.Listen(); err != nil {
		fmt.Fprintln(stderr, "chat serve:", err)
		return 1
	}
	fmt.Fprintf(stdout, "serving %s on %s\ncertificate SHA-256 %s\n", srv.Domain(), srv.Addr(), srv.Fingerprint())
	fmt.Fprintf(stdout, "connect with: chat --account NAME@%s --server %s, after adding pins = [\"%s\"] to that account (or --tls-ca with the PEM below)\n%s",
		srv.Domain(), srv.Addr(), srv.Fingerprint(), srv.CertPEM())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := srv.Serve(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintln(stderr, "chat serve:", err)
		return 1
	}
	return 0
}

func serveConfig(listen, domain, dataDir string, users []string) (server.Config, error) {
	if dataDir == "" {
		d, err := account.DefaultDataDir()
		if err != nil {
			return server.Config{}, err
		}
		dataDir = d + "/server"
	}
	cfg := server.Config{Listen: listen, Domain: domain, DataDir: dataDir, Users: map[string]string{}}
	for _, u := range users {
		name, pass, ok := strings.Cut(u, ":")
		if !ok || name == "" || pass == "" {
			return cfg, fmt.Errorf("--user %q: want NAME:PASSWORD", u)
		}
		cfg.Users[name] = pass
	}
	return cfg, nil
}
