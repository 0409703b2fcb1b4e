package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chat/account"
	"chat/event"
	"chat/history"
)

// offline runs an App with one account that never connects, with extra
// options applied.
func offline(t *testing.T, tune func(*Options)) *fixture {
	t.Helper()
	store, err := history.Open(filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	cfg := &account.Config{Options: account.DefaultOptions(), Accounts: []account.Account{{JID: "me@example.org"}}}
	f := &fixture{view: newRecorder(), store: store, code: make(chan int, 1)}
	opts := Options{Config: cfg, Store: store, View: f.view,
		Secrets: &account.Secrets{Keyring: noKeyring{}, Getenv: func(string) string { return "" }}}
	if tune != nil {
		tune(&opts)
	}
	f.app, err = New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { f.code <- f.app.Run(ctx, false) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-f.code:
		case <-time.After(15 * time.Second):
			t.Error("app did not stop")
		}
	})
	return f
}

func TestFrontEndCommandsReplaceBuiltinsAndHelpTopics(t *testing.T) {
	var got []string
	f := offline(t, func(o *Options) {
		o.Commands = []cmd{
			{Name: "roster", MaxArgs: 1, Usage: "[show|hide]", Help: "the pane", Run: func(a *App, args []string) error {
				got = append(got, strings.Join(args, ","))
				if len(args) == 0 {
					a.ShowRoster()
				}
				return nil
			}},
			{Name: "win", MinArgs: 1, MaxArgs: 1, Usage: "N", Help: "switch", Run: func(a *App, args []string) error {
				a.SetPeer(args[0])
				a.info("", "peer %s current %s", a.Peer(), a.Current())
				return nil
			}},
		}
		o.HelpTopics = map[string]func() string{"keys": func() string { return "Alt+1 buffer 1" }}
	})
	f.app.Queue("/roster hide")
	f.app.Queue("/roster")
	f.view.expect(t, "built-in listing through ShowRoster", isInfo("roster of me@example.org (0 contacts)"))
	f.app.Queue("/win Bob@Example.org/phone")
	f.view.expect(t, "peer set", isInfo("peer bob@example.org current me@example.org"))
	f.app.Queue("/help keys")
	f.view.expect(t, "help topic", isInfo("Alt+1 buffer 1"))
	f.app.Queue("/help")
	f.view.expect(t, "summary lists the front end's commands and topics", func(ev event.Event) bool {
		i, ok := ev.(event.Info)
		return ok && strings.Contains(i.Text, "/win N") && strings.Contains(i.Text, "More help: /help keys") &&
			strings.Contains(i.Text, "/roster [show|hide]")
	})
	f.quit(t)
	if strings.Join(got, ";") != "hide;" {
		t.Errorf("roster calls = %q, want the replacement called twice", got)
	}
}

func TestHistoryPagesThroughTheWriter(t *testing.T) {
	base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	done := make(chan [2][]history.Message, 1)
	page := func(a *App, _ []string) error { // History is started on the loop: call it from a command
		for i := range 5 {
			a.writer.Append(history.Message{Account: "me@example.org", Peer: "bob@example.org", Stamp: base.Add(time.Duration(i) * time.Minute),
				From: "bob@example.org/x", Type: "chat", Body: string(rune('a' + i))})
		}
		a.History("me@example.org", "bob@example.org", 0, 2, func(last []history.Message, err error) {
			if err != nil || len(last) != 2 {
				t.Errorf("last = %v, %v", last, err)
				done <- [2][]history.Message{}
				return
			}
			a.History("me@example.org", "Bob@example.org", last[0].ID, 10, func(before []history.Message, err error) {
				if err != nil {
					t.Error(err)
				}
				done <- [2][]history.Message{last, before}
			})
		})
		return nil
	}
	f := offline(t, func(o *Options) { o.Commands = []cmd{{Name: "page", Run: page}} })
	f.app.Queue("/page")
	pages := <-done
	if body(pages[0]) != "de" || body(pages[1]) != "abc" {
		t.Errorf("pages = %q, %q; want de, abc", body(pages[0]), body(pages[1]))
	}
}

func body(ms []history.Message) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(m.Body)
	}
	return b.String()
}
