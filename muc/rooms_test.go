package muc

import (
	"errors"
	"strings"
	"testing"
	"time"

	"mellium.im/xmpp/jid"
)

var t0 = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

const coven = "coven@chat.shakespeare.lit"

func applyP(t testing.TB, rs *Rooms, s string) Event {
	t.Helper()
	ev, err := rs.ApplyPresence(mustPresence(t, s), t0)
	if err != nil {
		t.Fatalf("apply %s: %v", s, err)
	}
	return ev
}

func applyM(t testing.TB, rs *Rooms, s string) Event {
	t.Helper()
	ev, err := rs.ApplyMessage(mustMessage(t, s), t0)
	if err != nil {
		t.Fatalf("apply %s: %v", s, err)
	}
	return ev
}

func occ(nick, role, aff, extra string) string {
	return `<presence from='` + coven + `/` + nick + `'><x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='` + aff + `' role='` + role + `'/>` + extra + `</x></presence>`
}

func gone(nick, extra string) string {
	return `<presence type='unavailable' from='` + coven + `/` + nick + `'><x xmlns='http://jabber.org/protocol/muc#user'>` + extra + `</x></presence>`
}

// joined returns rooms in which thirdwitch has joined coven, with
// firstwitch (owner) and secondwitch present.
func joined(t testing.TB) *Rooms {
	t.Helper()
	rs := NewRooms()
	if _, err := rs.Join(jid.MustParse(coven), "thirdwitch", JoinOptions{}, t0); err != nil {
		t.Fatal(err)
	}
	applyP(t, rs, occ("firstwitch", "moderator", "owner", ""))
	applyP(t, rs, occ("secondwitch", "participant", "admin", ""))
	if ev := applyP(t, rs, occ("thirdwitch", "participant", "none", `<status code='110'/>`)); ev.Kind != KindJoined {
		t.Fatalf("self presence: %+v", ev)
	}
	return rs
}

func wantKind(t testing.TB, ev Event, k Kind, line string) {
	t.Helper()
	if ev.Kind != k {
		t.Fatalf("kind %d, want %d (%+v)", ev.Kind, k, ev)
	}
	if got := ev.Text(); got != line {
		t.Errorf("text %q\nwant %q", got, line)
	}
}

