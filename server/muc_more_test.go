package server

import (
	"strings"
	"testing"
)

func TestMUCPasswordAndConfigForm(t *testing.T) {
	ts := startServer(t)
	alice, dave := ts.raw(t, "alice", "a"), ts.raw(t, "dave", "d")
	alice.instantRoom(t, room+"/Alice")
	form := alice.iq("get", room, "<query xmlns='"+nsMUCOwner+"'/>")
	for _, v := range []string{"muc#roomconfig_roomname", "muc#roomconfig_passwordprotectedroom", "muc#roomconfig_roomsecret",
		"muc#roomconfig_membersonly", "muc#roomconfig_moderatedroom", "muc#roomconfig_persistentroom", "type='form'"} {
		if !hasText(form, v) {
			t.Errorf("config form lacks %s: %s", v, form.bytes())
		}
	}
	if res := dave.iq("get", room, "<query xmlns='"+nsMUCOwner+"'/>"); errorCondition(res) != "forbidden" {
		t.Errorf("a stranger read the config: %s", res.bytes())
	}
	alice.configure(t, room, map[string]string{"muc#roomconfig_roomname": "The <Room>",
		"muc#roomconfig_passwordprotectedroom": "1", "muc#roomconfig_roomsecret": "s3cret"})
	if m := alice.expect("104", func(n *node) bool { return n.name.Local == "message" }); !hasCode(m, "104") {
		t.Errorf("config change notice: %s", m.bytes())
	}
	if cond := dave.joinError(room+"/Dave", ""); cond != "not-authorized" {
		t.Errorf("join without the password: %s", cond)
	}
	if cond := dave.joinError(room+"/Dave", "<password>wrong</password>"); cond != "not-authorized" {
		t.Errorf("join with a wrong password: %s", cond)
	}
	dave.join(room+"/Dave", "<password>s3cret</password>")
	info := dave.iq("get", room, "<query xmlns='"+nsDiscoInfo+"'/>")
	for _, f := range []string{"muc_passwordprotected", "muc_temporary", "muc_open", "muc_unmoderated", "name='The &lt;Room&gt;'"} {
		if !hasText(info, f) {
			t.Errorf("room disco#info lacks %s: %s", f, info.bytes())
		}
	}
}

func TestMUCDiscoOfServiceAndRooms(t *testing.T) {
	ts := startServer(t)
	alice, bob := ts.raw(t, "alice", "a"), ts.raw(t, "bob", "b")
	if items := alice.iq("get", "localhost", "<query xmlns='"+nsDiscoItems+"'/>"); !hasText(items, "jid='conference.localhost'") {
		t.Errorf("the server does not list its chat service: %s", items.bytes())
	}
	info := alice.iq("get", "conference.localhost", "<query xmlns='"+nsDiscoInfo+"'/>")
	if !hasText(info, "category='conference'") || !hasText(info, "type='text'") || !hasText(info, "var='"+nsMUC+"'") {
		t.Errorf("service disco#info: %s", info.bytes())
	}
	alice.instantRoom(t, room+"/Alice")
	alice.join("locked@conference.localhost/Alice", "")
	alice.instantRoom(t, "hidden@conference.localhost/Alice")
	alice.configure(t, "hidden@conference.localhost", map[string]string{"muc#roomconfig_publicroom": "0"})
	items := bob.iq("get", "conference.localhost", "<query xmlns='"+nsDiscoItems+"'/>")
	if !hasText(items, "jid='"+room+"'") || hasText(items, "locked@") || hasText(items, "hidden@") {
		t.Errorf("service disco#items should list only the public, configured room: %s", items.bytes())
	}
	if occ := bob.iq("get", room, "<query xmlns='"+nsDiscoItems+"'/>"); occ.get("type") != "result" || hasText(occ, "Alice") {
		t.Errorf("a non-occupant sees the occupants: %s", occ.bytes())
	}
	bob.join(room+"/Bob", "")
	if occ := bob.iq("get", room, "<query xmlns='"+nsDiscoItems+"'/>"); !hasText(occ, room+"/Alice") || !hasText(occ, room+"/Bob") {
		t.Errorf("room disco#items for an occupant: %s", occ.bytes())
	}
	if res := bob.iq("get", "nowhere@conference.localhost", "<query xmlns='"+nsDiscoInfo+"'/>"); errorCondition(res) != "item-not-found" {
		t.Errorf("disco#info of a missing room: %s", res.bytes())
	}
}

