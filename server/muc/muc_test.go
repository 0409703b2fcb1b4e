package muc

import (
	"fmt"
	"strings"
	"testing"
)

func TestRoomsAreBounded(t *testing.T) {
	r := newRig(t, func(c *Config) { c.MaxRooms = 2; c.MaxOccupants = 2; c.MaxHistory = 3 })
	r.instant("alice", "A")
	r.in("<presence from='alice@localhost/r' to='second@conference.localhost/A'/>")
	out := r.in("<presence from='alice@localhost/r' to='third@conference.localhost/A'/>")
	if len(out) != 1 || condition(out[0]) != "resource-constraint" {
		t.Errorf("a third room: %s", dumpEls(out))
	}
	r.join("bob", "B", "")
	if out := r.join("carol", "C", ""); len(out) != 1 || condition(out[0]) != "service-unavailable" {
		t.Errorf("a third occupant: %s", dumpEls(out))
	}
	for i := range 5 {
		r.say("alice", fmt.Sprint(i))
	}
	r.in("<presence from='bob@localhost/r' to='%s/B' type='unavailable'/>", testRoom)
	var bodies []string
	for _, e := range r.join("bob", "B", "") {
		if b := e.child(nsClient, "body"); b != nil {
			bodies = append(bodies, b.text())
		}
	}
	if fmt.Sprint(bodies) != "[2 3 4]" {
		t.Errorf("history kept %v, want the last 3", bodies)
	}
}

func TestHistoryLimits(t *testing.T) {
	r := newRig(t)
	r.instant("alice", "A")
	for i := range 4 {
		r.say("alice", fmt.Sprint("message ", i))
	}
	for _, tc := range []struct {
		history string
		want    int
	}{
		{"", 4},
		{"<history maxstanzas='0'/>", 0},
		{"<history maxchars='0'/>", 0},
		{"<history maxstanzas='1'/>", 1},
		{"<history seconds='3600'/>", 4},
		{"<history since='2999-01-01T00:00:00Z'/>", 0},
		{"<history maxstanzas='junk'/>", 4},
	} {
		n := 0
		for _, e := range r.join("bob", "B", tc.history) {
			if e.child(nsClient, "body") != nil {
				n++
			}
		}
		if n != tc.want {
			t.Errorf("%s gave %d messages, want %d", tc.history, n, tc.want)
		}
		r.in("<presence from='bob@localhost/r' to='%s/B' type='unavailable'/>", testRoom)
	}
}

func TestQueueOverflowIsAnswered(t *testing.T) {
	r := newRig(t, func(c *Config) { c.QueueSize = 1 })
	stanza := []byte("<iq type='get' id='p' from='alice@localhost/r' to='conference.localhost'><ping xmlns='urn:xmpp:ping'/></iq>")
	r.s.Handle(stanza)
	r.s.Handle(stanza) // nobody is draining: this one is refused
	if len(r.out) != 1 || condition(r.out[0]) != "resource-constraint" {
		t.Fatalf("overflow answer: %s", dumpEls(r.out))
	}
}

func TestHostileNickIsData(t *testing.T) {
	r := newRig(t)
	r.instant("alice", "A")
	nick := "[red]<b>&x'\""
	out := r.join("bob", nick, "")
	var self *el
	for _, e := range out {
		if e.get("from") == testRoom+"/"+nick && e.get("to") == "bob@localhost/r" {
			self = e
		}
	}
	if self == nil {
		t.Fatalf("no self-presence from the hostile nick: %s", dumpEls(out))
	}
	out = r.say("bob", "<script>")
	if len(out) != 2 || out[0].child(nsClient, "body").text() != "<script>" || out[0].get("from") != testRoom+"/"+nick {
		t.Errorf("reflection of a hostile message: %s", dumpEls(out))
	}
}

