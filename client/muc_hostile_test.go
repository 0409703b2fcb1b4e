package client

import (
	"strings"
	"testing"
	"time"

	"chat/event"
	"chat/muc"

	"mellium.im/xmpp/jid"
)

// These tests feed room stanzas to the handler without a server.

const testRoom = "lobby@conference.example.net"

// joinedRig is a rig whose engine is in testRoom as "me", with "bob" there.
func joinedRig(t testing.TB) *rig {
	t.Helper()
	r := newRig(t)
	r.e.rooms.with(func(rs *muc.Rooms) {
		if _, err := rs.Join(jid.MustParse(testRoom), "me", muc.JoinOptions{}, time.Now()); err != nil {
			t.Fatal(err)
		}
	})
	r.feed(t, `<presence from='`+testRoom+`/bob'><x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='none' role='participant'/></x></presence>`)
	r.feed(t, `<presence from='`+testRoom+`/me'><x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='none' role='participant'/><status code='110'/></x></presence>`)
	evs := r.events()
	if len(evs) != 2 {
		t.Fatalf("join: %+v", evs)
	}
	if _, ok := evs[1].(event.RoomJoined); !ok {
		t.Fatalf("join: %+v", evs)
	}
	return r
}

func TestRoomGroupchatFromOutsideDropped(t *testing.T) {
	r := joinedRig(t)
	for _, from := range []string{"other@conference.example.net/bob", "mallory@example.net/x", "conference.example.net"} {
		r.feed(t, `<message from='`+from+`' type='groupchat'><body>fake</body></message>`)
		none(t, r)
	}
}

func TestRoomMessageAndOwnEchoOnce(t *testing.T) {
	r := joinedRig(t)
	r.feed(t, `<message from='`+testRoom+`/bob' type='groupchat' id='1'><body>hi me</body><stanza-id xmlns='urn:xmpp:sid:0' id='s1' by='`+testRoom+`'/></message>`)
	m := one[event.Message](t, r)
	if m.Room != testRoom || m.Peer != testRoom || m.Nick != "bob" || m.StanzaID != "s1" || !m.Highlight || m.Outgoing {
		t.Errorf("message: %+v", m)
	}
	// The same stanza-id again (a rejoin's history) is not shown twice.
	r.feed(t, `<message from='`+testRoom+`/bob' type='groupchat' id='1'><body>hi me</body><stanza-id xmlns='urn:xmpp:sid:0' id='s1' by='`+testRoom+`'/></message>`)
	none(t, r)
	// Our own message, reflected, is not shown again.
	r.e.rooms.with(func(rs *muc.Rooms) {
		if _, err := rs.Say(testRoom, "o1", "mine"); err != nil {
			t.Fatal(err)
		}
	})
	r.feed(t, `<message from='`+testRoom+`/me' type='groupchat'><body>mine</body><origin-id xmlns='urn:xmpp:sid:0' id='o1'/></message>`)
	none(t, r)
}

func TestRoomPresenceFromUnknownRoomIsOrdinary(t *testing.T) {
	r := joinedRig(t)
	// A forged kick of us from a room we never joined, and a status code
	// from a plain contact: ordinary presences, not room events.
	r.feed(t, `<presence from='never@conference.example.net/me' type='unavailable'><x xmlns='http://jabber.org/protocol/muc#user'><item role='none'/><status code='307'/><status code='110'/></x></presence>`)
	if p := one[event.Presence](t, r); p.Available {
		t.Errorf("%+v", p)
	}
	r.feed(t, `<presence from='bob@example.net/r' type='unavailable'><x xmlns='http://jabber.org/protocol/muc#user'><status code='301'/></x></presence>`)
	one[event.Presence](t, r)
	// A kick claimed from inside our room but by another occupant is about
	// that occupant, not us.
	r.feed(t, `<presence from='`+testRoom+`/bob' type='unavailable'><x xmlns='http://jabber.org/protocol/muc#user'><item role='none'><reason>r</reason></item><status code='307'/></x></presence>`)
	if o := one[event.Occupant](t, r); o.Self || o.Change != event.OccupantKicked || o.Nick != "bob" {
		t.Errorf("%+v", o)
	}
	if !r.e.InRoom(testRoom) {
		t.Error("no longer in the room after someone else's kick")
	}
}

func TestRoomNickConflictRetries(t *testing.T) {
	r := newRig(t)
	r.e.rooms.with(func(rs *muc.Rooms) {
		if _, err := rs.Join(jid.MustParse(testRoom), "me", muc.JoinOptions{}, time.Now()); err != nil {
			t.Fatal(err)
		}
	})
	r.feed(t, `<presence from='`+testRoom+`/me' type='error'><error type='cancel'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>`)
	n := one[event.RoomNotice](t, r)
	if n.What != event.NoticeNickConflict || !strings.Contains(n.Text, "me_") {
		t.Errorf("%+v", n)
	}
	r.s.mu.Lock()
	queued := len(r.s.pending)
	r.s.mu.Unlock()
	if queued != 1 {
		t.Errorf("%d stanzas queued, want the rejoin", queued)
	}
}
