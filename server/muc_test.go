package server

import (
	"slices"
	"testing"
)

func TestMUCJoinLockedRoomThenInstant(t *testing.T) {
	ts := startServer(t)
	alice, bob := ts.raw(t, "alice", "a"), ts.raw(t, "bob", "b")
	got := alice.join(room+"/Alice", "")
	self := got[len(got)-2]
	if codes := statusCodes(self); !slices.Equal(codes, []string{"110", "201"}) {
		t.Errorf("creator's self-presence codes %v, want 110 and 201: %s", codes, self.bytes())
	}
	if it := mucItem(self); it.get("affiliation") != "owner" || it.get("role") != "moderator" || it.get("jid") != "alice@localhost/a" {
		t.Errorf("creator's item: %s", self.bytes())
	}
	if cond := bob.joinError(room+"/Bob", ""); cond != "item-not-found" {
		t.Errorf("join of a locked room: %s, want item-not-found", cond)
	}
	if res := alice.iq("set", room, "<query xmlns='"+nsMUCOwner+"'><x xmlns='jabber:x:data' type='submit'/></query>"); res.get("type") != "result" {
		t.Fatalf("instant room: %s", res.bytes())
	}
	got = bob.join(room+"/Bob", "")
	if len(got) != 3 || got[0].get("from") != room+"/Alice" || got[1].get("from") != room+"/Bob" || !isSubject(got[2]) {
		t.Fatalf("bob's join: want alice's presence, his own, the subject; got\n%s", dump(got))
	}
	if it := mucItem(got[0]); it.get("jid") != "" || it.get("affiliation") != "owner" {
		t.Errorf("a participant sees the owner's real JID in a semi-anonymous room: %s", got[0].bytes())
	}
	if codes := statusCodes(got[1]); !slices.Equal(codes, []string{"110"}) {
		t.Errorf("bob's self-presence codes %v, want 110 only", codes)
	}
	p := alice.expect("bob's presence", isPresenceFrom(room+"/Bob", ""))
	if it := mucItem(p); it.get("jid") != "bob@localhost/b" || it.get("role") != "participant" || hasCode(p, "110") {
		t.Errorf("the moderator sees %s", p.bytes())
	}
	bob.write("<presence to='" + room + "/Bob' type='unavailable'><status>bye</status></presence>")
	left := alice.expect("bob leaving", isPresenceFrom(room+"/Bob", "unavailable"))
	if mucItem(left).get("role") != "none" || !hasText(left, "bye") {
		t.Errorf("leave as seen by alice: %s", left.bytes())
	}
	if self := bob.expect("own leave", isPresenceFrom(room+"/Bob", "unavailable")); !hasCode(self, "110") {
		t.Errorf("own leave without 110: %s", self.bytes())
	}
}

func TestMUCPlainPresenceMakesInstantRoom(t *testing.T) {
	ts := startServer(t)
	alice, bob := ts.raw(t, "alice", "a"), ts.raw(t, "bob", "b")
	alice.write("<presence to='" + room + "/Alice'/>")
	self := alice.expect("self-presence", isSelfPresence(room+"/Alice"))
	if !hasCode(self, "201") {
		t.Errorf("no 201: %s", self.bytes())
	}
	bob.join(room+"/Bob", "") // not locked: bob gets in at once
}

func TestMUCGroupchatHistoryAndSubject(t *testing.T) {
	ts := startServer(t)
	alice, bob := ts.raw(t, "alice", "a"), ts.raw(t, "bob", "b")
	alice.instantRoom(t, room+"/Alice")
	bob.write("<message to='" + room + "' type='groupchat'><body>let me in</body></message>")
	if e := bob.expect("refusal", func(n *node) bool { return n.name.Local == "message" }); errorCondition(e) != "not-acceptable" {
		t.Errorf("a non-occupant's message: %s, want not-acceptable", e.bytes())
	}
	alice.write("<message to='" + room + "' type='groupchat'><subject>Today: &lt;b&gt;cake&lt;/b&gt;</subject></message>")
	alice.expect("subject", isSubject)
	for _, b := range []string{"one", "two", "three"} {
		alice.write("<message to='" + room + "' type='groupchat' from='eve@localhost/x'><body>" + b + "</body>" +
			"<stanza-id xmlns='" + nsSID + "' by='" + room + "' id='forged'/></message>")
		m := alice.expect("reflection of "+b, isGroupchat(room+"/Alice", b))
		ids := m.children(nsSID, "stanza-id")
		if len(ids) != 1 || ids[0].get("by") != room || ids[0].get("id") == "forged" || ids[0].get("id") == "" {
			t.Errorf("reflected stanza-ids: %s", m.bytes())
		}
	}
	got := bob.join(room+"/Bob", "<history maxstanzas='2'/>")
	var bodies []string
	for _, n := range got {
		if b := n.child(nsClient, "body"); n.name.Local == "message" && b != nil {
			bodies = append(bodies, b.text())
			if d := n.child(nsDelay, "delay"); d == nil || d.get("from") != room || d.get("stamp") == "" {
				t.Errorf("history without a delay from the room: %s", n.bytes())
			}
		}
	}
	if !slices.Equal(bodies, []string{"two", "three"}) {
		t.Errorf("history %q, want the last two", bodies)
	}
	subj := got[len(got)-1]
	if subj.child(nsClient, "subject").text() != "Today: <b>cake</b>" || subj.get("from") != room+"/Alice" {
		t.Errorf("subject after history: %s", subj.bytes())
	}
	bob.say(room, "hi all")
	alice.expect("bob's message", isGroupchat(room+"/Bob", "hi all"))
	bob.write("<message to='" + room + "' type='groupchat'><subject>mine now</subject></message>")
	if e := bob.expect("subject refusal", func(n *node) bool { return n.get("type") == "error" }); errorCondition(e) != "forbidden" {
		t.Errorf("a participant set the subject: %s", e.bytes())
	}
}