func TestSpoofedFromIsIgnored(t *testing.T) {
	r := newRig(t)
	r.instant("alice", "A")
	// The server stamps from; a stanza whose from is not an occupant is
	// refused, and the service never writes a from outside its domain.
	out := r.in("<message from='eve@localhost/x' to='%s' type='groupchat'><body>I am alice</body></message>", testRoom)
	if len(out) != 1 || condition(out[0]) != "not-acceptable" {
		t.Errorf("a stranger's groupchat: %s", dumpEls(out))
	}
}

func TestServiceCloseWithoutStart(t *testing.T) {
	s, err := New(Config{Domain: "conference.localhost"})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s.Close()
	if _, err := New(Config{Domain: "bad domain@"}); err == nil {
		t.Error("a bad domain was accepted")
	}
}

func TestUndeliverableOccupantIsRemoved(t *testing.T) {
	r := newRig(t)
	r.instant("alice", "A")
	r.join("bob", "B", "")
	errorFrom := func(cond string) []*el {
		return r.in("<message type='error' from='bob@localhost/r' to='%s/A'><error type='cancel'><%s xmlns='%s'/></error></message>",
			testRoom, cond, nsStanzas)
	}
	if out := errorFrom("not-acceptable"); len(out) != 0 {
		t.Errorf("an error that is not about delivery removed bob: %s", dumpEls(out))
	}
	out := errorFrom("service-unavailable")
	if len(out) != 2 || out[0].get("type") != "unavailable" || out[0].get("from") != testRoom+"/B" || !hasStatus(out[0], "333") {
		t.Errorf("bob undeliverable: %s", dumpEls(out))
	}
}

func TestRejoinResendsTheRoom(t *testing.T) {
	r := newRig(t)
	r.instant("alice", "A")
	r.join("bob", "B", "")
	out := r.join("bob", "B", "")
	var to []string
	for _, e := range out {
		to = append(to, e.local+" "+e.get("from")+" → "+e.get("to"))
	}
	want := "[presence room@conference.localhost/B → alice@localhost/r presence room@conference.localhost/A → bob@localhost/r " +
		"presence room@conference.localhost/B → bob@localhost/r message room@conference.localhost → bob@localhost/r]"
	if fmt.Sprint(to) != want {
		t.Errorf("rejoin sent\n%v\nwant\n%s", to, want)
	}
}

func hasStatus(e *el, code string) bool {
	for _, s := range e.child(nsMUCUser, "x").all(nsMUCUser, "status") {
		if s.get("code") == code {
			return true
		}
	}
	return false
}

func TestTextAndHistoryBytesAreBounded(t *testing.T) {
	r := newRig(t, func(c *Config) { c.MaxHistoryBytes = 1000 })
	r.instant("alice", "A")
	long := strings.Repeat("x", maxText+1)
	out := r.in("<message from='alice@localhost/r' to='%s' type='groupchat'><subject>%s</subject></message>", testRoom, long)
	if len(out) != 1 || condition(out[0]) != "not-acceptable" {
		t.Errorf("a long subject: %s", dumpEls(out))
	}
	out = r.in("<iq type='set' id='c' from='alice@localhost/r' to='%s'><query xmlns='%s'><x xmlns='%s' type='submit'><field var='%s'><value>%s</value></field></x></query></iq>",
		testRoom, nsMUCOwner, nsData, fName, long)
	if len(out) != 1 || condition(out[0]) != "not-acceptable" {
		t.Errorf("a long room name: %s", dumpEls(out))
	}
	r.say("alice", strings.Repeat("y", 2000)) // larger than the whole history may be
	for range 10 {
		r.say("alice", "short")
	}
	total := 0
	for _, p := range r.history() {
		total += p.size
	}
	if total > 1000 || len(r.history()) == 0 {
		t.Errorf("history holds %d bytes in %d messages, bound 1000", total, len(r.history()))
	}
	big := strings.Repeat("<c xmlns='urn:example'>"+strings.Repeat("z", 1000)+"</c>", 10)
	r.in("<presence from='bob@localhost/r' to='%s/B'><status>here</status>%s</presence>", testRoom, big)
	if o := r.s.rooms[testRoom].occupants["B"]; o == nil || len(o.pres.bytes()) > maxPresence || o.pres.child(nsClient, "status").text() != "here" {
		t.Errorf("a large presence is kept as %v", o)
	}
}