func TestJoinSequence(t *testing.T) {
	rs := NewRooms()
	p, err := rs.Join(jid.MustParse(coven+"/ignored"), "thirdwitch", JoinOptions{History: History{MaxStanzas: 50}}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if got := mustEncode(t, p); !strings.Contains(got, `to="coven@chat.shakespeare.lit/thirdwitch"`) || !strings.Contains(got, `maxstanzas="50"`) {
		t.Errorf("join presence %s", got)
	}
	ev := applyP(t, rs, occ("firstwitch", "moderator", "owner", ""))
	if ev.Kind != KindOccupantJoined || !ev.Initial || ev.Text() != "" {
		t.Errorf("initial occupant: %+v %q", ev, ev.Text())
	}
	ev = applyP(t, rs, `<presence from='coven@chat.shakespeare.lit/thirdwitch'><x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='member' jid='hag66@shakespeare.lit/pda' role='participant'/><status code='100'/><status code='110'/><status code='170'/></x></presence>`)
	wantKind(t, ev, KindJoined, "You joined coven@chat.shakespeare.lit as thirdwitch\n"+
		"This room shows your real address to everyone\nThis room is logged")
	r, _ := rs.Room(coven)
	if r.State != StateJoined || r.Len() != 2 || r.Self.Affiliation != AffiliationMember {
		t.Errorf("room %+v", r)
	}
	ev = applyM(t, rs, `<message from='coven@chat.shakespeare.lit/firstwitch' type='groupchat'><body>Thrice</body><delay xmlns='urn:xmpp:delay' from='coven@chat.shakespeare.lit' stamp='2026-12-01T11:00:00Z'/><stanza-id xmlns='urn:xmpp:sid:0' id='h1' by='coven@chat.shakespeare.lit'/></message>`)
	if ev.Kind != KindMessage || !ev.History || !ev.Stamp.Equal(t0.Add(-time.Hour)) {
		t.Errorf("history: %+v", ev)
	}
	ev = applyM(t, rs, `<message from='coven@chat.shakespeare.lit/firstwitch' type='groupchat'><subject>Fire Burn</subject></message>`)
	wantKind(t, ev, KindSubject, "Subject: Fire Burn by firstwitch")
	if !ev.OnJoin || r.Subject != "Fire Burn" {
		t.Errorf("subject on join: %+v", ev)
	}
	ev = applyM(t, rs, `<message from='coven@chat.shakespeare.lit/firstwitch' type='groupchat'><body>Thrice</body><stanza-id xmlns='urn:xmpp:sid:0' id='h1' by='coven@chat.shakespeare.lit'/></message>`)
	if ev.Kind != KindDuplicate {
		t.Errorf("same stanza-id again: %+v", ev)
	}
	ev = applyM(t, rs, `<message from='coven@chat.shakespeare.lit/firstwitch' type='groupchat'><body>Hail, thirdwitch!</body><stanza-id xmlns='urn:xmpp:sid:0' id='h2' by='coven@chat.shakespeare.lit'/></message>`)
	if ev.Kind != KindMessage || ev.History || !ev.Highlight || ev.Message.Body != "Hail, thirdwitch!" {
		t.Errorf("live: %+v", ev)
	}
	ev = applyM(t, rs, `<message from='coven@chat.shakespeare.lit/secondwitch' type='groupchat'><subject>Double, double</subject></message>`)
	wantKind(t, ev, KindSubject, "secondwitch changed the subject to: Double, double")
}

func TestCreatedRoom(t *testing.T) {
	rs := NewRooms()
	rs.Join(jid.MustParse(coven), "firstwitch", JoinOptions{}, t0)
	ev := applyP(t, rs, `<presence from='coven@chat.shakespeare.lit/firstwitch'><x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='owner' role='moderator'/><status code='110'/><status code='201'/></x></presence>`)
	wantKind(t, ev, KindJoined, "You joined coven@chat.shakespeare.lit as firstwitch (a new room: it stays locked until configured)")
	if !ev.Created || ev.Action != ActionConfigure {
		t.Errorf("created: %+v", ev)
	}
}

func TestRoomAssignedNick(t *testing.T) {
	rs := NewRooms()
	rs.Join(jid.MustParse(coven), "Thirdwitch", JoinOptions{}, t0)
	ev := applyP(t, rs, occ("thirdwitch", "participant", "member", `<status code='110'/><status code='210'/>`))
	wantKind(t, ev, KindJoined, "You joined coven@chat.shakespeare.lit as thirdwitch\nThe room changed your nickname to thirdwitch")
	if r, _ := rs.Room(coven); r.Nick != "thirdwitch" || r.Len() != 1 {
		t.Errorf("nick %q len %d", r.Nick, r.Len())
	}
}

func TestNickConflictRetries(t *testing.T) {
	rs := NewRooms()
	rs.Join(jid.MustParse(coven), "thirdwitch", JoinOptions{}, t0)
	conflict := `<presence type='error' from='coven@chat.shakespeare.lit/%s'><error type='cancel'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>`
	for _, next := range []string{"thirdwitch_", "thirdwitch_2", "thirdwitch_3"} {
		r, _ := rs.Room(coven)
		ev := applyP(t, rs, strings.Replace(conflict, "%s", r.Nick, 1))
		wantKind(t, ev, KindNickConflict, "The nickname is taken in coven@chat.shakespeare.lit: that nickname is already in use; trying "+next)
		if ev.Action != ActionRejoin {
			t.Fatal("no rejoin asked")
		}
		p, err := rs.JoinPresence(coven)
		if err != nil || !strings.Contains(mustEncode(t, p), "/"+next+`"`) {
			t.Fatalf("retry presence: %v", err)
		}
	}
	ev := applyP(t, rs, strings.Replace(conflict, "%s", "thirdwitch_3", 1))
	wantKind(t, ev, KindJoinFailed, "Could not join coven@chat.shakespeare.lit: that nickname is already in use")
	if _, ok := rs.Room(coven); ok {
		t.Error("failed room kept")
	}
}

func TestJoinErrors(t *testing.T) {
	for cond, line := range map[string]string{
		"not-authorized":        "a password is required (or the one given is wrong)",
		"registration-required": "the room is members-only and you are not a member",
		"forbidden":             "you are banned from the room",
		"item-not-found":        "the room does not exist (or is locked)",
		"service-unavailable":   "the room is full",
		"not-acceptable":        "you must use your reserved nickname",
	} {
		rs := NewRooms()
		rs.Join(jid.MustParse(coven), "thirdwitch", JoinOptions{Password: "x"}, t0)
		ev := applyP(t, rs, `<presence type='error' from='coven@chat.shakespeare.lit/thirdwitch'><error type='auth'><`+cond+` xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>`)
		wantKind(t, ev, KindJoinFailed, "Could not join coven@chat.shakespeare.lit: "+line)
	}
}

func TestOccupantChanges(t *testing.T) {
	rs := joined(t)
	r, _ := rs.Room(coven)
	wantKind(t, applyP(t, rs, occ("hecate", "visitor", "none", "")), KindOccupantJoined, "hecate joined")
	wantKind(t, applyP(t, rs, occ("hecate", "participant", "none", "")), KindRoleChanged, "hecate is now participant (was visitor)")
	wantKind(t, applyP(t, rs, occ("hecate", "participant", "member", "")), KindAffiliationChanged, "hecate is now member (was none)")
	ev := applyP(t, rs, `<presence from='coven@chat.shakespeare.lit/hecate'><show>dnd</show><status>brewing</status><x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='member' role='participant'/></x></presence>`)
	if ev.Kind != KindOccupantPresence || ev.Occupant.Show != "dnd" {
		t.Errorf("presence update %+v", ev)
	}
	wantKind(t, applyP(t, rs, gone("hecate", `<item affiliation='member' nick='oldhag' role='participant'/><status code='303'/>`)),
		KindNickChanged, "hecate is now known as oldhag")
	ev = applyP(t, rs, occ("oldhag", "participant", "member", ""))
	if ev.Kind != KindOccupantPresence {
		t.Errorf("presence after rename shows as %d, not an update", ev.Kind)
	}
	if o, ok := r.Occupant("oldhag"); !ok || o.Show != "" {
		t.Errorf("renamed occupant %+v %v", o, ok)
	}
	if _, ok := r.Occupant("hecate"); ok {
		t.Error("old nick kept")
	}
	wantKind(t, applyP(t, rs, `<presence type='unavailable' from='coven@chat.shakespeare.lit/oldhag'><status>bye</status></presence>`), KindOccupantLeft, "oldhag left: bye")
	wantKind(t, applyP(t, rs, gone("secondwitch", `<item affiliation='none' role='none'><actor nick='firstwitch'/><reason>Avaunt!</reason></item><status code='307'/>`)),
		KindKicked, "secondwitch has been kicked by firstwitch: Avaunt!")
	applyP(t, rs, occ("pistol", "participant", "none", ""))
	wantKind(t, applyP(t, rs, gone("pistol", `<item affiliation='outcast' role='none'><actor jid='kinghenryv@shakespeare.lit'/><reason>Treason</reason></item><status code='301'/>`)),
		KindBanned, "pistol has been banned by kinghenryv@shakespeare.lit: Treason")
	applyP(t, rs, occ("guest", "participant", "none", ""))
	wantKind(t, applyP(t, rs, gone("guest", `<item affiliation='none' role='none'/><status code='322'/>`)),
		KindRemoved, "guest has been removed from coven@chat.shakespeare.lit\nReason: removed from the room because it is now members-only")
	if r.Len() != 2 || r.State != StateJoined {
		t.Errorf("room after departures: %d occupants, %s", r.Len(), r.State)
	}
}

func TestSelfRemovals(t *testing.T) {
	tests := []struct {
		name, extra string
		kind        Kind
		state       State
		line        string
	}{
		{"kick", `<item affiliation='none' role='none'><actor nick='Fluellen'/><reason>Avaunt, you cullion!</reason></item><status code='110'/><status code='307'/>`,
			KindKicked, StateKicked, "You have been kicked by Fluellen: Avaunt, you cullion!"},
		{"ban", `<item affiliation='outcast' role='none'><reason>Treason</reason></item><status code='110'/><status code='301'/>`,
			KindBanned, StateBanned, "You have been banned: Treason"},
		{"affiliation", `<item affiliation='none' role='none'/><status code='110'/><status code='321'/>`,
			KindRemoved, StateRemoved, "You have been removed from coven@chat.shakespeare.lit\nReason: removed from the room because of an affiliation change"},
		{"shutdown", `<item affiliation='none' role='none'/><status code='110'/><status code='332'/>`,
			KindRemoved, StateRemoved, "You have been removed from coven@chat.shakespeare.lit\nReason: removed from the room because the service is shutting down"},
		{"technical", `<item affiliation='none' role='none'/><status code='110'/><status code='333'/>`,
			KindDropped, StateJoining, "You are no longer in coven@chat.shakespeare.lit; rejoining\nReason: removed from the room because of a technical problem"},
		{"destroy", `<item affiliation='none' role='none'/><status code='110'/><destroy jid='heath@chat.shakespeare.lit'><reason>Macbeth doth come.</reason></destroy>`,
			KindDestroyed, StateDestroyed, "The room coven@chat.shakespeare.lit has been destroyed: Macbeth doth come.; it moved to heath@chat.shakespeare.lit"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs := joined(t)
			wantKind(t, applyP(t, rs, gone("thirdwitch", tc.extra)), tc.kind, tc.line)
			r, _ := rs.Room(coven)
			if r.State != tc.state || r.Len() != 0 {
				t.Errorf("state %s with %d occupants", r.State, r.Len())
			}
			// The client stays usable: the room refuses what follows until a new join.
			if _, err := rs.ApplyPresence(mustPresence(t, occ("firstwitch", "moderator", "owner", "")), t0); tc.state != StateJoining && !errors.Is(err, ErrNotJoined) {
				t.Errorf("presence after removal: %v", err)
			}
			if tc.state != StateJoining {
				if _, err := rs.Join(jid.MustParse(coven), "thirdwitch", JoinOptions{}, t0); err != nil {
					t.Errorf("rejoin after %s: %v", tc.name, err)
				}
			}
		})
	}
}

