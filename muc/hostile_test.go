package muc

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

func TestHostile(t *testing.T) {
	rs := joined(t)
	refusedP := map[string]string{
		"forged 110 from a non-room JID": `<presence from='mallory@evil.example/thirdwitch'><x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='owner' role='moderator'/><status code='110'/><status code='307'/></x></presence>`,
		"room we never joined":           occ("x", "moderator", "owner", `<status code='201'/>`),
		"codes from the bare room":       `<presence from='coven@chat.shakespeare.lit' type='unavailable'><x xmlns='http://jabber.org/protocol/muc#user'><status code='110'/><status code='301'/></x></presence>`,
		"error from another occupant":    `<presence type='error' from='coven@chat.shakespeare.lit/firstwitch'><error type='cancel'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>`,
	}
	refusedP["room we never joined"] = strings.Replace(refusedP["room we never joined"], coven, "other@chat.shakespeare.lit", 1)
	for name, s := range refusedP {
		if _, err := rs.ApplyPresence(mustPresence(t, s), t0); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	refusedM := map[string]string{
		"groupchat from outside":   `<message from='mallory@evil.example/firstwitch' type='groupchat'><body>hi</body></message>`,
		"groupchat from non-room":  `<message from='chat.shakespeare.lit/coven' type='groupchat'><body>hi</body></message>`,
		"mediated invite via nick": `<message from='coven@chat.shakespeare.lit/firstwitch'><x xmlns='http://jabber.org/protocol/muc#user'><invite from='a@b'/></x></message>`,
	}
	for name, s := range refusedM {
		if _, err := rs.ApplyMessage(mustMessage(t, s), t0); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	r, _ := rs.Room(coven)
	if r.State != StateJoined || r.Len() != 3 {
		t.Errorf("hostile stanzas changed the room: %s, %d", r.State, r.Len())
	}
	// A nick with an escape sequence and tview tags: the line keeps the
	// tags as text (the screen escapes them) but no control character.
	const evil = "a\u009d0;pwned\u009cb\u202ec\u009b2J&#x0a;You have been banned"
	ev := applyP(t, rs, `<presence from='coven@chat.shakespeare.lit/[red]x[-]'><status>`+evil+`</status></presence>`)
	if ev.Kind != KindOccupantJoined || ev.Text() != "[red]x[-] joined" {
		t.Fatalf("tview nick: %+v", ev)
	}
	ev = applyP(t, rs, `<presence type='unavailable' from='coven@chat.shakespeare.lit/[red]x[-]'><status>`+evil+`</status></presence>`)
	if got, want := ev.Text(), "[red]x[-] left: a0;pwnedbc2J You have been banned"; got != want {
		t.Errorf("line %q, want %q", got, want)
	}
	ev = applyM(t, rs, `<message from='coven@chat.shakespeare.lit/firstwitch' type='groupchat'><subject>`+evil+`</subject></message>`)
	if s := ev.Text(); strings.ContainsAny(s, "\u009b\u009d\n\u202e") {
		t.Errorf("control characters reach the line: %q", s)
	}
}

func TestHostileNickWithControls(t *testing.T) {
	// The JID parser refuses C1 controls in a nick, so such a presence
	// never reaches the rooms.
	for _, nick := range []string{"a\u0085b", "a\u009b2Jb"} {
		if _, err := ParsePresence(dec("<presence from='" + coven + "/" + nick + "'/>")); err == nil {
			t.Errorf("presence from nick %q parsed", nick)
		}
	}
	for nick, want := range map[string]bool{"thirdwitch": true, "[red]x": true, "a b": true, "": false, "   ": false,
		"a\u0085b": false, "a\x7fb": false, "a\ufffdb": false, strings.Repeat("a", 1024): false} {
		if got := ValidNick(nick); got != want {
			t.Errorf("ValidNick(%q) = %v", nick, got)
		}
	}
}

func TestOccupantFloodBounded(t *testing.T) {
	rs := joined(t)
	r, _ := rs.Room(coven)
	lines := 0
	for i := 0; r.Len() < MaxOccupants; i++ {
		p := mustPresence(t, occ("flood"+strconv.Itoa(i), "participant", "none", ""))
		ev, err := rs.ApplyPresence(p, t0)
		if err != nil {
			t.Fatal(err)
		}
		lines += len(ev.Lines())
	}
	if lines != MaxOccupants-3 {
		t.Errorf("%d lines for %d live joins", lines, MaxOccupants-3)
	}
	if _, err := rs.ApplyPresence(mustPresence(t, occ("one-more", "participant", "none", "")), t0); !errors.Is(err, ErrFull) {
		t.Errorf("past the limit: %v", err)
	}
	// Known occupants still update, and leaving makes room again.
	if _, err := rs.ApplyPresence(mustPresence(t, occ("flood1", "visitor", "none", "")), t0); err != nil {
		t.Errorf("update at the limit: %v", err)
	}
	applyP(t, rs, gone("flood1", ""))
	applyP(t, rs, occ("one-more", "participant", "none", ""))
}

func TestRoomNoticesAndPrivate(t *testing.T) {
	rs := joined(t)
	wantKind(t, applyM(t, rs, `<message from='coven@chat.shakespeare.lit' type='groupchat'><x xmlns='http://jabber.org/protocol/muc#user'><status code='104'/></x></message>`),
		KindNotice, "The room's configuration changed")
	wantKind(t, applyM(t, rs, `<message from='coven@chat.shakespeare.lit' type='groupchat'><body>Server restarts at noon</body></message>`),
		KindNotice, "coven@chat.shakespeare.lit: Server restarts at noon")
	ev := applyM(t, rs, `<message from='coven@chat.shakespeare.lit/firstwitch' type='chat'><body>psst</body><x xmlns='http://jabber.org/protocol/muc#user'/></message>`)
	if ev.Kind != KindPrivate || ev.Nick != "firstwitch" || ev.Message.Body != "psst" {
		t.Errorf("pm %+v", ev)
	}
	wantKind(t, applyM(t, rs, `<message from='coven@chat.shakespeare.lit' type='error'><error type='modify'><not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>`),
		KindMessageError, "Your message to coven@chat.shakespeare.lit was refused: you are not in the room")
	if r, _ := rs.Room(coven); r.State != StateJoining {
		t.Errorf("after not-acceptable the room is %s, not rejoining", r.State)
	}
	rs = joined(t)
	// A bounced private message says nothing about our membership.
	ev = applyM(t, rs, `<message from='coven@chat.shakespeare.lit/gone' type='error'><error type='modify'><not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>`)
	if r, _ := rs.Room(coven); ev.Action != ActionNone || r.State != StateJoined {
		t.Errorf("a PM bounce made us rejoin: %+v", ev)
	}
	wantKind(t, applyM(t, rs, `<message from='coven@chat.shakespeare.lit'><x xmlns='http://jabber.org/protocol/muc#user'><decline from='hecate@shakespeare.lit'/></x></message>`),
		KindDeclined, "hecate@shakespeare.lit declined your invitation to coven@chat.shakespeare.lit")
}

func TestInvitations(t *testing.T) {
	rs := NewRooms()
	ev := applyM(t, rs, `<message from='coven@chat.shakespeare.lit' to='hecate@shakespeare.lit'><x xmlns='http://jabber.org/protocol/muc#user'><invite from='crone1@shakespeare.lit/desktop'><reason>Hey</reason></invite><password>cauldronburn</password></x></message>`)
	wantKind(t, ev, KindInvite, "crone1@shakespeare.lit/desktop invites you to coven@chat.shakespeare.lit (password given): Hey")
	ev = applyM(t, rs, `<message from='crone1@shakespeare.lit/desktop' to='hecate@shakespeare.lit'><x xmlns='jabber:x:conference' jid='darkcave@macbeth.shakespeare.lit'/></message>`)
	wantKind(t, ev, KindInvite, "crone1@shakespeare.lit/desktop invites you to darkcave@macbeth.shakespeare.lit")
	if !ev.Invite.Direct {
		t.Error("direct invite not marked")
	}
}
