package server

import (
	"context"
	"sync"
	"time"
)

// loginThrottle slows down password guessing. Each failed login is
// counted against the account tried and against the address it came
// from; the next attempt on either waits base, 2·base, 4·base … up to
// max after the last failure before its password is checked. The delay
// holds every attempt, a guesser's parallel connections too, but it is
// never more than max: an attacker can make an honest login slow, never
// impossible. A success forgets the account's failures; failures older
// than forget are forgotten anyway. At most limit keys are kept (the
// least recently failed go first), so guessing many names cannot grow
// memory.
type loginThrottle struct {
	base, max, forget time.Duration
	limit             int
	now               func() time.Time
	sleep             func(context.Context, time.Duration) error

	mu   sync.Mutex
	keys map[string]*failures
}

type failures struct {
	n    int
	last time.Time
}

func newLoginThrottle(base, max time.Duration) *loginThrottle {
	return &loginThrottle{base: base, max: max, forget: 10 * time.Minute, limit: 4096,
		now: time.Now, sleep: sleep, keys: map[string]*failures{}}
}

// addrKey is the throttle key of an address; account keys are bare JIDs,
// which have no spaces.
func addrKey(ip string) string { return "address " + ip }

// delay returns how long an attempt on the given keys must still wait.
func (t *loginThrottle) delay(keys ...string) time.Duration {
	if t.base <= 0 {
		return 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	now, wait := t.now(), time.Duration(0)
	for _, k := range keys {
		f := t.keys[k]
		if f == nil || now.Sub(f.last) > t.forget {
			continue
		}
		wait = max(wait, f.last.Add(t.step(f.n)).Sub(now))
	}
	return wait
}

// step is the delay after n failures.
func (t *loginThrottle) step(n int) time.Duration {
	d := t.base
	for i := 1; i < n && d < t.max; i++ {
		d *= 2
	}
	return min(d, t.max)
}

// wait sleeps for the delay of keys, or until ctx is done.
func (t *loginThrottle) wait(ctx context.Context, keys ...string) error {
	if d := t.delay(keys...); d > 0 {
		return t.sleep(ctx, d)
	}
	return nil
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// failed counts a failed login against each key.
func (t *loginThrottle) failed(keys ...string) {
	if t.base <= 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	for _, k := range keys {
		f := t.keys[k]
		switch {
		case f == nil:
			t.makeRoom(now)
			f = &failures{}
			t.keys[k] = f
		case now.Sub(f.last) > t.forget:
			f.n = 0
		}
		f.n++
		f.last = now
	}
}

// succeeded forgets the failures of key.
func (t *loginThrottle) succeeded(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.keys, key)
}

// makeRoom keeps the map under limit: it drops forgotten keys, and if
// none, the least recently failed. The caller holds mu.
func (t *loginThrottle) makeRoom(now time.Time) {
	if len(t.keys) < t.limit {
		return
	}
	oldest, when := "", now
	for k, f := range t.keys {
		if now.Sub(f.last) > t.forget {
			delete(t.keys, k)
			continue
		}
		if !f.last.After(when) {
			oldest, when = k, f.last
		}
	}
	if len(t.keys) >= t.limit {
		delete(t.keys, oldest)
	}
}

// size returns the number of keys kept.
func (t *loginThrottle) size() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.keys)
}
