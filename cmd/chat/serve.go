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
	"syscall"

	"chat/account"
	"chat/server"
)

// serveEnv is what `chat serve` takes from the process, so that tests can
// give their own.
type serveEnv struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	prompt         func(prompt string) (string, error) // asks for a password without echo
}

// runServe is `chat serve`: the embedded server alone, in the foreground,
// until SIGINT or SIGTERM.
func runServe(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, args, serveEnv{stdout: stdout, stderr: stderr, getenv: os.Getenv, prompt: promptTTY})
}

// serveFlags are the options of `chat serve`.
type serveFlags struct {
	listen, domain, dataDir, usersFile, cert, key string
	users                                         listFlag
	verbose, allowRegister                        bool
}

func parseServeFlags(args []string, stderr io.Writer) (serveFlags, error) {
	var f serveFlags
	fs := flag.NewFlagSet("chat serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.listen, "listen", "127.0.0.1:5222", "address to listen on (loopback unless you say otherwise)")
	fs.StringVar(&f.domain, "domain", "localhost", "the domain served")
	fs.StringVar(&f.dataDir, "data-dir", "", "where users, rosters, offline messages and the certificate are kept (default $XDG_DATA_HOME/chat/server)")
	fs.Var(&f.users, "user", "NAME to add or update, its password asked for (or taken from $"+usersEnv+"); NAME:PASSWORD works but shows the password in ps (repeatable)")
	fs.StringVar(&f.usersFile, "users-file", "", "file of NAME:PASSWORD lines to add or update (must be readable by you only)")
	fs.StringVar(&f.cert, "cert", "", "PEM certificate chain to serve instead of the one kept in the data dir (with --key)")
	fs.StringVar(&f.key, "key", "", "PEM private key of --cert")
	fs.BoolVar(&f.verbose, "v", false, "log connections and logins")
	fs.BoolVar(&f.allowRegister, "allow-register", false, "let clients create accounts in band (XEP-0077), a few per address per hour")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	if fs.NArg() > 0 {
		return f, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if (f.cert == "") != (f.key == "") {
		return f, errors.New("--cert and --key go together")
	}
	return f, nil
}

// serve runs `chat serve` until ctx is done and returns the exit code.
func serve(ctx context.Context, args []string, env serveEnv) int {
	f, err := parseServeFlags(args, env.stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(env.stderr, "chat serve:", err)
		return 2
	}
	cfg, err := serveConfig(f, env)
	if err != nil {
		fmt.Fprintln(env.stderr, "chat serve:", err)
		return 1
	}
	if f.verbose {
		cfg.Logf = func(format string, a ...any) { fmt.Fprintf(env.stderr, format+"\n", a...) }
	}
	warnIfNotLoopback(f.listen, env.stderr)
	srv, err := server.New(cfg)
	if err != nil {
		fmt.Fprintln(env.stderr, "chat serve:", err)
		return 1
	}
	defer srv.Close()
	if err := srv.Listen(); err != nil {
		fmt.Fprintln(env.stderr, "chat serve:", err)
		return 1
	}
	fmt.Fprintf(env.stdout, "serving %s on %s\ncertificate SHA-256 %s\n", srv.Domain(), srv.Addr(), srv.Fingerprint())
	fmt.Fprintf(env.stdout, "connect with: chat --account NAME@%s --server %s, after adding pins = [\"%s\"] to that account (or --tls-ca with the PEM below)\n%s",
		srv.Domain(), srv.Addr(), srv.Fingerprint(), srv.CertPEM())
	if err := srv.Serve(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintln(env.stderr, "chat serve:", err)
		return 1
	}
	return 0
}

// serveConfig resolves the data dir, the users and their passwords and
// the certificate: the one given, or the one kept in the data dir.
func serveConfig(f serveFlags, env serveEnv) (server.Config, error) {
	dataDir := f.dataDir
	if dataDir == "" {
		d, err := account.DefaultDataDir()
		if err != nil {
			return server.Config{}, err
		}
		dataDir = filepath.Join(d, "server")
	}
	cfg := server.Config{Listen: f.listen, Domain: f.domain, DataDir: dataDir, AllowRegister: f.allowRegister}
	users, err := serveUsers(f, env)
	if err != nil {
		return cfg, err
	}
	cfg.Users = users
	if err := server.PrivateDir(dataDir); err != nil {
		return cfg, err
	}
	if f.cert != "" {
		cert, err := server.LoadCertificate(f.cert, f.key)
		if err != nil {
			return cfg, err
		}
		if why := server.CertificateProblem(cert, f.domain); why != "" {
			fmt.Fprintf(env.stderr, "chat serve: warning: the certificate %s %s\n", f.cert, why)
		}
		cfg.Certificate = cert
		return cfg, nil
	}
	cert, note, err := server.KeepCertificate(dataDir, f.domain)
	if err != nil {
		return cfg, err
	}
	if note != "" {
		fmt.Fprintln(env.stderr, "chat serve:", note)
	}
	cfg.Certificate = cert
	return cfg, nil
}
