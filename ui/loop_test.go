package ui

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"chat/account"
	"chat/app"
	"chat/client"
	"chat/event"
	"chat/history"

	"github.com/gdamore/tcell/v2"
)

// TestSlowPasswordCommandKeepsTheScreenLive: while one account's
// password_command blocks (reading a fifo nobody writes yet), the loop
// still applies another account's events and draws them, and answers
// typed commands; once the command prints the password, that account's
// engine is made with it.
func TestSlowPasswordCommandKeepsTheScreenLive(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "password")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	released := false
	release := func() { // the password_command's read returns
		if released {
			return
		}
		released = true
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("from the fifo\n")
		f.Close()
	}
	t.Cleanup(release) // never leave the command blocked

	store, err := history.Open(filepath.Join(dir, "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	sim := tcell.NewSimulationScreen("UTF-8")
	u, err := New(Options{Screen: sim, Theme: "dark", ThemeDir: dir, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	const other = "other@example.org"
	var mu sync.Mutex
	engines := map[string]*fakeEngine{}
	passwords := map[string]string{}
	made := make(chan string, 2)
	newEngine := func(cfg client.Config, out chan<- event.Event, gone <-chan struct{}) (app.Engine, error) {
		j := cfg.JID.Bare().String()
		mu.Lock()
		engines[j], passwords[j] = &fakeEngine{out: out, gone: gone}, cfg.Password
		mu.Unlock()
		made <- j
		return engines[j], nil
	}
	slow := account.Account{JID: me, PasswordCommand: "cat " + fifo}
	cfg := &account.Config{Options: account.DefaultOptions(), Accounts: []account.Account{slow, {JID: other}}}
	a, err := app.New(app.Options{Config: cfg, Store: store, View: u, NewEngine: newEngine, Interactive: true,
		Commands: u.Commands(), HelpTopics: u.HelpTopics(), Passwords: map[string]string{other: "known"},
		Secrets: &account.Secrets{Keyring: noKeyring{}, Getenv: func(string) string { return "" }}})
	if err != nil {
		t.Fatal(err)
	}
	u.Attach(a)
	ctx, cancel := context.WithCancel(context.Background())
	code, exited := 0, make(chan struct{})
	go func() {
		defer close(exited)
		code = a.Run(ctx, true)
		u.Stop()
	}()
	ran := make(chan error, 1)
	go func() { ran <- u.Run() }()
	t.Cleanup(func() {
		cancel()
		<-exited
		<-ran
	})
	r := &rig{t: t, sim: sim, u: u}
	r.resize(100, 30)

	if j := <-made; j != other {
		t.Fatalf("first engine made for %s, want %s (its password is known)", j, other)
	}
	mu.Lock()
	eng := engines[other]
	mu.Unlock()
	// The password_command is still blocked: events are applied and drawn…
	eng.emit(event.ConnState{Header: event.At(other), State: event.Online, JID: other + "/ui"})
	eng.emit(event.Message{Header: event.At(other), From: "bob@example.org/phone", To: other, Peer: "bob@example.org",
		Type: "chat", Body: "drawn while a password is looked up", Stamp: time.Now()})
	r.waitFor("act: 2")
	// … and typed commands answered.
	r.typ("/win 2")
	r.enter()
	r.waitFor("drawn while a password is looked up")
	r.typ("/help keys")
	r.enter()
	r.waitFor("next_buffer")
	select {
	case j := <-made:
		t.Fatalf("an engine for %s was made before its password_command answered", j)
	default:
	}

	release()
	if j := <-made; j != me {
		t.Fatalf("engine made for %s, want %s", j, me)
	}
	mu.Lock()
	got := passwords[me]
	mu.Unlock()
	if got != "from the fifo" {
		t.Errorf("engine made with password %q", got)
	}
	r.typ("/quit")
	r.enter()
	<-exited
	if code != app.ExitOK {
		t.Errorf("exit code %d", code)
	}
}