func TestMUCNickConflictAndChange(t *testing.T) {
	ts := startServer(t)
	alice, bob := ts.raw(t, "alice", "a"), ts.raw(t, "bob", "b")
	alice.instantRoom(t, room+"/Alice")
	if cond := bob.joinError(room+"/Alice", ""); cond != "conflict" {
		t.Errorf("taken nick: %s, want conflict", cond)
	}
	evil := "[red]<b>&x"
	bob.join(room+"/"+evil, "")
	alice.expect("hostile nick's presence", isPresenceFrom(room+"/"+evil, ""))
	bob.write("<presence to='" + room + "/Bobby'/>")
	gone := alice.expect("303", isPresenceFrom(room+"/"+evil, "unavailable"))
	if !hasCode(gone, "303") || mucItem(gone).get("nick") != "Bobby" {
		t.Errorf("nick change as seen by others: %s", gone.bytes())
	}
	alice.expect("new nick", isPresenceFrom(room+"/Bobby", ""))
	self := bob.expect("own 303", isPresenceFrom(room+"/"+evil, "unavailable"))
	if codes := statusCodes(self); !slices.Equal(codes, []string{"110", "303"}) {
		t.Errorf("own nick change codes %v", codes)
	}
	bob.expect("own new presence", isSelfPresence(room+"/Bobby"))
	bob.write("<presence to='" + room + "/Alice'/>")
	if e := bob.expect("conflict", func(n *node) bool { return n.get("type") == "error" }); errorCondition(e) != "conflict" {
		t.Errorf("change to a taken nick: %s", e.bytes())
	}
}

func TestMUCKickBanVoiceMembersOnly(t *testing.T) {
	ts := startServer(t)
	alice, bob, carol, dave := ts.raw(t, "alice", "a"), ts.raw(t, "bob", "b"), ts.raw(t, "carol", "c"), ts.raw(t, "dave", "d")
	alice.instantRoom(t, room+"/Alice")
	bob.join(room+"/Bob", "")
	carol.join(room+"/Carol", "")
	admin := func(c *rawClient, item string) *node {
		return c.iq("set", room, "<query xmlns='"+nsMUCAdmin+"'>"+item+"</query>")
	}
	if res := admin(bob, "<item nick='Carol' role='none'/>"); errorCondition(res) != "forbidden" {
		t.Errorf("a participant kicked: %s", res.bytes())
	}
	if res := admin(alice, "<item nick='Bob' role='none'><reason>out</reason></item>"); res.get("type") != "result" {
		t.Fatalf("kick: %s", res.bytes())
	}
	kicked := bob.expect("kick", isPresenceFrom(room+"/Bob", "unavailable"))
	if codes := statusCodes(kicked); !slices.Equal(codes, []string{"110", "307"}) || !hasText(kicked, "out") {
		t.Errorf("kicked occupant got %s", kicked.bytes())
	}
	if seen := carol.expect("kick seen", isPresenceFrom(room+"/Bob", "unavailable")); !hasCode(seen, "307") || hasCode(seen, "110") {
		t.Errorf("others see the kick as %s", seen.bytes())
	}
	if res := admin(alice, "<item jid='carol@localhost' affiliation='outcast'/>"); res.get("type") != "result" {
		t.Fatalf("ban: %s", res.bytes())
	}
	if banned := carol.expect("ban", isPresenceFrom(room+"/Carol", "unavailable")); !hasCode(banned, "301") {
		t.Errorf("banned occupant got %s", banned.bytes())
	}
	if cond := carol.joinError(room+"/Carol", ""); cond != "forbidden" {
		t.Errorf("banned join: %s, want forbidden", cond)
	}
	alice.configure(t, room, map[string]string{"muc#roomconfig_moderatedroom": "1", "muc#roomconfig_membersonly": "1"})
	if cond := dave.joinError(room+"/Dave", ""); cond != "registration-required" {
		t.Errorf("members-only join of a stranger: %s", cond)
	}
	if res := admin(alice, "<item jid='dave@localhost' affiliation='member'/>"); res.get("type") != "result" {
		t.Fatal(res.bytes())
	}
	dave.join(room+"/Dave", "")
	if res := admin(alice, "<item nick='Dave' role='visitor'/>"); res.get("type") != "result" {
		t.Fatal(res.bytes())
	}
	dave.expect("visitor", func(n *node) bool { return n.name.Local == "presence" && mucItem(n).get("role") == "visitor" })
	dave.say(room, "can I speak")
	if e := dave.expect("no voice", func(n *node) bool { return n.get("type") == "error" }); errorCondition(e) != "forbidden" {
		t.Errorf("a visitor spoke: %s", e.bytes())
	}
	admin(alice, "<item nick='Dave' role='participant'/>")
	dave.say(room, "now I can")
	alice.expect("dave's message", isGroupchat(room+"/Dave", "now I can"))
	list := alice.iq("get", room, "<query xmlns='"+nsMUCAdmin+"'><item affiliation='outcast'/></query>")
	if !hasText(list, "carol@localhost") {
		t.Errorf("ban list: %s", list.bytes())
	}
	if res := admin(alice, "<item jid='alice@localhost' affiliation='member'/>"); errorCondition(res) != "conflict" {
		t.Errorf("the last owner stepped down: %s", res.bytes())
	}
}
