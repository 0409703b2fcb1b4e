package muc

import (
	"encoding/xml"
	"testing"
	"time"

	"mellium.im/xmpp/jid"
)

func mustEncode(t testing.TB, r xml.TokenReader) string {
	t.Helper()
	s, err := Encode(r)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return s
}

var (
	room     = jid.MustParse("coven@chat.shakespeare.lit")
	occupant = jid.MustParse("coven@chat.shakespeare.lit/thirdwitch")
	since    = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
)

func TestBuilders(t *testing.T) {
	f := &Form{Type: "form", Fields: []Field{
		{Var: "FORM_TYPE", Type: "hidden", Values: []string{"http://jabber.org/protocol/muc#roomconfig"}},
		{Var: "muc#roomconfig_roomname", Type: "text-single", Label: "Name", Values: []string{"A Dark Cave"}},
		{Type: "fixed", Values: []string{"Room settings"}},
	}}
	tests := []struct {
		name string
		got  xml.TokenReader
		want string
	}{
		{"join plain", JoinPresence(occupant, JoinOptions{}),
			`<presence to="coven@chat.shakespeare.lit/thirdwitch"><x xmlns="http://jabber.org/protocol/muc"></x></presence>`},
		{"join password history", JoinPresence(occupant, JoinOptions{Password: "cauldronburn", History: History{MaxStanzas: 20, Since: since}}),
			`<presence to="coven@chat.shakespeare.lit/thirdwitch"><x xmlns="http://jabber.org/protocol/muc"><history maxstanzas="20" since="1970-01-01T00:00:00Z"></history><password>cauldronburn</password></x></presence>`},
		{"join no history, away", JoinPresence(occupant, JoinOptions{History: History{None: true, Since: since}, Show: "away", Status: "brb"}),
			`<presence to="coven@chat.shakespeare.lit/thirdwitch"><show>away</show><status>brb</status><x xmlns="http://jabber.org/protocol/muc"><history maxstanzas="0"></history></x></presence>`},
		{"leave", LeavePresence(occupant, "gone"),
			`<presence to="coven@chat.shakespeare.lit/thirdwitch" type="unavailable"><status>gone</status></presence>`},
		{"groupchat", GroupchatMessage(occupant, "m1", "Harpier cries"),
			`<message to="coven@chat.shakespeare.lit" type="groupchat" id="m1"><body>Harpier cries</body><origin-id xmlns="urn:xmpp:sid:0" id="m1"></origin-id></message>`},
		{"subject", SubjectMessage(room, "s1", "Fire Burn"),
			`<message to="coven@chat.shakespeare.lit" type="groupchat" id="s1"><subject>Fire Burn</subject></message>`},
		{"pm", PrivateMessage(occupant, "p1", "hi"),
			`<message to="coven@chat.shakespeare.lit/thirdwitch" type="chat" id="p1"><body>hi</body><x xmlns="http://jabber.org/protocol/muc#user"></x><origin-id xmlns="urn:xmpp:sid:0" id="p1"></origin-id></message>`},
		{"mediated invite", MediatedInvite(room, jid.MustParse("hecate@shakespeare.lit"), "i1", "Hey Hecate"),
			`<message to="coven@chat.shakespeare.lit" id="i1"><x xmlns="http://jabber.org/protocol/muc#user"><invite to="hecate@shakespeare.lit"><reason>Hey Hecate</reason></invite></x></message>`},
		{"direct invite", DirectInvite(jid.MustParse("hecate@shakespeare.lit"), room, "i2", "cauldronburn", "Hey"),
			`<message to="hecate@shakespeare.lit" id="i2"><x xmlns="jabber:x:conference" jid="coven@chat.shakespeare.lit" password="cauldronburn" reason="Hey"></x></message>`},
		{"kick", Kick(room, "pistol", "Avaunt").Stanza("k1"),
			`<iq type="set" to="coven@chat.shakespeare.lit" id="k1"><query xmlns="http://jabber.org/protocol/muc#admin"><item nick="pistol" role="none"><reason>Avaunt</reason></item></query></iq>`},
		{"voice", SetRole(room, "pistol", RoleParticipant, "").Stanza("v1"),
			`<iq type="set" to="coven@chat.shakespeare.lit" id="v1"><query xmlns="http://jabber.org/protocol/muc#admin"><item nick="pistol" role="participant"></item></query></iq>`},
		{"ban", Ban(room, jid.MustParse("earlofcambridge@shakespeare.lit/stabber"), "Treason").Stanza("b1"),
			`<iq type="set" to="coven@chat.shakespeare.lit" id="b1"><query xmlns="http://jabber.org/protocol/muc#admin"><item affiliation="outcast" jid="earlofcambridge@shakespeare.lit"><reason>Treason</reason></item></query></iq>`},
		{"member list", AffiliationList(room, AffiliationMember).Stanza("l1"),
			`<iq type="get" to="coven@chat.shakespeare.lit" id="l1"><query xmlns="http://jabber.org/protocol/muc#admin"><item affiliation="member"></item></query></iq>`},
		{"config get", ConfigGet(room).Stanza("c1"),
			`<iq type="get" to="coven@chat.shakespeare.lit" id="c1"><query xmlns="http://jabber.org/protocol/muc#owner"></query></iq>`},
		{"config submit", ConfigSubmit(room, f).Stanza("c2"),
			`<iq type="set" to="coven@chat.shakespeare.lit" id="c2"><query xmlns="http://jabber.org/protocol/muc#owner"><x xmlns="jabber:x:data" type="submit"><field var="FORM_TYPE"><value>http://jabber.org/protocol/muc#roomconfig</value></field><field var="muc#roomconfig_roomname"><value>A Dark Cave</value></field></x></query></iq>`},
		{"instant", InstantRoom(room).Stanza("c3"),
			`<iq type="set" to="coven@chat.shakespeare.lit" id="c3"><query xmlns="http://jabber.org/protocol/muc#owner"><x xmlns="jabber:x:data" type="submit"></x></query></iq>`},
		{"cancel", CancelConfig(room).Stanza("c4"),
			`<iq type="set" to="coven@chat.shakespeare.lit" id="c4"><query xmlns="http://jabber.org/protocol/muc#owner"><x xmlns="jabber:x:data" type="cancel"></x></query></iq>`},
		{"destroy", DestroyRoom(room, "coven@chat.shakespeare.lit", "Macbeth doth come").Stanza("d1"),
			`<iq type="set" to="coven@chat.shakespeare.lit" id="d1"><query xmlns="http://jabber.org/protocol/muc#owner"><destroy jid="coven@chat.shakespeare.lit"><reason>Macbeth doth come</reason></destroy></query></iq>`},
		{"rooms", DiscoItems(jid.MustParse("chat.shakespeare.lit")).Stanza("r1"),
			`<iq type="get" to="chat.shakespeare.lit" id="r1"><query xmlns="http://jabber.org/protocol/disco#items"></query></iq>`},
		{"self-ping", SelfPing(occupant).Stanza("sp"),
			`<iq type="get" to="coven@chat.shakespeare.lit/thirdwitch" id="sp"><ping xmlns="urn:xmpp:ping"></ping></iq>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := mustEncode(t, tc.got); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestBuilderEscapesText(t *testing.T) {
	got := mustEncode(t, GroupchatMessage(room, "x", `</body><evil/>&`))
	want := `<message to="coven@chat.shakespeare.lit" type="groupchat" id="x"><body>&lt;/body&gt;&lt;evil/&gt;&amp;</body><origin-id xmlns="urn:xmpp:sid:0" id="x"></origin-id></message>`
	if got != want {
		t.Errorf("got %s", got)
	}
}

func TestNickPresence(t *testing.T) {
	p, err := NickPresence(occupant, "oldhag")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := mustEncode(t, p), `<presence to="coven@chat.shakespeare.lit/oldhag"></presence>`; got != want {
		t.Errorf("got %s want %s", got, want)
	}
	for _, bad := range []string{"", "   ", "a\x1b[31mb", string(make([]byte, 1024))} {
		if _, err := NickPresence(room, bad); err == nil {
			t.Errorf("nick %q accepted", bad)
		}
	}
}

func TestIQPayloadIsFresh(t *testing.T) {
	q := Kick(room, "pistol", "")
	a, b := mustEncode(t, q.Payload()), mustEncode(t, q.Payload())
	if a != b || a == "" {
		t.Errorf("payload not repeatable: %q then %q", a, b)
	}
}
