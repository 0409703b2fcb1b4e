package muc

import (
	"encoding/xml"
	"reflect"
	"strings"
	"testing"
	"time"
)

func dec(s string) xml.TokenReader { return xml.NewDecoder(strings.NewReader(s)) }

func mustPresence(t testing.TB, s string) Presence {
	t.Helper()
	p, err := ParsePresence(dec(s))
	if err != nil {
		t.Fatalf("parse %s: %v", s, err)
	}
	return p
}

func mustMessage(t testing.TB, s string) Message {
	t.Helper()
	m, err := ParseMessage(dec(s))
	if err != nil {
		t.Fatalf("parse %s: %v", s, err)
	}
	return m
}

// Presences as XEP-0045, Prosody 0.12 and ejabberd 23 send them.
var presenceCases = []struct {
	name, xml string
	want      Presence
}{
	{"xep-0045 ex 27 self, non-anonymous, logged", `<presence xmlns='jabber:client' from='coven@chat.shakespeare.lit/thirdwitch' id='n13mt3l' to='hag66@shakespeare.lit/pda'>
  <x xmlns='http://jabber.org/protocol/muc#user'>
    <item affiliation='member' jid='hag66@shakespeare.lit/pda' role='participant'/>
    <status code='100'/><status code='110'/><status code='170'/><status code='210'/>
  </x></presence>`, Presence{ID: "n13mt3l", MUCUser: true,
		Item:  Item{Role: RoleParticipant, Affiliation: AffiliationMember, JID: "hag66@shakespeare.lit/pda"},
		Codes: []int{100, 110, 170, 210}}},
	{"prosody occupant with show and caps", `<presence xmlns='jabber:client' from='coven@chat.shakespeare.lit/firstwitch' to='hag66@shakespeare.lit/pda'>
  <show>away</show><status>stirring</status><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='http://gajim.org' ver='abc='/>
  <x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='owner' role='moderator'/></x></presence>`,
		Presence{Show: "away", Status: "stirring", MUCUser: true, Item: Item{Role: RoleModerator, Affiliation: AffiliationOwner}}},
	{"xep-0045 ex 91 kicked with actor", `<presence from='harfleur@chat.shakespeare.lit/pistol' to='pistol@shakespeare.lit/harfleur' type='unavailable'>
  <x xmlns='http://jabber.org/protocol/muc#user'>
    <item affiliation='none' role='none'><actor nick='Fluellen'/><reason>Avaunt, you cullion!</reason></item>
    <status code='110'/><status code='307'/>
  </x></presence>`, Presence{Type: "unavailable", MUCUser: true,
		Item:  Item{Actor: "Fluellen", Reason: "Avaunt, you cullion!"},
		Codes: []int{110, 307}}},
	{"xep-0045 ex 117 banned, actor by jid", `<presence from='southampton@chat.shakespeare.lit/cambridge' to='earlofcambridge@shakespeare.lit/stabber' type='unavailable'>
  <x xmlns='http://jabber.org/protocol/muc#user'>
    <item affiliation='outcast' role='none'><actor jid='kinghenryv@shakespeare.lit'/><reason>Treason</reason></item>
    <status code='301'/></x></presence>`, Presence{Type: "unavailable", MUCUser: true,
		Item:  Item{Affiliation: AffiliationOutcast, Actor: "kinghenryv@shakespeare.lit", Reason: "Treason"},
		Codes: []int{301}}},
	{"xep-0045 ex 50 nick change", `<presence from='coven@chat.shakespeare.lit/thirdwitch' id='5C2A8CF9' to='crone1@shakespeare.lit/desktop' type='unavailable'>
  <x xmlns='http://jabber.org/protocol/muc#user'>
    <item affiliation='member' jid='hag66@shakespeare.lit/pda' nick='oldhag' role='participant'/>
    <status code='303'/></x></presence>`, Presence{ID: "5C2A8CF9", Type: "unavailable", MUCUser: true,
		Item:  Item{Role: RoleParticipant, Affiliation: AffiliationMember, JID: "hag66@shakespeare.lit/pda", Nick: "oldhag"},
		Codes: []int{303}}},
	{"xep-0045 ex 211 destroyed", `<presence from='heath@chat.shakespeare.lit/firstwitch' to='crone1@shakespeare.lit/desktop' type='unavailable'>
  <x xmlns='http://jabber.org/protocol/muc#user'>
    <item affiliation='none' role='none'/>
    <destroy jid='coven@chat.shakespeare.lit'><reason>Macbeth doth come.</reason></destroy>
  </x></presence>`, Presence{Type: "unavailable", MUCUser: true,
		Destroy: &Destroy{Alternate: "coven@chat.shakespeare.lit", Reason: "Macbeth doth come."}}},
	{"xep-0045 ex 22 nick conflict", `<presence from='coven@chat.shakespeare.lit/thirdwitch' id='n13mt3l' to='hag66@shakespeare.lit/pda' type='error'>
  <x xmlns='http://jabber.org/protocol/muc'/>
  <error by='coven@chat.shakespeare.lit' type='cancel'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>`,
		Presence{ID: "n13mt3l", Type: "error", Error: &Error{Type: "cancel", Condition: "conflict"}}},
	{"prosody password required", `<presence xmlns='jabber:client' type='error' from='secret@conference.localhost/me'>
  <error type='auth'><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>A password is required to enter this room</text></error>
  <x xmlns='http://jabber.org/protocol/muc'/></presence>`,
		Presence{Type: "error", Error: &Error{Type: "auth", Condition: "not-authorized", Text: "A password is required to enter this room"}}},
	{"ejabberd members-only", `<presence xmlns='jabber:client' from='club@conference.localhost/me' type='error'><error code='407' type='auth'><registration-required xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><text xml:lang='en' xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>Membership is required to enter this room</text></error></presence>`,
		Presence{Type: "error", Error: &Error{Type: "auth", Condition: "registration-required", Text: "Membership is required to enter this room"}}},
	{"xep-0410 333 technical removal", `<presence from='coven@chat.shakespeare.lit/thirdwitch' type='unavailable'><x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='member' role='none'/><status code='110'/><status code='333'/></x></presence>`,
		Presence{Type: "unavailable", MUCUser: true, Item: Item{Affiliation: AffiliationMember}, Codes: []int{110, 333}}},
	{"junk codes and roles dropped", `<presence from='coven@chat.shakespeare.lit/x'><x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='god' role='emperor'/><status code='abc'/><status code='99'/><status code='1000'/><status code='201'/></x></presence>`,
		Presence{MUCUser: true, Codes: []int{201}}},
	{"muc#user in another namespace is not muc", `<presence from='coven@chat.shakespeare.lit/x'><x xmlns='urn:example:fake'><status code='110'/></x></presence>`,
		Presence{}},
}

