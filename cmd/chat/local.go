package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"sync"

	"chat/account"
	"chat/client"
	"chat/echobot"
	"chat/server"
	"chat/server/store"

	"mellium.im/xmpp/jid"
)

// Lobby is the room the echo bot sits in with --local.
const Lobby = "lobby@conference.localhost"

// local is the embedded server started by --local, with its accounts.
type local struct {
	srv        *server.Server
	store      *store.Store
	stopBot    context.CancelFunc
	stopSrv    context.CancelFunc
	bot, serve sync.WaitGroup // the echo bot; the server's Serve
	config     *account.Config
	passwords  map[string]string
	dataDir    string
}

// startLocal starts the embedded server on loopback (or --listen), makes
// the account me@localhost and an echo bot in each other's rosters, and
// returns a config that logs in to it, trusting only the certificate
// made for this run (pinned by fingerprint).
func startLocal(ctx context.Context, f flags, stderr io.Writer) (*local, error) {
	dataDir := f.dataDir
	if dataDir == "" {
		d, err := account.DefaultDataDir()
		if err != nil {
			return nil, err
		}
		dataDir = d
	}
	dataDir = filepath.Join(dataDir, "local")
	st, err := store.Open(filepath.Join(dataDir, "server.db"))
	if err != nil {
		return nil, fmt.Errorf("local server: %w", err)
	}
	me, echo := "me@localhost", "echo@localhost"
	pw := map[string]string{me: randomPassword(), echo: randomPassword()}
	if err := befriend(ctx, st, me, echo); err != nil {
		st.Close()
		return nil, err
	}
	warnIfNotLoopback(f.listen, stderr)
	srv, err := server.New(server.Config{Listen: f.listen, Domain: "localhost", Store: st, Users: pw})
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("local server: %w", err)
	}
	if err := srv.Listen(); err != nil {
		srv.Close()
		st.Close()
		return nil, fmt.Errorf("local server: %w", err)
	}
	// Both outlive a signal, so that the app can say goodbye to the server
	// while it shuts down; Close ends them.
	srvCtx, stopSrv := context.WithCancel(context.WithoutCancel(ctx))
	botCtx, stopBot := context.WithCancel(context.WithoutCancel(ctx))
	addr := srv.Addr().String()
	acct := account.Account{JID: me, Server: addr, Pins: []string{srv.Fingerprint()}, Resource: "local"}
	l := &local{srv: srv, store: st, stopBot: stopBot, stopSrv: stopSrv, dataDir: dataDir,
		config:    &account.Config{Accounts: []account.Account{acct}, Options: account.DefaultOptions()},
		passwords: map[string]string{me: pw[me]}}
	l.serve.Add(1)
	go func() {
		defer l.serve.Done()
		srv.Serve(srvCtx)
	}()
	fmt.Fprintf(stderr, "chat: embedded server on %s (certificate SHA-256 %s); you are %s, and %s answers (also in %s: /join lobby)\n", addr, srv.Fingerprint(), me, echo, Lobby)
	l.bot.Add(1)
	go func() {
		defer l.bot.Done()
		bot := client.Config{JID: jid.MustParse(echo + "/bot"), Password: pw[echo], Server: addr,
			TLS: client.TLSPolicy{Pins: []string{srv.Fingerprint()}}}
		if err := echobot.Run(botCtx, bot, Lobby); err != nil {
			fmt.Fprintln(stderr, "chat:", err)
		}
	}()
	return l, nil
}

// Close stops the bot, then the server, waiting for each, and closes the
// server's store.
func (l *local) Close() {
	l.stopBot()
	l.bot.Wait()
	l.stopSrv()
	l.serve.Wait()
	l.srv.Close()
	l.store.Close()
}

// befriend puts a and b in each other's rosters with mutual subscription.
func befriend(ctx context.Context, st *store.Store, a, b string) error {
	for _, pair := range [][2]string{{a, b}, {b, a}} {
		if err := st.SetUser(ctx, pair[0], randomPassword()); err != nil {
			return fmt.Errorf("local server: user %s: %w", pair[0], err)
		}
		if _, err := st.PutRosterItem(ctx, pair[0], store.Item{JID: pair[1], Subscription: "both"}); err != nil {
			return fmt.Errorf("local server: roster of %s: %w", pair[0], err)
		}
	}
	return nil
}

func warnIfNotLoopback(listen string, stderr io.Writer) {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		fmt.Fprintf(stderr, "chat: warning: the embedded server listens on %s, not only on this machine\n", listen)
	}
}

func randomPassword() string {
	var b [18]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b[:])
}