func TestLeaveAndNick(t *testing.T) {
	rs := joined(t)
	p, err := rs.ChangeNick(coven, "oldhag")
	if err != nil || mustEncode(t, p) != `<presence to="coven@chat.shakespeare.lit/oldhag"></presence>` {
		t.Fatal(err)
	}
	wantKind(t, applyP(t, rs, gone("thirdwitch", `<item affiliation='none' nick='oldhag' role='participant'/><status code='110'/><status code='303'/>`)),
		KindNickChanged, "You are now known as oldhag")
	if ev := applyP(t, rs, occ("oldhag", "participant", "none", `<status code='110'/>`)); ev.Kind != KindOccupantPresence || !ev.Self {
		t.Errorf("self presence after nick change: %+v", ev)
	}
	if _, err := rs.ChangeNick(coven, "firstwitch"); err != nil {
		t.Fatal(err)
	}
	wantKind(t, applyP(t, rs, `<presence type='error' from='coven@chat.shakespeare.lit/firstwitch'><error type='cancel'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>`),
		KindPresenceError, "The room refused: that nickname is already in use")
	p, err = rs.Leave(coven, "")
	if err != nil || mustEncode(t, p) != `<presence to="coven@chat.shakespeare.lit/oldhag" type="unavailable"></presence>` {
		t.Fatalf("leave: %v", err)
	}
	wantKind(t, applyP(t, rs, gone("oldhag", `<item affiliation='none' role='none'/><status code='110'/>`)), KindLeft, "You left coven@chat.shakespeare.lit")
	if _, ok := rs.Room(coven); ok {
		t.Error("room kept after leaving")
	}
}

