package client

import (
	"context"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"chat/event"

	"mellium.im/xmpp/jid"
)

// goroutine is one entry of runtime.Stack(all).
type goroutine struct {
	id, state, stack string
}

var goroutineHeader = regexp.MustCompile(`^goroutine (\d+) \[([^,\]]+)`)

func allGoroutines() []goroutine {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var out []goroutine
	for _, block := range strings.Split(string(buf), "\n\n") {
		m := goroutineHeader.FindStringSubmatch(block)
		if m != nil {
			out = append(out, goroutine{id: m[1], state: m[2], stack: block})
		}
	}
	return out
}

// clientCode reports whether a goroutine runs, or was started by, code of
// this package outside its tests (a frame's function is followed by its
// file on the next line).
func (g goroutine) clientCode() bool {
	lines := strings.Split(g.stack, "\n")
	for i := 1; i+1 < len(lines); i++ {
		fn := strings.TrimPrefix(lines[i], "created by ")
		if strings.HasPrefix(fn, "chat/client.") {
			file, _, _ := strings.Cut(strings.TrimSpace(lines[i+1]), ":")
			if !strings.HasSuffix(file, "_test.go") {
				return true
			}
		}
	}
	return false
}

// parked reports whether the goroutine is blocked on something (a
// channel, a timer, the network, a lock) rather than running or about to.
func (g goroutine) parked() bool {
	switch g.state {
	case "running", "runnable", "syscall", "preempted":
		return false
	}
	return !strings.HasPrefix(g.state, "GC ")
}

func goroutineIDs() map[string]bool {
	ids := map[string]bool{}
	for _, g := range allGoroutines() {
		ids[g.id] = true
	}
	return ids
}

// checkNoClientGoroutines fails if a goroutine of the client package that
// was not in before is still there. A stopped engine has waited for all
// of its goroutines, so one found parked is a leak; one still running is
// given a bounded time to finish returning.
func checkNoClientGoroutines(t *testing.T, before map[string]bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var left []goroutine
		for _, g := range allGoroutines() {
			if !before[g.id] && g.clientCode() {
				left = append(left, g)
			}
		}
		if len(left) == 0 {
			return
		}
		for _, g := range left {
			if g.parked() || time.Now().After(deadline) {
				t.Fatalf("goroutine left behind by a stopped engine:\n%s", g.stack)
			}
		}
		runtime.Gosched()
	}
}

// Engines started, used and stopped leave no goroutine behind: each
// session waits for the goroutines it started, and the engine for its
// session.
func TestStoppedEnginesLeaveNoGoroutines(t *testing.T) {
	es := startEmbedded(t)
	before := goroutineIDs()

	alice, bob := es.peer(t, "alice"), es.peer(t, "bob")
	alice.online()
	bob.online()
	// The server pushes roster changes only to resources that fetched the
	// roster (RFC 6121 §2.1.6), so wait for that first.
	alice.expect("alice's roster", func(ev event.Event) bool { _, ok := ev.(event.Roster); return ok })
	if err := alice.e.RosterSet(event.RosterItem{JID: bob.jid, Name: "Bob"}); err != nil {
		t.Fatal(err)
	}
	alice.expect("roster push for bob", func(ev event.Event) bool {
		p, ok := ev.(event.RosterPush)
		return ok && p.Item.JID == bob.jid
	})
	if _, err := alice.e.SendMessage(OutMessage{To: bob.jid + "/test", Body: "hello"}); err != nil {
		t.Fatal(err)
	}
	bob.expect("message from alice", isMessage(alice.jid, "hello"))
	if _, err := bob.e.request(context.Background(), pingRequest(jid.MustParse(alice.jid+"/test"))); err != nil {
		for len(bob.events) > 0 {
			t.Logf("bob event %+v", <-bob.events)
		}
		t.Fatalf("bob pings alice: %v", err)
	}
	// A request still waiting when the engine stops must not hold it up.
	if err := alice.e.RosterRemove("nobody@localhost"); err != nil {
		t.Fatal(err)
	}

	// And one that never gets online.
	wrong := es.peer(t, "carol", func(c *Config) { c.Password = "wrong" })
	wrong.e.Connect()
	wrong.expect("fatal offline", isConn(event.Offline))

	// And one whose connection is cut: stopped while it waits to reconnect.
	proxy := newStallProxy(t, es.addr)
	cut := es.peer(t, "dave", func(c *Config) { c.Server = proxy.ln.Addr().String() })
	cut.online()
	proxy.close()
	cut.expect("reconnecting", isConn(event.Reconnecting))

	for _, p := range []*peer{alice, bob, wrong, cut} {
		p.stop()
	}
	checkNoClientGoroutines(t, before)
}
