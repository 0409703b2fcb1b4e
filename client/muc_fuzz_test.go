package client

import "testing"

// FuzzRoomStanza feeds arbitrary stanzas from a joined room's JIDs to the
// handler: nothing may panic, and the room's state stays usable.
func FuzzRoomStanza(f *testing.F) {
	for _, s := range []string{
		`<presence from='` + testRoom + `/bob' type='unavailable'><x xmlns='http://jabber.org/protocol/muc#user'><item role='none'/><status code='307'/></x></presence>`,
		`<presence from='` + testRoom + `/me' type='unavailable'><x xmlns='http://jabber.org/protocol/muc#user'><destroy jid='a@b'><reason>x</reason></destroy><status code='110'/></x></presence>`,
		`<message from='` + testRoom + `/bob' type='groupchat'><body>[red]x</body><delay xmlns='urn:xmpp:delay' stamp='2020-01-01T00:00:00Z'/></message>`,
		`<message from='` + testRoom + `' type='groupchat'><subject>t</subject></message>`,
		`<message from='` + testRoom + `' type='error'><error type='modify'><not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		r := joinedRig(t)
		_, _ = r.handleRaw(raw)
		r.events()
		r.e.InRoom(testRoom)
		r.e.Room(testRoom)
	})
}