func TestLeaveThenJoinAgain(t *testing.T) {
	rs := joined(t)
	rs.Leave(coven, "")
	if _, err := rs.Join(jid.MustParse(coven), "thirdwitch", JoinOptions{}, t0); err != nil {
		t.Fatal(err)
	}
	// The room answers the leave, then the new join.
	if ev := applyP(t, rs, gone("thirdwitch", `<item affiliation='none' role='none'/><status code='110'/>`)); ev.Kind != KindNone {
		t.Errorf("the old leave's echo: %+v", ev)
	}
	wantKind(t, applyP(t, rs, occ("thirdwitch", "participant", "none", `<status code='110'/>`)), KindJoined, "You joined coven@chat.shakespeare.lit as thirdwitch")
}

func TestOwnMessageReflectedOnce(t *testing.T) {
	rs := joined(t)
	if _, err := rs.Say(coven, "abc", "hello"); err != nil {
		t.Fatal(err)
	}
	reflected := `<message from='coven@chat.shakespeare.lit/thirdwitch' type='groupchat' id='abc'><body>hello</body><origin-id xmlns='urn:xmpp:sid:0' id='abc'/><stanza-id xmlns='urn:xmpp:sid:0' id='s9' by='coven@chat.shakespeare.lit'/></message>`
	if ev := applyM(t, rs, reflected); ev.Kind != KindOwnEcho {
		t.Errorf("reflection: %+v", ev)
	}
	if ev := applyM(t, rs, reflected); ev.Kind != KindDuplicate {
		t.Errorf("second reflection: %+v", ev)
	}
	// Another occupant copying our origin-id is not our echo.
	rs.Say(coven, "def", "x")
	ev := applyM(t, rs, `<message from='coven@chat.shakespeare.lit/firstwitch' type='groupchat'><body>thirdwitch says x</body><origin-id xmlns='urn:xmpp:sid:0' id='def'/></message>`)
	if ev.Kind != KindMessage || ev.Self {
		t.Errorf("claimed echo: %+v", ev)
	}
	// Our nick without a pending id: our message from another client.
	ev = applyM(t, rs, `<message from='coven@chat.shakespeare.lit/thirdwitch' type='groupchat'><body>from my phone</body><origin-id xmlns='urn:xmpp:sid:0' id='zzz'/></message>`)
	if ev.Kind != KindMessage || !ev.Self || ev.Highlight {
		t.Errorf("own message from elsewhere: %+v", ev)
	}
}

