package app

import (
	"bytes"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"chat/event"
)

// TestNoGoroutineOutlivesRun starts an App with two engines online, has
// them talk, quits, and checks that every goroutine started meanwhile has
// ended (within a bounded wait: a stream's last goroutines end just after
// Run returns).
func TestNoGoroutineOutlivesRun(t *testing.T) {
	alice, bob := newUser(t), newUser(t)
	before := runtime.NumGoroutine()
	f := start(t, alice, bob)
	f.view.expect(t, "alice online", isConn(alice.jid, event.Online))
	f.app.Queue("/connect " + bob.jid)
	f.view.expect(t, "bob online", isConn(bob.jid, event.Online))
	f.app.Queue("/msg " + bob.jid + " hello me")
	f.view.expect(t, "the message at bob", func(ev event.Event) bool {
		m, ok := ev.(event.Message)
		return ok && m.Account == bob.jid && !m.Outgoing && m.Body == "hello me"
	})
	f.app.Queue("/history " + bob.jid)
	f.view.expect(t, "a history query (a worker)", isInfo("1 message with "+bob.jid))
	if code := f.quit(t); code != ExitOK {
		t.Fatalf("exit code %d", code)
	}
	// The history store is the test's, not the App's: its connection
	// opener lives until it is closed (Close is idempotent for Cleanup).
	if err := f.store.Close(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			var b bytes.Buffer
			pprof.Lookup("goroutine").WriteTo(&b, 1)
			t.Fatalf("%d goroutines before, %d after Run returned:\n%s", before, runtime.NumGoroutine(), b.String())
		}
		time.Sleep(10 * time.Millisecond) // polling for goroutines to end; nothing is timed
	}
}

// TestQueueAfterRunDoesNotBlock: a front end that queues lines after the
// loop has ended, or a reader held back by QueueWait, is not stuck.
func TestQueueAfterRunDoesNotBlock(t *testing.T) {
	f := offline(t, nil)
	f.quit(t)
	for range 10 * inboxHigh {
		f.app.Queue("/roster")
	}
	if f.app.QueueWait("/roster") {
		t.Error("QueueWait took a line after Run returned")
	}
}
