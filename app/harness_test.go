package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"chat/account"
	"chat/client"
	"chat/event"
	"chat/history"
	"chat/internal/prosodytest"
)

var srv *prosodytest.Server

func TestMain(m *testing.M) {
	os.Exit(prosodytest.Main(m, prosodytest.Options{}, &srv))
}

// recorder is a View that hands every event to the test.
type recorder struct {
	mu     sync.Mutex
	all    []event.Event
	events chan event.Event
}

func newRecorder() *recorder { return &recorder{events: make(chan event.Event, 4096)} }

func (r *recorder) Show(ev event.Event) {
	if c, ok := ev.(loopCall); ok {
		c.f() // a test's code run on the loop (protocol_test.go)
	}
	r.mu.Lock()
	r.all = append(r.all, ev)
	r.mu.Unlock()
	r.events <- ev
}

func (r *recorder) Flush() {}

// expect waits for an event that match accepts (soju's expectMessage).
func (r *recorder) expect(t *testing.T, what string, match func(event.Event) bool) event.Event {
	t.Helper()
	var seen []string
	deadline := time.After(15 * time.Second)
	for {
		select {
		case ev := <-r.events:
			if match(ev) {
				return ev
			}
			seen = append(seen, fmt.Sprintf("%s %+v", ev.Kind(), ev))
		case <-deadline:
			t.Fatalf("timed out waiting for %s; saw:\n%s", what, strings.Join(seen, "\n"))
			return nil
		}
	}
}

// fixture is a running App with its store and view.
type fixture struct {
	app   *App
	view  *recorder
	store *history.Store
	code  chan int
}

type user struct{ jid, pass string }

func newUser(t *testing.T) user {
	t.Helper()
	if srv == nil {
		t.Skip("Prosody could not be started (see TestMain output)")
	}
	j, p := srv.NewUser(t)
	return user{j, p}
}

// start runs an App whose config holds users (the first autoconnects);
// CHAT_PASSWORD-style lookups are served from the users' passwords.
func start(t *testing.T, users ...user) *fixture {
	t.Helper()
	store, err := history.Open(filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return startWith(t, store, users...)
}

// startWith is start with a given history store (to run the client twice
// on the same data).
func startWith(t *testing.T, store *history.Store, users ...user) *fixture {
	t.Helper()
	cfg := &account.Config{Options: account.DefaultOptions()}
	pw := map[string]string{}
	for i, u := range users {
		a := account.Account{JID: u.jid, Server: srv.Addr(), TLSCA: srv.CAFile()}
		a.SetAutoConnect(i == 0)
		cfg.Accounts = append(cfg.Accounts, a)
		pw[u.jid] = u.pass
	}
	secrets := &account.Secrets{
		Keyring: noKeyring{},
		Getenv:  func(string) string { return "" },
		Prompt:  nil,
	}
	f := &fixture{view: newRecorder(), store: store, code: make(chan int, 1)}
	secrets.RunCommand = func(_ context.Context, cmd string) (string, error) { return pw[cmd], nil }
	for i := range cfg.Accounts {
		cfg.Accounts[i].PasswordCommand = cfg.Accounts[i].JID
	}
	var err error
	f.app, err = New(Options{Config: cfg, Store: store, View: f.view, Secrets: secrets,
		Tune: func(c *client.Config) {
			c.MinBackoff, c.MaxBackoff = 50*time.Millisecond, 500*time.Millisecond
			if c.Server == "" { // an account added at run time: point it at the test server
				c.Server, c.TLS.CAFile = srv.Addr(), srv.CAFile()
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { f.code <- f.app.Run(ctx, true) }()
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

// quit sends /quit and returns the exit code.
func (f *fixture) quit(t *testing.T) int {
	t.Helper()
	f.app.Queue("/quit")
	select {
	case code := <-f.code:
		f.code <- code // for Cleanup
		return code
	case <-time.After(15 * time.Second):
		t.Fatal("app did not quit")
		return -1
	}
}

type noKeyring struct{}

func (noKeyring) Get(string, string) (string, error) { return "", account.ErrNotStored }
func (noKeyring) Set(string, string, string) error   { return account.ErrNoKeyring }
func (noKeyring) Delete(string, string) error        { return account.ErrNotStored }

func isInfo(contains string) func(event.Event) bool {
	return func(ev event.Event) bool {
		i, ok := ev.(event.Info)
		return ok && strings.Contains(i.Text, contains)
	}
}

func isConn(account string, state event.State) func(event.Event) bool {
	return func(ev event.Event) bool {
		c, ok := ev.(event.ConnState)
		return ok && c.Account == account && c.State == state
	}
}

func isRoster(account string) func(event.Event) bool {
	return func(ev event.Event) bool {
		r, ok := ev.(event.Roster)
		return ok && r.Account == account
	}
}