func TestMUCSelfPingAndForwardedIQ(t *testing.T) {
	ts := startServer(t)
	alice, bob := ts.raw(t, "alice", "a"), ts.raw(t, "bob", "b")
	alice.instantRoom(t, room+"/Alice")
	if res := bob.iq("get", room+"/Alice", "<ping xmlns='urn:xmpp:ping'/>"); errorCondition(res) != "not-acceptable" {
		t.Errorf("self-ping while not joined: %s, want not-acceptable", res.bytes())
	}
	if res := alice.iq("get", room+"/Alice", "<ping xmlns='urn:xmpp:ping'/>"); res.get("type") != "result" || res.get("from") != room+"/Alice" {
		t.Errorf("self-ping while joined: %s", res.bytes())
	}
	bob.join(room+"/Bob", "")
	bob.write("<iq type='get' id='v1' to='" + room + "/Alice'><query xmlns='jabber:iq:version'/></iq>")
	fwd := alice.expect("forwarded iq", func(n *node) bool { return n.name.Local == "iq" && n.get("type") == "get" })
	if fwd.get("from") != room+"/Bob" || fwd.get("id") == "v1" {
		t.Errorf("forwarded iq: %s", fwd.bytes())
	}
	alice.write("<iq type='result' id='" + xmlText(fwd.get("id")) + "' to='" + room + "/Bob'><query xmlns='jabber:iq:version'><name>A</name></query></iq>")
	ans := bob.expect("answer", func(n *node) bool { return n.get("id") == "v1" })
	if ans.get("type") != "result" || ans.get("from") != room+"/Alice" || !hasText(ans, "<name>A</name>") {
		t.Errorf("answer to the forwarded iq: %s", ans.bytes())
	}
}

func TestMUCPrivateMessagesAndInvitations(t *testing.T) {
	ts := startServer(t)
	alice, bob, carol := ts.raw(t, "alice", "a"), ts.raw(t, "bob", "b"), ts.raw(t, "carol", "c")
	carol.presence(0)
	alice.presence(0)
	alice.instantRoom(t, room+"/Alice")
	bob.join(room+"/Bob", "")
	alice.write("<message to='" + room + "/Bob' type='chat'><body>psst</body></message>")
	pm := bob.expect("private message", func(n *node) bool { return n.name.Local == "message" && n.get("type") == "chat" })
	if pm.get("from") != room+"/Alice" || !hasText(pm, "psst") || strings.Contains(string(pm.bytes()), "alice@localhost") {
		t.Errorf("private message: %s", pm.bytes())
	}
	carol.write("<message to='" + room + "/Bob' type='chat'><body>spam</body></message>")
	if e := carol.expect("refusal", func(n *node) bool { return n.name.Local == "message" }); errorCondition(e) != "not-acceptable" {
		t.Errorf("a stranger's private message: %s", e.bytes())
	}
	alice.write("<message to='" + room + "/Nobody' type='chat'><body>hello?</body></message>")
	if e := alice.expect("refusal", func(n *node) bool { return n.get("type") == "error" }); errorCondition(e) != "item-not-found" {
		t.Errorf("a private message to nobody: %s", e.bytes())
	}
	alice.write("<message to='" + room + "'><x xmlns='" + nsMUCUser + "'><invite to='carol@localhost'><reason>come</reason></invite></x></message>")
	inv := carol.expect("invitation", func(n *node) bool { return n.name.Local == "message" })
	in := inv.child(nsMUCUser, "x").child(nsMUCUser, "invite")
	if inv.get("from") != room || in == nil || in.get("from") != "alice@localhost/a" || !hasText(inv, "come") {
		t.Errorf("invitation: %s", inv.bytes())
	}
	carol.write("<message to='" + room + "'><x xmlns='" + nsMUCUser + "'><decline to='alice@localhost'><reason>busy</reason></decline></x></message>")
	dec := alice.expect("decline", func(n *node) bool { return n.name.Local == "message" && n.get("from") == room })
	if d := dec.child(nsMUCUser, "x").child(nsMUCUser, "decline"); d == nil || d.get("from") != "carol@localhost" || !hasText(dec, "busy") {
		t.Errorf("decline: %s", dec.bytes())
	}
}

func TestMUCDisconnectLeavesRoom(t *testing.T) {
	ts := startServer(t)
	alice, bob := ts.raw(t, "alice", "a"), ts.raw(t, "bob", "b")
	alice.instantRoom(t, room+"/Alice")
	bob.join(room+"/Bob", "")
	bob.conn.Close()
	alice.expect("bob gone", isPresenceFrom(room+"/Bob", "unavailable"))
	bob2 := ts.raw(t, "bob", "b2")
	bob2.join(room+"/Bob", "") // the nick is free again
}

