package app

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"chat/account"
	"chat/client"
	"chat/event"
	"chat/history"
)

// TestWrongTypedPasswordAskedAgain: in an interactive session a refused
// password typed at the prompt is asked for again, once, and the second
// answer logs in.
func TestWrongTypedPasswordAskedAgain(t *testing.T) {
	alice := newUser(t)
	store, err := history.Open(filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	var mu sync.Mutex
	var prompts []string
	answers := []string{"wrong-" + alice.pass, alice.pass}
	secrets := &account.Secrets{Keyring: noKeyring{}, Getenv: func(string) string { return "" },
		Prompt: func(p string) (string, error) {
			mu.Lock()
			defer mu.Unlock()
			prompts = append(prompts, p)
			if len(answers) == 0 {
				return "", nil
			}
			a := answers[0]
			answers = answers[1:]
			return a, nil
		}}
	cfg := &account.Config{Options: account.DefaultOptions(), Accounts: []account.Account{{JID: alice.jid, Server: srv.Addr(), TLSCA: srv.CAFile()}}}
	view := newRecorder()
	a, err := New(Options{Config: cfg, Store: store, View: view, Secrets: secrets, Interactive: true,
		Tune: func(c *client.Config) { c.MinBackoff, c.MaxBackoff = 50*time.Millisecond, 500*time.Millisecond }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- a.Run(ctx, true) }()
	t.Cleanup(func() { cancel(); <-done })
	view.expect(t, "the refusal", func(ev event.Event) bool {
		c, ok := ev.(event.ConnState)
		return ok && c.Fatal
	})
	view.expect(t, "online after the second answer", isConn(alice.jid, event.Online))
	mu.Lock()
	defer mu.Unlock()
	if len(prompts) != 2 {
		t.Errorf("asked %d times, want 2: %q", len(prompts), prompts)
	}
}