func TestRejoinAfterReconnect(t *testing.T) {
	rs := joined(t)
	applyM(t, rs, `<message from='coven@chat.shakespeare.lit/firstwitch' type='groupchat'><body>x</body><delay xmlns='urn:xmpp:delay' from='coven@chat.shakespeare.lit' stamp='2026-12-01T11:00:00Z'/></message>`)
	rs.Join(jid.MustParse("heath@chat.shakespeare.lit"), "me", JoinOptions{Password: "pw"}, t0)
	rs.Join(jid.MustParse("leaving@chat.shakespeare.lit"), "me", JoinOptions{}, t0)
	rs.Leave("leaving@chat.shakespeare.lit", "")
	ps := rs.Rejoin()
	if len(ps) != 2 {
		t.Fatalf("%d rejoins", len(ps))
	}
	want := []string{
		`<presence to="coven@chat.shakespeare.lit/thirdwitch"><x xmlns="http://jabber.org/protocol/muc"><history since="2026-12-01T11:00:01Z"></history></x></presence>`,
		`<presence to="heath@chat.shakespeare.lit/me"><x xmlns="http://jabber.org/protocol/muc"><password>pw</password></x></presence>`,
	}
	for i, p := range ps {
		if got := mustEncode(t, p); got != want[i] {
			t.Errorf("rejoin %d: %s", i, got)
		}
	}
	r, _ := rs.Room(coven)
	if r.State != StateJoining || r.Len() != 0 {
		t.Errorf("after rejoin: %s %d", r.State, r.Len())
	}
	if _, ok := rs.Room("leaving@chat.shakespeare.lit"); ok {
		t.Error("a room being left was rejoined")
	}
}

