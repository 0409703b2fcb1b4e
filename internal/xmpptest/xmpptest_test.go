package xmpptest

import (
	"strings"
	"testing"
	"time"

	"chat/event"
	"chat/internal/servertest"
)

func TestExpectSkipsToTheMatch(t *testing.T) {
	ch := make(chan event.Event, 3)
	ch <- event.ConnState{State: event.Connecting}
	ch <- event.Message{Peer: "a@x", Body: "no"}
	ch <- event.Message{Peer: "a@x", Body: "yes"}
	e := Events{T: t, C: ch, Name: "me@x", Timeout: 10 * time.Second}
	if m := e.Expect("yes", IsMessage("a@x", "yes")).(event.Message); m.Body != "yes" {
		t.Errorf("Expect = %+v", m)
	}
}

func TestExpectTimesOutListingWhatItSaw(t *testing.T) {
	got := servertest.Observe(t, func(tb testing.TB) {
		e := Events{T: tb, C: make(chan event.Event), Name: "me@x", More: func() string { return "server log" }}
		e.Expect("online", IsConn(event.Online))
	})
	if !got.Failed || !strings.Contains(got.Log, "waiting for online; saw 0 events") || !strings.Contains(got.Log, "server log") {
		t.Errorf("Expect without a match: %+v", got)
	}
}

func TestOnlineFailsOnFatalLogin(t *testing.T) {
	ch := make(chan event.Event, 1)
	ch <- event.ConnState{State: event.Offline, Fatal: true, Err: "wrong JID or password"}
	got := servertest.Observe(t, func(tb testing.TB) {
		Events{T: tb, C: ch, Name: "me@x", Timeout: 10 * time.Second}.Online(func() {})
	})
	if !got.Failed || !strings.Contains(got.Log, "wrong JID or password") {
		t.Errorf("Online after a fatal login error: %+v", got)
	}
}

func TestStopAtCleanupDrains(t *testing.T) {
	ch := make(chan event.Event)
	done := make(chan struct{})
	t.Run("inner", func(t *testing.T) {
		StopAtCleanup(t, "me@x", func() <-chan struct{} {
			go func() { ch <- event.ConnState{State: event.Offline}; close(done) }()
			return done
		}, ch)
	})
	select {
	case <-done:
	default:
		t.Error("cleanup returned before the engine stopped")
	}
}
