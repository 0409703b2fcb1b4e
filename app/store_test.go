package app

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"chat/client"
	"chat/event"
)

// holdWriteLock stalls history's disk: another connection takes SQLite's
// write lock until release is called.
func holdWriteLock(t *testing.T, path string) (release func()) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
				t.Error(err)
			}
			conn.Close()
			db.Close()
		})
	}
	t.Cleanup(release)
	return release
}

// TestSlowDiskHoldsBackTheEnginesNotTheLoop: while history's disk stalls,
// messages past the writer's bound wait in a short backlog and the loop
// stops taking engine events, so the engine's sends block (back-pressure
// towards the server) while commands still run; once the disk is back,
// every message is stored, in order, none twice.
func TestSlowDiskHoldsBackTheEnginesNotTheLoop(t *testing.T) {
	const me, bob, n = "me@example.org", "bob@example.org", 1000
	made := make(chan *stubEngine, 1)
	grew := make(chan struct{})
	var grewOnce sync.Once
	peak := 0 // written on the loop; read after it has stopped
	f := offline(t, func(o *Options) {
		o.Passwords = map[string]string{me: "x"}
		o.HistoryQueueBytes = 1 // the writer takes one message at a time
		o.NewEngine = func(_ client.Config, out chan<- event.Event, gone <-chan struct{}) (Engine, error) {
			e := &stubEngine{out: out, gone: gone}
			made <- e
			return e, nil
		}
		o.backlogHook = func(k int) {
			peak = max(peak, k)
			grewOnce.Do(func() { close(grew) })
		}
	})
	release := holdWriteLock(t, f.store.Path())
	f.app.Queue("/connect")
	e := <-made
	e.emit(event.ConnState{Header: event.At(me), State: event.Online, JID: me + "/x"})
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		for i := range n {
			e.emit(event.Message{Header: event.At(me), From: bob + "/phone", Peer: bob, Type: "chat", Body: fmt.Sprintf("m%04d", i)})
		}
	}()
	select {
	case <-grew:
	case <-time.After(15 * time.Second):
		t.Fatal("no message waited for the stalled disk")
	}
	// The loop stops taking engine events until the disk has room, so the
	// engine cannot have handed over all of its messages; commands still run.
	f.app.Queue("/account")
	f.view.expect(t, "account list while the disk stalls", isInfo(me+"  online"))
	select {
	case <-sent:
		t.Fatal("the loop took every engine event while the disk was stalled")
	default:
	}
	release()
	select {
	case <-sent:
	case <-time.After(30 * time.Second):
		t.Fatal("the engine's sends stayed blocked after the disk came back")
	}
	last := fmt.Sprintf("m%04d", n-1)
	f.view.expect(t, "the last message applied", func(ev event.Event) bool {
		m, ok := ev.(event.Message)
		return ok && m.Body == last
	})
	if code := f.quit(t); code != ExitOK {
		t.Fatalf("exit code %d", code)
	}
	if peak > 16 {
		t.Errorf("backlog grew to %d messages, want it short (the loop stops taking events)", peak)
	}
	got, err := f.store.Last(context.Background(), me, bob, n+10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("%d messages stored, want %d", len(got), n)
	}
	for i, m := range got {
		if want := fmt.Sprintf("m%04d", i); m.Body != want {
			t.Fatalf("message %d is %q, want %q (order lost)", i, m.Body, want)
		}
	}
}