func TestSelfPing(t *testing.T) {
	rs := joined(t)
	if got := rs.PingDue(t0.Add(time.Minute), 5*time.Minute); len(got) != 0 {
		t.Errorf("ping of a busy room: %d", len(got))
	}
	pings := rs.PingDue(t0.Add(10*time.Minute), 5*time.Minute)
	if len(pings) != 1 || pings[0].To.String() != coven+"/thirdwitch" {
		t.Fatalf("pings %+v", pings)
	}
	if again := rs.PingDue(t0.Add(11*time.Minute), 5*time.Minute); len(again) != 0 {
		t.Error("pinged twice before an answer")
	}
	if ev := rs.PingResult(coven, PingJoined, t0.Add(11*time.Minute)); ev.Kind != KindStillJoined {
		t.Errorf("still joined: %+v", ev)
	}
	rs.PingDue(t0.Add(30*time.Minute), 5*time.Minute)
	ev := rs.PingResult(coven, PingDropped, t0.Add(30*time.Minute))
	wantKind(t, ev, KindDropped, "You are no longer in coven@chat.shakespeare.lit; rejoining")
	if ev.Action != ActionRejoin {
		t.Error("no rejoin")
	}
	if _, err := rs.JoinPresence(coven); err != nil {
		t.Fatal(err)
	}
}

func TestGroups(t *testing.T) {
	rs := joined(t)
	applyP(t, rs, occ("Alice", "visitor", "none", ""))
	applyP(t, rs, occ("bob", "participant", "member", ""))
	applyP(t, rs, occ("Zed", "moderator", "admin", ""))
	r, _ := rs.Room(coven)
	var got []string
	for _, g := range r.Groups() {
		var nicks []string
		for _, o := range g.Occupants {
			nicks = append(nicks, o.Affiliation.Mark()+o.Nick)
		}
		got = append(got, g.Role.String()+": "+strings.Join(nicks, " "))
	}
	want := "moderator: ~firstwitch &Zed|participant: +bob &secondwitch thirdwitch|visitor: Alice"
	if s := strings.Join(got, "|"); s != want {
		t.Errorf("got  %s\nwant %s", s, want)
	}
}

func TestMentions(t *testing.T) {
	tests := []struct {
		body string
		want bool
	}{
		{"Thirdwitch: hi", true}, {"hi @thirdwitch!", true}, {"thirdwitches", false}, {"xthirdwitch", false},
		{"THE CAULDRON bubbles", true}, {"cauldrons", false}, {"ask [bot] now", true}, {"", false},
		{"Ünïcode thirdwitch", true}, {"thirdwitch_", false},
	}
	for _, tc := range tests {
		if got := Mentions(tc.body, "thirdwitch", []string{"cauldron", "[bot]", " "}); got != tc.want {
			t.Errorf("%q: %v", tc.body, got)
		}
	}
}

func TestEveryStatusCodeReadable(t *testing.T) {
	for _, c := range []int{100, 110, 170, 201, 210, 301, 303, 307, 321, 322, 332, 333} {
		if s := CodeText(c); strings.HasPrefix(s, "Status code") {
			t.Errorf("%d has no text", c)
		}
	}
}
