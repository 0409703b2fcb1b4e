package muc

import (
	"fmt"
	"strings"
	"testing"

	"mellium.im/xmpp/jid"
)

const testRoom = "room@conference.localhost"

// rig drives a service synchronously: what it sends is collected.
type rig struct {
	t   testing.TB
	s   *Service
	out []*el
}

func newRig(t testing.TB, tune ...func(*Config)) *rig {
	t.Helper()
	cfg := Config{Domain: "conference.localhost"}
	for _, f := range tune {
		f(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, s: s}
	send := func(raw []byte) error {
		e, err := parse(raw)
		if err != nil {
			t.Fatalf("the service wrote bad XML %q: %v", raw, err)
		}
		if from, err := jid.Parse(e.get("from")); err != nil || from.Domainpart() != "conference.localhost" {
			t.Fatalf("the service wrote from %q: %s", e.get("from"), raw)
		}
		r.out = append(r.out, e)
		return nil
	}
	s.send = send
	s.ready.Store(&send) // not started: tests call handle themselves
	return r
}

// in handles one stanza and returns what the service sent for it.
func (r *rig) in(format string, args ...any) []*el {
	r.out = nil
	r.s.handle([]byte(fmt.Sprintf(format, args...)))
	return r.out
}

// join has user@localhost/r join room/nick with the MUC protocol.
func (r *rig) join(user, nick, extra string) []*el {
	return r.in("<presence from='%s@localhost/r' to='%s/%s'><x xmlns='%s'>%s</x></presence>", user, testRoom, esc(nick), nsMUC, extra)
}

// instant has user create the room and accept the defaults.
func (r *rig) instant(user, nick string) {
	r.t.Helper()
	r.join(user, nick, "")
	out := r.in("<iq type='set' id='c' from='%s@localhost/r' to='%s'><query xmlns='%s'><x xmlns='%s' type='submit'/></query></iq>",
		user, testRoom, nsMUCOwner, nsData)
	if len(out) == 0 || out[0].get("type") != "result" {
		r.t.Fatalf("instant room: %s", dumpEls(out))
	}
}

func (r *rig) say(user, body string) []*el {
	return r.in("<message from='%s@localhost/r' to='%s' type='groupchat'><body>%s</body></message>", user, testRoom, esc(body))
}

func esc(s string) string { return string(appendEscaped(nil, s)) }

func dumpEls(es []*el) string {
	var b strings.Builder
	for _, e := range es {
		b.Write(e.bytes())
		b.WriteByte('\n')
	}
	return b.String()
}

// condition returns the error condition of a stanza, or "".
func condition(e *el) string { return errorCondition(e) }
