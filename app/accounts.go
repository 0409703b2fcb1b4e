package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"chat/account"
	"chat/client"
	"chat/event"

	"mellium.im/xmpp/jid"
)

// connectDefault connects every account marked autoconnect, or the first
// account if none is.
func (a *App) connectDefault() {
	var any bool
	for _, acct := range a.opts.Config.Accounts {
		if acct.AutoConnectEnabled() {
			a.connect(bare(acct.JID))
			any = true
		}
	}
	if !any && len(a.opts.Config.Accounts) > 0 {
		a.connect(bare(a.opts.Config.Accounts[0].JID))
	}
}

// connect brings an account online, creating its engine on first use.
// When the password is not known yet it is looked up on a worker, and the
// engine starts when it is found.
func (a *App) connect(j string) error {
	if e, ok := a.engines[j]; ok {
		if c := a.state.Account(j).Conn; c.State == event.Online {
			a.info(j, "%s is already online (as %s); /disconnect first to connect again", j, c.JID)
			return nil
		}
		e.Connect()
		return nil
	}
	if a.looking[j] {
		return nil // its password lookup is under way
	}
	acct, ok := a.opts.Config.Find(j)
	if !ok {
		// An account not in the config: use it for this run, found by DNS.
		if _, err := jid.Parse(j); err != nil || !strings.Contains(j, "@") {
			return fmt.Errorf("connect %q: not an account JID (user@domain)", j)
		}
		added := account.Account{JID: j}
		added.SetAutoConnect(false)
		a.opts.Config.Upsert(added)
		acct, _ = a.opts.Config.Find(j)
	}
	a.state.Account(j)
	if a.current == "" {
		a.current = j
	}
	if pw, ok := a.knownPassword(j); ok {
		return a.start(*acct, pw)
	}
	a.looking[j] = true
	secrets, found := a.opts.Secrets, *acct
	a.work("", func(ctx context.Context) result {
		pw, source, err := secrets.Password(ctx, found)
		return func() { a.passwordFound(found, pw, source, err) }
	})
	return nil
}

// knownPassword returns a password already known for j: asked earlier in
// this run, or given up front.
func (a *App) knownPassword(j string) (string, bool) {
	if pw, ok := a.passwords[j]; ok {
		return pw, true
	}
	pw, ok := a.opts.Passwords[j]
	return pw, ok
}

// passwordFound starts the engine once the password sources have answered.
// A lookup that failed ends the first connection attempt like a failed
// login.
func (a *App) passwordFound(acct account.Account, pw, source string, err error) {
	j := bare(acct.JID)
	delete(a.looking, j)
	if a.quit {
		return // answered after /quit: nothing to connect
	}
	if err == nil {
		a.notePrompted(j, source)
		a.info(j, "password for %s from %s", j, source)
		if source != account.SourceKeyring && source != account.SourcePasswordCommand && !contains(a.savePending, j) && a.opts.Secrets.CanSave() {
			a.info(j, "tip: start with --save-password to keep it in the OS keyring (service %q)", account.KeyringService)
		}
		err = a.start(acct, pw)
	}
	if err != nil {
		a.errorf(j, "connect", fmt.Errorf("connect %s: %w", j, err))
		if !a.ready {
			a.code = ExitLogin
		}
		a.setReady()
	}
}

// start creates the account's engine with its password and connects it.
func (a *App) start(acct account.Account, pw string) error {
	j := bare(acct.JID)
	e, err := a.newEngine(acct, pw)
	if err != nil {
		return fmt.Errorf("connect %s: %w", j, err)
	}
	a.passwords[j] = pw
	a.engines[j] = e
	e.Connect()
	return nil
}

func (a *App) newEngine(acct account.Account, pw string) (Engine, error) {
	addr, err := jid.Parse(acct.JID)
	if err != nil {
		return nil, err
	}
	resource := acct.Resource
	if resource == "" {
		resource = "chat." + randomSuffix() // distinct per run, so two clients never kick each other
	}
	if addr, err = addr.WithResource(resource); err != nil {
		return nil, fmt.Errorf("resource %q: %w", resource, err)
	}
	store, account := a.opts.Store, addr.Bare().String()
	cfg := client.Config{
		JID: addr, Password: pw, Server: acct.Server, DirectTLS: acct.DirectTLS,
		TLS:      client.TLSPolicy{CAFile: acct.TLSCA, Pins: acct.Pins},
		Priority: acct.Priority,
		RosterVersion: func() string { // asked on the engine's goroutine
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			ver, _, err := store.LoadRoster(ctx, account)
			if err != nil {
				return ""
			}
			return ver
		},
		PingInterval: a.opts.Config.Options.PingInterval.Duration,
		PingTimeout:  a.opts.Config.Options.PingTimeout.Duration,
	}
	a.tuneProtocol(&cfg)
	if a.opts.Tune != nil {
		a.opts.Tune(&cfg)
	}
	return a.opts.NewEngine(cfg, a.events, a.gone)
}

// Notice shows a line from a helper (the password sources) on the view.
// Safe from any goroutine.
func (a *App) Notice(text string) {
	a.post(event.Info{Header: event.At(""), Text: text})
}

// SavePassword asks that, after the next good login of account j, its
// password be stored in the OS keyring (--save-password).
func (a *App) SavePassword(j string) { a.savePending = append(a.savePending, bare(j)) }

func (a *App) savePasswordIfAsked(j string) {
	for i, p := range a.savePending {
		if p != j {
			continue
		}
		a.savePending = append(a.savePending[:i], a.savePending[i+1:]...)
		acct, ok := a.opts.Config.Find(j)
		if !ok {
			return
		}
		secrets, saved, pw := a.opts.Secrets, *acct, a.passwords[j]
		a.work("", func(context.Context) result { // a keyring call may take seconds
			if err := secrets.Save(saved, pw); err != nil {
				return func() { a.errorf(j, "save password", err) }
			}
			return func() { a.info(j, "password for %s saved in the OS keyring (service %q)", j, account.KeyringService) }
		})
		return
	}
}

// engine returns the engine of the account named, or of the current one.
func (a *App) engine(j string) (Engine, error) {
	if j == "" {
		j = a.current
	}
	if j == "" {
		return nil, fmt.Errorf("no account: add one to the config or run /connect JID")
	}
	e, ok := a.engines[j]
	if !ok {
		return nil, fmt.Errorf("account %s is not connected (try /connect %s)", j, j)
	}
	return e, nil
}

func (a *App) disconnect(j string) error {
	e, err := a.engine(j)
	if err != nil {
		return err
	}
	e.Disconnect()
	return nil
}

// forget drops an account's engine and cached password after a fatal
// login error, so that the next /connect asks the password sources again.
func (a *App) forget(j string) {
	delete(a.engines, j)
	delete(a.passwords, j)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func bare(s string) string {
	j, err := jid.Parse(s)
	if err != nil {
		return strings.ToLower(s)
	}
	return j.Bare().String()
}

func randomSuffix() string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
