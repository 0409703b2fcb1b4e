package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"chat/event"
	"chat/history"
)

func TestChatThroughCommandsWritesHistory(t *testing.T) {
	alice, bob := newUser(t), newUser(t)
	fa, fb := start(t, alice), start(t, bob)
	fa.view.expect(t, "alice roster", isRoster(alice.jid))
	fb.view.expect(t, "bob roster", isRoster(bob.jid))

	fa.app.Queue("/add " + bob.jid + ` "Bob B" Friends`)
	fa.view.expect(t, "roster push", func(ev event.Event) bool {
		p, ok := ev.(event.RosterPush)
		return ok && p.Item.JID == bob.jid && p.Item.Name == "Bob B"
	})
	fb.view.expect(t, "subscription request", func(ev event.Event) bool {
		s, ok := ev.(event.Subscription)
		return ok && s.From == alice.jid && s.Type == "subscribe"
	})
	fb.app.Queue("/auth allow " + alice.jid)
	fa.view.expect(t, "bob's presence", func(ev event.Event) bool {
		p, ok := ev.(event.Presence)
		return ok && strings.HasPrefix(p.From, bob.jid+"/") && p.Available
	})

	fa.app.Queue("/msg " + bob.jid + " hello from a command")
	fb.view.expect(t, "message", func(ev event.Event) bool {
		m, ok := ev.(event.Message)
		return ok && m.Body == "hello from a command" && !m.Outgoing
	})
	fb.app.Queue("/msg " + alice.jid)
	fb.app.Queue("a plain line goes to the open conversation")
	fa.view.expect(t, "reply", func(ev event.Event) bool {
		m, ok := ev.(event.Message)
		return ok && m.Body == "a plain line goes to the open conversation"
	})

	fa.app.Queue("/roster")
	fa.view.expect(t, "/roster output", isInfo(bob.jid+" (Bob B) [to]"))
	fa.app.Queue("/history " + bob.jid + " 5")
	fa.view.expect(t, "/history output", isInfo("<me> hello from a command"))
	fa.app.Queue("/search plain line")
	fa.view.expect(t, "/search output", isInfo("1 message matches"))
	fa.app.Queue("/info")
	fa.view.expect(t, "/info output", isInfo("SASL SCRAM-SHA-"))

	if code := fa.quit(t); code != ExitOK {
		t.Errorf("exit code %d, want %d", code, ExitOK)
	}
	msgs, err := fa.store.Last(context.Background(), alice.jid, bob.jid, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || !msgs[0].Outgoing || msgs[0].Body != "hello from a command" || msgs[1].Outgoing {
		t.Fatalf("alice's history with bob = %+v, want her message then bob's", msgs)
	}
	if msgs[0].OriginID == "" {
		t.Error("outgoing message stored without origin-id")
	}
}

func TestTwoAccountsInOneClient(t *testing.T) {
	alice, bob := newUser(t), newUser(t)
	f := start(t, alice, bob)
	f.view.expect(t, "alice roster", isRoster(alice.jid))
	f.app.Queue("/connect " + bob.jid)
	f.view.expect(t, "bob roster", isRoster(bob.jid))
	f.app.Queue("/account " + bob.jid)
	f.app.Queue("/msg " + alice.jid + " from my other account")
	got := f.view.expect(t, "incoming on alice", func(ev event.Event) bool {
		m, ok := ev.(event.Message)
		return ok && !m.Outgoing && m.Body == "from my other account"
	}).(event.Message)
	if got.Account != alice.jid || got.Peer != bob.jid {
		t.Errorf("message account=%s peer=%s, want account %s peer %s", got.Account, got.Peer, alice.jid, bob.jid)
	}
	f.app.Queue("/disconnect " + bob.jid)
	f.view.expect(t, "bob offline", isConn(bob.jid, event.Offline))
	f.app.Queue("/account")
	f.view.expect(t, "account list", isInfo(alice.jid+"  online"))
}

func TestCommandErrorsAreOneLine(t *testing.T) {
	alice := newUser(t)
	f := start(t, alice)
	f.view.expect(t, "roster", isRoster(alice.jid))
	for line, want := range map[string]string{
		"/nosuch":            "unknown command /nosuch",
		"/msg":               "usage: /msg JID [TEXT]",
		"/status sleepy":     "unknown status",
		"/auth maybe x@y.z":  "unknown answer",
		"/history bob@x.y 0": "positive number",
		"no conversation":    "no conversation open",
		"/msg nojid hi":      "is not a JID",
	} {
		f.app.Queue(line)
		e := f.view.expect(t, "error for "+line, func(ev event.Event) bool { _, ok := ev.(event.Error); return ok }).(event.Error)
		if !strings.Contains(e.Text, want) || strings.Contains(e.Text, "\n") {
			t.Errorf("%q: error %q, want one line containing %q", line, e.Text, want)
		}
	}
}

func TestWrongPasswordExitCode(t *testing.T) {
	alice := newUser(t)
	alice.pass = "wrong"
	f := start(t, alice)
	f.view.expect(t, "fatal", func(ev event.Event) bool {
		c, ok := ev.(event.ConnState)
		return ok && c.Fatal
	})
	if code := f.quit(t); code != ExitLogin {
		t.Errorf("exit code %d, want %d", code, ExitLogin)
	}
}

func TestConnectAccountNotInConfigAndRetryAfterWrongPassword(t *testing.T) {
	alice, bob := newUser(t), newUser(t)
	f := start(t, alice)
	f.view.expect(t, "alice roster", isRoster(alice.jid))

	env := "wrong"
	f.app.opts.Secrets.Getenv = func(k string) string {
		if k == "CHAT_PASSWORD" {
			return env
		}
		return ""
	}
	f.app.Queue("/connect " + bob.jid)
	f.view.expect(t, "bob refused", func(ev event.Event) bool {
		c, ok := ev.(event.ConnState)
		return ok && c.Account == bob.jid && c.Fatal
	})
	env = bob.pass // read on the loop only at the next /connect, after this line
	f.app.Queue("/connect " + bob.jid)
	f.view.expect(t, "bob online with the new password", isConn(bob.jid, event.Online))
}

func TestRosterVersionKeptInSQLite(t *testing.T) {
	alice, bob := newUser(t), newUser(t)
	store, err := history.Open(filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	first := startWith(t, store, alice)
	first.view.expect(t, "roster", isRoster(alice.jid))
	first.app.Queue("/add " + bob.jid + " Bobby")
	first.view.expect(t, "push with our pending request", func(ev event.Event) bool {
		p, ok := ev.(event.RosterPush)
		return ok && p.Item.JID == bob.jid && p.Item.Ask == "subscribe"
	})
	first.quit(t)

	second := startWith(t, store, alice)
	r := second.view.expect(t, "roster", isRoster(alice.jid)).(event.Roster)
	if !r.Unchanged {
		t.Errorf("second login fetched the whole roster (%d items); want unchanged against the cached version", len(r.Items))
	}
	second.app.Queue("/roster")
	second.view.expect(t, "cached contact listed", isInfo(bob.jid+" (Bobby)"))
}
