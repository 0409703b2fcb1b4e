package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chat/account"
	"chat/app"
	"chat/history"

	"github.com/gdamore/tcell/v2"
)

type noKeyring struct{}

func (noKeyring) Get(string, string) (string, error) { return "", account.ErrNotStored }
func (noKeyring) Set(string, string, string) error   { return account.ErrNoKeyring }
func (noKeyring) Delete(string, string) error        { return account.ErrNotStored }

// TestWiredToTheRealApp runs the UI with the real loop (no server: the
// account stays offline): its commands, help topics, history and the
// conversation plain lines go to.
func TestWiredToTheRealApp(t *testing.T) {
	store, err := history.Open(filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	for i, body := range []string{"stored one", "/me stored two"} {
		if _, err := store.Append(ctx, history.Message{Account: me, Peer: "bob@example.org", From: "bob@example.org/x", Type: "chat",
			Stamp: time.Now().Add(time.Duration(i-10) * time.Minute), Body: body}); err != nil {
			t.Fatal(err)
		}
	}
	sim := tcell.NewSimulationScreen("UTF-8")
	u, err := New(Options{Screen: sim, Theme: "dark", Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	cfg := &account.Config{Options: account.DefaultOptions(), Accounts: []account.Account{{JID: me}}}
	a, err := app.New(app.Options{Config: cfg, Store: store, View: u, Commands: u.Commands(), HelpTopics: u.HelpTopics(),
		Secrets: &account.Secrets{Keyring: noKeyring{}, Getenv: func(string) string { return "" }}})
	if err != nil {
		t.Fatal(err)
	}
	u.Attach(a)
	code := make(chan int, 1)
	go func() { code <- a.Run(ctx, false); u.Stop() }()
	ran := make(chan error, 1)
	go func() { ran <- u.Run() }()
	r := &rig{t: t, sim: sim, u: u}
	r.resize(100, 30)

	for _, c := range []struct{ line, want string }{
		{"/help keys", "next_buffer"},
		{"/help roster", "/roster [show|hide|toggle|filter TEXT|by presence|group]"},
		{"/roster", "roster of me@example.org (0 contacts)"},
		{"/win bob@example.org", "* bob stored two"},
		{"hi bob", "account me@example.org is not connected"},
	} {
		r.typ(c.line)
		r.enter()
		r.waitFor(c.want)
	}
	rows := r.waitTitle("2 bob@example.org")
	if s := strings.Join(rows, "\n"); !strings.Contains(s, "<bob> stored one") {
		t.Errorf("history not loaded into the buffer:\n%s", s)
	}
	r.typ("/quit")
	r.enter()
	select {
	case c := <-code:
		if c != app.ExitOK {
			t.Errorf("exit code %d", c)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the app did not quit")
	}
	if err := <-ran; err != nil {
		t.Errorf("Run: %v", err)
	}
}
