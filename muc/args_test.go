package muc

import "testing"

func TestParseJoin(t *testing.T) {
	ok := []struct{ in, room, nick, pass string }{
		{"coven@chat.shakespeare.lit", coven, "me", ""},
		{"  coven@chat.shakespeare.lit/thirdwitch  ", coven, "thirdwitch", ""},
		{"coven@chat.shakespeare.lit/thirdwitch cauldron burn", coven, "thirdwitch", "cauldron burn"},
		{"Coven@Chat.Shakespeare.lit secret pass", coven, "me", "secret pass"},
		{"xmpp:coven@chat.shakespeare.lit?join", coven, "me", ""},
	}
	for _, tc := range ok {
		room, nick, pass, err := ParseJoin(tc.in, "me")
		if err != nil || room.String() != tc.room || nick != tc.nick || pass != tc.pass {
			t.Errorf("%q: %v %q %q %v", tc.in, room, nick, pass, err)
		}
	}
	for _, bad := range []string{"", "chat.shakespeare.lit", "@@", "coven@chat.shakespeare.lit/ "} {
		if _, _, _, err := ParseJoin(bad, ""); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
