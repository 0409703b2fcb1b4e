package server

import (
	"context"
	"fmt"
	"testing"
	"time"

	"chat/event"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func testThrottle(base, max time.Duration) (*loginThrottle, *fakeClock) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	th := newLoginThrottle(base, max)
	th.now = clock.now
	return th, clock
}

func TestLoginThrottleGrowsCapsAndResets(t *testing.T) {
	th, clock := testThrottle(time.Second, 5*time.Second)
	const alice, addr = "alice@localhost", "address 127.0.0.1"
	if d := th.delay(alice, addr); d != 0 {
		t.Fatalf("before any failure: delay %v, want 0", d)
	}
	for i, want := range []time.Duration{1, 2, 4, 5, 5} {
		th.failed(alice, addr)
		if d := th.delay(alice); d != want*time.Second {
			t.Errorf("after %d failures: delay %v, want %v", i+1, d, want*time.Second)
		}
	}
	clock.advance(3 * time.Second)
	if d := th.delay(alice); d != 2*time.Second {
		t.Errorf("3s after the last failure: delay %v, want the 2s left", d)
	}
	if d := th.delay("bob@localhost", addr); d != 2*time.Second {
		t.Errorf("another account from the same address: delay %v, want 2s", d)
	}
	th.succeeded(alice)
	if d := th.delay(alice); d != 0 {
		t.Errorf("after a success: delay %v, want 0", d)
	}
	th.failed(alice)
	if d := th.delay(alice); d != time.Second {
		t.Errorf("first failure after a success: delay %v, want 1s", d)
	}
	clock.advance(th.forget + time.Second)
	th.failed(addr)
	if d := th.delay(addr); d != time.Second {
		t.Errorf("a failure long after the last: delay %v, want 1s again", d)
	}
}

// TestLoginThrottleStateIsBounded: guessing many names keeps at most
// limit keys, and the account under attack keeps its delay.
func TestLoginThrottleStateIsBounded(t *testing.T) {
	th, clock := testThrottle(time.Second, 5*time.Second)
	th.limit = 100
	for i := 0; i < 10000; i++ {
		clock.advance(time.Millisecond)
		th.failed(fmt.Sprintf("guess%d@localhost", i), "alice@localhost")
	}
	if n := th.size(); n > 100 {
		t.Errorf("%d keys kept, want at most 100", n)
	}
	if d := th.delay("alice@localhost"); d != 5*time.Second {
		t.Errorf("the account under attack: delay %v, want 5s", d)
	}
}

func TestLoginThrottleOff(t *testing.T) {
	th, _ := testThrottle(-1, time.Second)
	th.failed("alice@localhost")
	if d, n := th.delay("alice@localhost"), th.size(); d != 0 || n != 0 {
		t.Errorf("disabled throttle: delay %v, %d keys; want 0, 0", d, n)
	}
}

// TestFailedLoginsDelayTheNextAttempts: with a server whose waits are
// recorded instead of slept, wrong passwords make the next attempts on
// the account wait longer and longer, up to the cap, on any connection;
// the right password still logs in, and resets the account.
func TestFailedLoginsDelayTheNextAttempts(t *testing.T) {
	waits := make(chan time.Duration, 100)
	ts := startServer(t, func(c *Config) {
		c.AuthFailureDelay, c.AuthFailureMaxDelay, c.MaxAuthFailures = time.Hour, 4*time.Hour, 100
		c.loginWait = func(_ context.Context, d time.Duration) error { waits <- d; return nil }
	})
	c := dialRaw(t, ts)
	c.open()
	c.startTLS()
	expectWait := func(what string, want time.Duration) {
		t.Helper()
		select {
		case d := <-waits:
			if d > want || d < want-time.Minute {
				t.Errorf("%s: waited %v, want %v", what, d, want)
			}
		default:
			if want > 0 {
				t.Errorf("%s: did not wait, want %v", what, want)
			}
		}
	}
	for i, want := range []time.Duration{0, 1, 2, 4, 4} {
		if n := c.auth("alice", "guess"); n.name.Local != "failure" {
			t.Fatalf("guess %d: %s", i, n.bytes())
		}
		expectWait(fmt.Sprint("guess ", i), want*time.Hour)
	}
	other := dialRaw(t, ts)
	other.open()
	other.startTLS()
	if n := other.auth("alice", "secret"); n.name.Local != "success" {
		t.Fatalf("the right password after the guesses: %s", n.bytes())
	}
	expectWait("the right password", 4*time.Hour)
	if d := ts.srv.throttle.delay("alice@localhost"); d != 0 {
		t.Errorf("after the success the account still waits %v", d)
	}
}

// TestHonestLoginWhileGuessing: a real client logs in with the right
// password while another connection keeps guessing the same account's.
func TestHonestLoginWhileGuessing(t *testing.T) {
	ts := startServer(t, func(c *Config) {
		c.AuthFailureDelay, c.AuthFailureMaxDelay, c.MaxAuthFailures = time.Millisecond, 4*time.Millisecond, 1<<20
	})
	guesser := dialRaw(t, ts)
	guesser.open()
	guesser.startTLS()
	guess := func(i int) {
		if n := guesser.auth("alice", fmt.Sprint("guess", i)); n.name.Local != "failure" {
			t.Fatalf("guess %d: %s", i, n.bytes())
		}
	}
	for i := 0; i < 10; i++ {
		guess(i)
	}
	alice := ts.peer(t, "alice", "honest")
	alice.e.Connect()
	for i := 10; ; i++ {
		guess(i)
		select {
		case ev := <-alice.events:
			if c, ok := ev.(event.ConnState); ok && c.State == event.Online {
				t.Logf("logged in after %d guesses", i)
				return
			}
			if c, ok := ev.(event.ConnState); ok && c.Fatal {
				t.Fatalf("honest login failed: %s", c.Err)
			}
		default:
		}
		if i > 100000 {
			t.Fatal("no login after 100000 guesses")
		}
	}
}
