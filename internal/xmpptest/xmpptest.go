// Package xmpptest holds what the tests of the engine (package client) and
// of the embedded server (package server) share to drive real engines:
// waiting on an engine's event channel for the event a test expects, the
// usual event matchers, and stopping an engine when its test ends.
//
// It is for tests only. It must not import chat/client or chat/server
// (their tests import it), and it never starts a server or an engine
// itself.
package xmpptest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"chat/event"
)

// Events is one engine's event channel as a test waits on it.
type Events struct {
	T       testing.TB
	C       <-chan event.Event
	Name    string        // the engine's bare JID, for failure messages
	Timeout time.Duration // how long Expect waits; it only guards against a hang
	// More, when not nil, adds to a failure message (a server log).
	More func() string
}

// Expect waits for the first event match accepts, dropping the others,
// and fails the test after Timeout with the events seen meanwhile.
func (e Events) Expect(what string, match func(event.Event) bool) event.Event {
	e.T.Helper()
	var seen []string
	timeout := time.After(e.Timeout)
	for {
		select {
		case ev := <-e.C:
			if match(ev) {
				return ev
			}
			seen = append(seen, fmt.Sprintf("%s %+v", ev.Kind(), ev))
		case <-timeout:
			more := ""
			if e.More != nil {
				more = "\n" + e.More()
			}
			e.T.Fatalf("%s: timed out waiting for %s; saw %d events:\n%s%s",
				e.Name, what, len(seen), strings.Join(seen, "\n"), more)
			return nil
		}
	}
}

// Online calls connect and waits until the engine is online, failing the
// test at once when the login fails for good.
func (e Events) Online(connect func()) event.ConnState {
	e.T.Helper()
	connect()
	return e.Expect("online", func(ev event.Event) bool {
		c, ok := ev.(event.ConnState)
		if ok && c.State == event.Offline && c.Fatal {
			e.T.Fatalf("%s: login failed: %s", e.Name, c.Err)
		}
		return ok && c.State == event.Online
	}).(event.ConnState)
}

// StopAtCleanup disconnects an engine when t ends, draining its events
// until it has stopped so that it never blocks on a full channel.
func StopAtCleanup(t testing.TB, name string, disconnect func() <-chan struct{}, events <-chan event.Event) {
	t.Cleanup(func() {
		done := disconnect()
		timeout := time.After(10 * time.Second)
		for {
			select {
			case <-done:
				return
			case <-events:
			case <-timeout:
				t.Errorf("engine %s did not stop", name)
				return
			}
		}
	})
}