func TestParsePresence(t *testing.T) {
	for _, tc := range presenceCases {
		t.Run(tc.name, func(t *testing.T) {
			got := mustPresence(t, tc.xml)
			got.From = tc.want.From
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestParsePresenceRefuses(t *testing.T) {
	many := "<presence from='r@s/n'><x xmlns='http://jabber.org/protocol/muc#user'>" + strings.Repeat("<status code='110'/>", 5000) + "</x></presence>"
	for name, s := range map[string]string{
		"bad from":     `<presence from='@@'/>`,
		"not xml":      `<presence from='a@b/c'`,
		"token flood":  many,
		"huge text":    "<presence from='r@s/n'><status>" + strings.Repeat("a", maxBytes+1) + "</status></presence>",
		"empty stream": ``,
	} {
		if _, err := ParsePresence(dec(s)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	p := mustPresence(t, "<presence from='r@s/n'><x xmlns='http://jabber.org/protocol/muc#user'>"+strings.Repeat("<status code='110'/>", 100)+"</x></presence>")
	if len(p.Codes) != maxCodes {
		t.Errorf("kept %d codes, want %d", len(p.Codes), maxCodes)
	}
}

func TestParseMessage(t *testing.T) {
	stamp := time.Date(2002, 10, 13, 23, 58, 37, 0, time.UTC)
	tests := []struct {
		name, xml string
		want      Message
	}{
		{"xep-0045 ex 37 history with delay from room", `<message from='coven@chat.shakespeare.lit/firstwitch' id='162BEBB1-F6DB-4D9A-9BD8-CFDCC801A0B2' to='hecate@shakespeare.lit/broom' type='groupchat'>
  <body>Thrice the brinded cat hath mew'd.</body>
  <delay xmlns='urn:xmpp:delay' from='coven@chat.shakespeare.lit' stamp='2002-10-13T23:58:37Z'/></message>`,
			Message{ID: "162BEBB1-F6DB-4D9A-9BD8-CFDCC801A0B2", Type: "groupchat", Body: "Thrice the brinded cat hath mew'd.",
				Delay: &Delay{Stamp: stamp, From: "coven@chat.shakespeare.lit"}}},
		{"prosody live with stanza-id and origin-id", `<message xmlns='jabber:client' type='groupchat' id='m1' from='coven@chat.shakespeare.lit/thirdwitch' to='hag66@shakespeare.lit/pda'>
  <body>hi</body><origin-id xmlns='urn:xmpp:sid:0' id='m1'/>
  <stanza-id xmlns='urn:xmpp:sid:0' id='5f3dbc5e' by='coven@chat.shakespeare.lit'/>
  <stanza-id xmlns='urn:xmpp:sid:0' id='forged' by='hag66@shakespeare.lit'/></message>`,
			Message{ID: "m1", Type: "groupchat", Body: "hi", OriginID: "m1",
				StanzaIDs: []StanzaID{{"5f3dbc5e", "coven@chat.shakespeare.lit"}, {"forged", "hag66@shakespeare.lit"}}}},
		{"xep-0045 ex 40 subject", `<message from='coven@chat.shakespeare.lit/secondwitch' id='F437C672-D438-4BD3-9BFF-091050D32EE2' to='crone1@shakespeare.lit/desktop' type='groupchat'>
  <subject>Fire Burn and Cauldron Bubble!</subject></message>`,
			Message{ID: "F437C672-D438-4BD3-9BFF-091050D32EE2", Type: "groupchat", Subject: "Fire Burn and Cauldron Bubble!", HasSubject: true}},
		{"empty subject clears", `<message from='coven@chat.shakespeare.lit/secondwitch' type='groupchat'><subject/></message>`,
			Message{Type: "groupchat", HasSubject: true}},
		{"xep-0045 ex 57 mediated invite", `<message from='coven@chat.shakespeare.lit' id='nzd143v8' to='hecate@shakespeare.lit'>
  <x xmlns='http://jabber.org/protocol/muc#user'>
    <invite from='crone1@shakespeare.lit/desktop'><reason>Hey Hecate, this is the place for all good witches!</reason></invite>
    <password>cauldronburn</password></x></message>`,
			Message{ID: "nzd143v8", MUCUser: true, Invite: &Invite{Room: "coven@chat.shakespeare.lit", From: "crone1@shakespeare.lit/desktop",
				Reason: "Hey Hecate, this is the place for all good witches!", Password: "cauldronburn"}}},
		{"xep-0249 direct invite", `<message from='crone1@shakespeare.lit/desktop' to='hecate@shakespeare.lit'>
  <x xmlns='jabber:x:conference' jid='darkcave@macbeth.shakespeare.lit' password='cauldronburn' reason='Hey Hecate, this is the place for all good witches!'/></message>`,
			Message{Invite: &Invite{Room: "darkcave@macbeth.shakespeare.lit", From: "crone1@shakespeare.lit/desktop",
				Reason: "Hey Hecate, this is the place for all good witches!", Password: "cauldronburn", Direct: true}}},
		{"xep-0045 ex 61 decline", `<message from='coven@chat.shakespeare.lit' id='jk2vs61v' to='crone1@shakespeare.lit/desktop'>
  <x xmlns='http://jabber.org/protocol/muc#user'><decline from='hecate@shakespeare.lit'><reason>Sorry, I'm too busy right now.</reason></decline></x></message>`,
			Message{ID: "jk2vs61v", MUCUser: true, Declined: "hecate@shakespeare.lit"}},
		{"xep-0045 ex 188 config change notice", `<message from='coven@chat.shakespeare.lit' id='80349046-F26A-44F3-A7A6-54825064DD9E' to='crone1@shakespeare.lit/desktop' type='groupchat'>
  <x xmlns='http://jabber.org/protocol/muc#user'><status code='170'/></x></message>`,
			Message{ID: "80349046-F26A-44F3-A7A6-54825064DD9E", Type: "groupchat", MUCUser: true, Codes: []int{170}}},
		{"error forbidden", `<message from='coven@chat.shakespeare.lit' type='error' id='e1'><error type='auth'><forbidden xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>`,
			Message{ID: "e1", Type: "error", Error: &Error{Type: "auth", Condition: "forbidden"}}},
		{"bad delay stamp ignored", `<message from='coven@chat.shakespeare.lit/a' type='groupchat'><body>x</body><delay xmlns='urn:xmpp:delay' stamp='yesterday'/></message>`,
			Message{Type: "groupchat", Body: "x"}},
		{"bad direct invite room ignored", `<message from='a@b/c'><x xmlns='jabber:x:conference' jid='@@'/></message>`, Message{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := mustMessage(t, tc.xml)
			got.From = tc.want.From
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestParseMessageBoundsStanzaIDs(t *testing.T) {
	m := mustMessage(t, "<message from='r@s/n' type='groupchat'>"+strings.Repeat("<stanza-id xmlns='urn:xmpp:sid:0' id='x' by='r@s'/>", 50)+"</message>")
	if len(m.StanzaIDs) != maxStanzaIDs {
		t.Errorf("kept %d stanza-ids", len(m.StanzaIDs))
	}
}

func TestParseIQReplyAndSelfPing(t *testing.T) {
	tests := []struct {
		xml  string
		want PingVerdict
	}{
		{`<iq from='coven@chat.shakespeare.lit/thirdwitch' id='sp' type='result'/>`, PingJoined},
		{`<iq from='coven@chat.shakespeare.lit/thirdwitch' id='sp' type='error'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`, PingJoined},
		{`<iq from='coven@chat.shakespeare.lit/thirdwitch' id='sp' type='error'><error type='cancel'><feature-not-implemented xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`, PingJoined},
		{`<iq from='coven@chat.shakespeare.lit/thirdwitch' id='sp' type='error'><error type='modify'><not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>Only occupants are allowed to send messages to the conference</text></error></iq>`, PingDropped},
		{`<iq from='coven@chat.shakespeare.lit/thirdwitch' id='sp' type='error'><error type='cancel'><not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`, PingDropped},
		{`<iq from='coven@chat.shakespeare.lit/thirdwitch' id='sp' type='error'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`, PingDropped},
		{`<iq from='coven@chat.shakespeare.lit/thirdwitch' id='sp' type='error'><error type='wait'><remote-server-timeout xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`, PingUnknown},
		{`<iq from='coven@chat.shakespeare.lit/thirdwitch' id='sp' type='get'/>`, PingUnknown},
	}
	for _, tc := range tests {
		r, err := ParseIQReply(dec(tc.xml))
		if err != nil {
			t.Fatal(err)
		}
		cond := ""
		if r.Error != nil {
			cond = r.Error.Condition
		}
		if got := SelfPingVerdict(r.Type, cond); got != tc.want || r.ID != "sp" {
			t.Errorf("%s: verdict %d id %q, want %d", tc.xml, got, r.ID, tc.want)
		}
	}
}

func TestParseDiscoItems(t *testing.T) {
	items, err := ParseDiscoItems(dec(`<iq from='chat.shakespeare.lit' id='zb8q41f4' to='hag66@shakespeare.lit/pda' type='result'>
  <query xmlns='http://jabber.org/protocol/disco#items'>
    <item jid='heath@chat.shakespeare.lit' name='A Lonely Heath'/>
    <item jid='coven@chat.shakespeare.lit' name='A Dark Cave'/>
  </query></iq>`))
	want := []DiscoItem{{"heath@chat.shakespeare.lit", "A Lonely Heath"}, {"coven@chat.shakespeare.lit", "A Dark Cave"}}
	if err != nil || !reflect.DeepEqual(items, want) {
		t.Errorf("got %v, %v", items, err)
	}
	if _, err := ParseDiscoItems(dec(`<iq type='error'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`)); err == nil || !strings.Contains(err.Error(), "service-unavailable") {
		t.Errorf("error reply: %v", err)
	}
}

func TestParseAffiliationList(t *testing.T) {
	items, err := ParseAffiliationList(dec(`<iq from='coven@chat.shakespeare.lit' id='ban2' to='kinghenryv@shakespeare.lit/throne' type='result'>
  <query xmlns='http://jabber.org/protocol/muc#admin'>
    <item affiliation='outcast' jid='earlofcambridge@shakespeare.lit'><reason>Treason</reason></item>
  </query></iq>`))
	want := []Item{{Affiliation: AffiliationOutcast, JID: "earlofcambridge@shakespeare.lit", Reason: "Treason"}}
	if err != nil || !reflect.DeepEqual(items, want) {
		t.Errorf("got %+v, %v", items, err)
	}
}