func TestMUCDestroy(t *testing.T) {
	ts := startServer(t)
	alice, bob := ts.raw(t, "alice", "a"), ts.raw(t, "bob", "b")
	alice.instantRoom(t, room+"/Alice")
	bob.join(room+"/Bob", "")
	if res := bob.iq("set", room, "<query xmlns='"+nsMUCOwner+"'><destroy/></query>"); errorCondition(res) != "forbidden" {
		t.Errorf("a participant destroyed the room: %s", res.bytes())
	}
	res := alice.iq("set", room, "<query xmlns='"+nsMUCOwner+"'><destroy jid='other@conference.localhost'><reason>moving</reason></destroy></query>")
	if res.get("type") != "result" {
		t.Fatalf("destroy: %s", res.bytes())
	}
	gone := bob.expect("destroyed", isPresenceFrom(room+"/Bob", "unavailable"))
	if d := gone.child(nsMUCUser, "x").child(nsMUCUser, "destroy"); d == nil || d.get("jid") != "other@conference.localhost" || !hasText(gone, "moving") {
		t.Errorf("destroy notice: %s", gone.bytes())
	}
	if res := bob.iq("get", room, "<query xmlns='"+nsDiscoInfo+"'/>"); errorCondition(res) != "item-not-found" {
		t.Errorf("the destroyed room answers: %s", res.bytes())
	}
}

func TestMUCPersistentRoomSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	withDir := func(c *Config) { c.DataDir = dir }
	ts := startServer(t, withDir)
	alice := ts.raw(t, "alice", "a")
	alice.instantRoom(t, room+"/Alice")
	alice.configure(t, room, map[string]string{"muc#roomconfig_persistentroom": "1",
		"muc#roomconfig_roomname": "Kept", "muc#roomconfig_membersonly": "1"})
	alice.write("<message to='" + room + "' type='groupchat'><subject>still here</subject></message>")
	alice.expect("subject", isSubject)
	if res := alice.iq("set", room, "<query xmlns='"+nsMUCAdmin+"'><item jid='bob@localhost' affiliation='member'/></query>"); res.get("type") != "result" {
		t.Fatal(res.bytes())
	}
	alice.instantRoom(t, "temp@conference.localhost/Alice")
	alice.instantRoom(t, "gone@conference.localhost/Alice")
	alice.configure(t, "gone@conference.localhost", map[string]string{"muc#roomconfig_persistentroom": "1"})
	if res := alice.iq("set", "gone@conference.localhost", "<query xmlns='"+nsMUCOwner+"'><destroy/></query>"); res.get("type") != "result" {
		t.Fatal(res.bytes())
	}
	ts.srv.Close()

	ts2 := startServer(t, withDir)
	bob, dave := ts2.raw(t, "bob", "b"), ts2.raw(t, "dave", "d")
	info := bob.iq("get", room, "<query xmlns='"+nsDiscoInfo+"'/>")
	if !hasText(info, "name='Kept'") || !hasText(info, "muc_persistent") || !hasText(info, "muc_membersonly") {
		t.Errorf("the room after a restart: %s", info.bytes())
	}
	if res := bob.iq("get", "temp@conference.localhost", "<query xmlns='"+nsDiscoInfo+"'/>"); errorCondition(res) != "item-not-found" {
		t.Errorf("a temporary room survived: %s", res.bytes())
	}
	if res := bob.iq("get", "gone@conference.localhost", "<query xmlns='"+nsDiscoInfo+"'/>"); errorCondition(res) != "item-not-found" {
		t.Errorf("a destroyed persistent room came back: %s", res.bytes())
	}
	got := bob.join(room+"/Bob", "")
	if subj := got[len(got)-1]; subj.child(nsClient, "subject").text() != "still here" {
		t.Errorf("subject after a restart: %s", subj.bytes())
	}
	if cond := dave.joinError(room+"/Dave", ""); cond != "registration-required" {
		t.Errorf("members-only after a restart: %s", cond)
	}
	owner := ts2.raw(t, "alice", "a")
	owner.join(room+"/Alice", "")
	if res := owner.iq("get", room, "<query xmlns='"+nsMUCOwner+"'/>"); res.get("type") != "result" {
		t.Errorf("alice is no longer owner: %s", res.bytes())
	}
}

func TestMUCDomainConfig(t *testing.T) {
	none := startServer(t, func(c *Config) { c.MUCDomain = "-" })
	c := none.raw(t, "alice", "a")
	if res := c.iq("get", "conference.localhost", "<query xmlns='"+nsDiscoInfo+"'/>"); errorCondition(res) != "remote-server-not-found" {
		t.Errorf("with no chat service: %s", res.bytes())
	}
	other := startServer(t, func(c *Config) { c.MUCDomain = "Rooms.Localhost" })
	c = other.raw(t, "alice", "a")
	if res := c.iq("get", "rooms.localhost", "<query xmlns='"+nsDiscoInfo+"'/>"); !hasText(res, "category='conference'") {
		t.Errorf("the service at a configured domain: %s", res.bytes())
	}
	if _, err := New(Config{Domain: "localhost", MUCDomain: "localhost"}); err == nil {
		t.Error("a chat service at the server's own domain was accepted")
	}
}
