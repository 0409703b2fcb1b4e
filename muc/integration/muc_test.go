package integration

import (
	"strings"
	"testing"
	"time"

	"chat/internal/prosodytest"
	"chat/muc"

	"mellium.im/xmpp/jid"
)

func TestRoomLifeOnProsody(t *testing.T) { roomLife(t, prosodytest.Require(t, srv)) }

func TestRoomLifeOnEjabberd(t *testing.T) { roomLife(t, ejabberd.Get(t)) }

// roomLife drives one room through its life with muc's builders, parsers
// and state only, as two (then three) users.
func roomLife(t *testing.T, s mucServer) {
	alice, bob := login(t, s, "alice"), login(t, s, "bob")
	room := must(jid.New("coven-"+strings.ToLower(t.Name()), s.MUCDomain(), ""))
	bare := room.String()

	// Alice creates the room.
	p, err := alice.rooms.Join(room, "alice", muc.JoinOptions{History: muc.History{MaxStanzas: 20}}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	alice.send(p)
	ev := alice.expect(bare, muc.KindJoined)
	if !ev.Created || ev.Occupant.Affiliation != muc.AffiliationOwner {
		t.Errorf("alice joined: %+v", ev)
	}
	alice.expect(bare, muc.KindSubject)

	// Bob asks for alice's nick and is renamed by the retry.
	p, _ = bob.rooms.Join(room, "alice", muc.JoinOptions{}, time.Now())
	bob.send(p)
	ev = bob.expect(bare, muc.KindNickConflict)
	if ev.NewNick != "alice_" || ev.Action != muc.ActionRejoin {
		t.Fatalf("conflict: %+v", ev)
	}
	p, _ = bob.rooms.JoinPresence(bare)
	bob.send(p)
	bob.expect(bare, muc.KindJoined)
	if r, _ := bob.rooms.Room(bare); r.Len() != 2 {
		t.Errorf("bob sees %d occupants", r.Len())
	}
	alice.expect(bare, muc.KindOccupantJoined)

	// A message is reflected once to alice and reaches bob live.
	msg, err := alice.rooms.Say(bare, "m-1", "hello alice_")
	if err != nil {
		t.Fatal(err)
	}
	alice.send(msg)
	alice.expect(bare, muc.KindOwnEcho)
	ev = bob.expect(bare, muc.KindMessage)
	if ev.History || !ev.Highlight || ev.Message.StanzaIDBy(bare) == "" {
		t.Errorf("bob got %+v (%+v)", ev, ev.Message)
	}

	// Self-ping: still joined.
	r, err := muc.ParseIQReply(alice.iq(muc.SelfPing(must(room.WithResource("alice")))))
	if err != nil {
		t.Fatal(err)
	}
	if v := muc.SelfPingVerdict(r.Type, cond(r.Error)); v != muc.PingJoined {
		t.Errorf("self-ping verdict %d (%+v)", v, r)
	}

	// The configuration form, one field set, submitted.
	f, err := muc.ParseForm(alice.iq(muc.ConfigGet(room)))
	if err != nil {
		t.Fatal(err)
	}
	if f.Field("muc#roomconfig_roomname") == nil {
		t.Fatalf("no room name field in %+v", f)
	}
	if err := f.Set("muc#roomconfig_roomname", "A Dark Cave"); err != nil {
		t.Fatal(err)
	}
	if err := f.Set("muc#roomconfig_publicroom", "true"); err != nil {
		t.Fatal(err)
	}
	if r, err := muc.ParseIQReply(alice.iq(muc.ConfigSubmit(room, f))); err != nil || r.Type != "result" {
		t.Fatalf("config submit: %+v %v", r, err)
	}

	// The room is listed by the service; alice is its owner.
	items, err := muc.ParseDiscoItems(alice.iq(muc.DiscoItems(jid.MustParse(s.MUCDomain()))))
	if err != nil || !hasRoom(items, bare) {
		t.Errorf("rooms %+v %v", items, err)
	}
	owners, err := muc.ParseAffiliationList(alice.iq(muc.AffiliationList(room, muc.AffiliationOwner)))
	if err != nil || len(owners) != 1 || jid.MustParse(owners[0].JID).Bare().String() != alice.sess.LocalAddr().Bare().String() {
		t.Errorf("owners %+v %v", owners, err)
	}

	// Alice kicks bob: bob is told who and why and can rejoin.
	if r, err := muc.ParseIQReply(alice.iq(muc.Kick(room, "alice_", "Avaunt"))); err != nil || r.Type != "result" {
		t.Fatalf("kick: %+v %v", r, err)
	}
	ev = bob.expect(bare, muc.KindKicked)
	if !ev.Self || ev.Reason != "Avaunt" {
		t.Errorf("kick seen by bob: %+v", ev)
	}
	if got, want := ev.Text(), "You have been kicked by alice: Avaunt"; got != want {
		t.Errorf("kick line %q, want %q", got, want)
	}
	ev = alice.expect(bare, muc.KindKicked)
	if ev.Self || ev.Nick != "alice_" {
		t.Errorf("kick seen by alice: %+v", ev)
	}
	// Bob's self-ping now says he is out.
	r, err = muc.ParseIQReply(bob.iq(muc.SelfPing(must(room.WithResource("alice_")))))
	if err != nil || muc.SelfPingVerdict(r.Type, cond(r.Error)) != muc.PingDropped {
		t.Errorf("self-ping after kick: %+v %v", r, err)
	}
	p, err = bob.rooms.Join(room, "bob", muc.JoinOptions{}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	bob.send(p)
	bob.expect(bare, muc.KindJoined)
	// History now comes with the room's delay and is told apart.
	bob2 := login(t, s, "bob2")
	p, _ = bob2.rooms.Join(room, "bob2", muc.JoinOptions{}, time.Now())
	bob2.send(p)
	ev = bob2.expect(bare, muc.KindMessage)
	if !ev.History || ev.Message.Body != "hello alice_" {
		t.Errorf("history: %+v", ev)
	}
	bob2.expect(bare, muc.KindSubject)

	// Alice destroys the room; bob is told where to go.
	if r, err := muc.ParseIQReply(alice.iq(muc.DestroyRoom(room, "", "Macbeth doth come"))); err != nil || r.Type != "result" {
		t.Fatalf("destroy: %+v %v", r, err)
	}
	ev = bob.expect(bare, muc.KindDestroyed)
	if ev.Destroy == nil || ev.Destroy.Reason != "Macbeth doth come" {
		t.Errorf("destroy: %+v", ev)
	}
	if r, _ := bob.rooms.Room(bare); r.State != muc.StateDestroyed {
		t.Errorf("bob's room state %s", r.State)
	}
}

func must(j jid.JID, err error) jid.JID {
	if err != nil {
		panic(err)
	}
	return j
}

func cond(e *muc.Error) string {
	if e == nil {
		return ""
	}
	return e.Condition
}

func hasRoom(items []muc.DiscoItem, bare string) bool {
	for _, it := range items {
		if it.JID == bare && strings.HasPrefix(it.Name, "A Dark Cave") { // ejabberd adds " (2)", the occupant count
			return true
		}
	}
	return false
}
