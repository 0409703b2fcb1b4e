package muc

import (
	"testing"
)

// FuzzHandle feeds arbitrary stanzas to a service with a room and two
// occupants: it must not panic, and everything it writes must parse and
// come from its own domain (the rig checks both).
func FuzzHandle(f *testing.F) {
	for _, s := range []string{
		"<presence from='carol@localhost/r' to='room@conference.localhost/C'><x xmlns='http://jabber.org/protocol/muc'><history maxstanzas='-1' maxchars='99999999999999999999'/><password/></x></presence>",
		"<presence from='bob@localhost/r' to='room@conference.localhost/New'/>",
		"<presence from='bob@localhost/r' to='room@conference.localhost/B' type='unavailable'/>",
		"<message from='bob@localhost/r' to='room@conference.localhost' type='groupchat'><body>x</body><stanza-id xmlns='urn:xmpp:sid:0' by='room@conference.localhost'/></message>",
		"<message from='alice@localhost/r' to='room@conference.localhost' type='groupchat'><subject>s</subject></message>",
		"<message from='bob@localhost/r' to='room@conference.localhost/A' type='chat'><body>pm</body></message>",
		"<message from='alice@localhost/r' to='room@conference.localhost'><x xmlns='http://jabber.org/protocol/muc#user'><invite to='dave@localhost'/><decline to='x@y'/></x></message>",
		"<iq type='set' id='1' from='alice@localhost/r' to='room@conference.localhost'><query xmlns='http://jabber.org/protocol/muc#admin'><item nick='B' role='none'/><item jid='bob@localhost' affiliation='outcast'/></query></iq>",
		"<iq type='set' id='2' from='alice@localhost/r' to='room@conference.localhost'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'><field var='muc#roomconfig_membersonly'><value>1</value></field></x></query></iq>",
		"<iq type='set' id='3' from='alice@localhost/r' to='room@conference.localhost'><query xmlns='http://jabber.org/protocol/muc#owner'><destroy/></query></iq>",
		"<iq type='get' id='4' from='bob@localhost/r' to='room@conference.localhost/A'><query xmlns='jabber:iq:version'/></iq>",
		"<iq type='result' id='4' from='alice@localhost/r' to='room@conference.localhost/B'/>",
		"<iq type='get' id='5' from='bob@localhost/r' to='conference.localhost'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>",
		"<message from='bob@localhost/r' to='room@conference.localhost' type='error'/>",
		"<x:presence xmlns:x='jabber:client' from='a@b/c' to='room@conference.localhost/Z'/>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		r := newRig(t)
		r.instant("alice", "A")
		r.join("bob", "B", "")
		r.in("%s", raw)
		r.in("%s", raw)
		r.say("bob", "after")
	})
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("<a xmlns='x' xml:lang='en' b='&amp;'><c>t&lt;</c><d:e xmlns:d='y'/></a>"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		e, err := parse(raw)
		if err != nil {
			return
		}
		again, err := parse(e.bytes())
		if err != nil {
			t.Fatalf("re-parse of %q: %v", e.bytes(), err)
		}
		if string(again.bytes()) != string(e.bytes()) {
			t.Fatalf("not stable: %q then %q", e.bytes(), again.bytes())
		}
	})
}