func (r *rig) history() []past { return r.s.rooms[testRoom].history }

func TestModeratorRules(t *testing.T) {
	r := newRig(t)
	r.instant("alice", "A")
	r.join("bob", "B", "")
	r.join("carol", "C", "")
	set := func(user, item string) []*el {
		return r.in("<iq type='set' id='x' from='%s@localhost/r' to='%s'><query xmlns='%s'>%s</query></iq>", user, testRoom, nsMUCAdmin, item)
	}
	last := func(out []*el) *el { return out[len(out)-1] }
	if out := set("alice", "<item nick='B' role='moderator'/>"); last(out).get("type") != "result" {
		t.Fatalf("owner grants moderator: %s", dumpEls(out))
	}
	for _, tc := range []struct{ item, cond string }{
		{"<item nick='A' role='none'/>", "not-allowed"},
		{"<item nick='A' role='visitor'/>", "not-allowed"},
		{"<item nick='C' role='moderator'/>", "forbidden"},
		{"<item nick='Nobody' role='none'/>", "item-not-found"},
		{"<item nick='C' role='king'/>", "bad-request"},
		{"<item jid='carol@localhost' affiliation='outcast'/>", "forbidden"},
		{"<item jid='not a jid@@' affiliation='member'/>", "forbidden"},
	} {
		if out := set("bob", tc.item); condition(last(out)) != tc.cond {
			t.Errorf("moderator bob: %s gave %s, want %s", tc.item, dumpEls(out), tc.cond)
		}
	}
	out := set("bob", "<item nick='C' role='none'/>")
	if last(out).get("type") != "result" || len(r.s.rooms[testRoom].order) != 2 {
		t.Errorf("moderator kicks a participant: %s", dumpEls(out))
	}
	if out := set("alice", "<item jid='bob@localhost' affiliation='admin'/>"); last(out).get("type") != "result" {
		t.Fatalf("owner makes an admin: %s", dumpEls(out))
	}
	if out := set("bob", "<item jid='alice@localhost' affiliation='outcast'/>"); condition(last(out)) != "not-allowed" {
		t.Errorf("an admin banned the owner: %s", dumpEls(out))
	}
	if out := set("bob", "<item jid='dave@localhost' affiliation='owner'/>"); condition(last(out)) != "not-allowed" {
		t.Errorf("an admin made an owner: %s", dumpEls(out))
	}
}

func TestInviteToMembersOnlyMakesAMember(t *testing.T) {
	r := newRig(t)
	r.instant("alice", "A")
	r.in("<iq type='set' id='c' from='alice@localhost/r' to='%s'><query xmlns='%s'><x xmlns='%s' type='submit'><field var='%s'><value>1</value></field></x></query></iq>",
		testRoom, nsMUCOwner, nsData, fMembers)
	if out := r.join("dave", "D", ""); len(out) != 1 || condition(out[0]) != "registration-required" {
		t.Fatalf("stranger joins a members-only room: %s", dumpEls(out))
	}
	out := r.in("<message from='alice@localhost/r' to='%s'><x xmlns='%s'><invite to='dave@localhost'/></x></message>", testRoom, nsMUCUser)
	if len(out) != 1 || out[0].get("to") != "dave@localhost" {
		t.Fatalf("invitation: %s", dumpEls(out))
	}
	if out := r.join("dave", "D", ""); condition(out[0]) != "" {
		t.Errorf("the invited member cannot join: %s", dumpEls(out))
	}
	out = r.in("<message from='dave@localhost/r' to='%s'><x xmlns='%s'><invite to='eve@localhost'/></x></message>", testRoom, nsMUCUser)
	if len(out) != 1 || condition(out[0]) != "forbidden" {
		t.Errorf("a member invited to a members-only room: %s", dumpEls(out))
	}
}
