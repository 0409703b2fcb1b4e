package muc

import (
	"strings"
	"testing"

	"mellium.im/xmpp/jid"
)

// fuzzRooms is a joined room for the fuzz targets to apply stanzas to.
func fuzzRooms(t *testing.T) *Rooms {
	rs := NewRooms()
	rs.Join(jid.MustParse(coven), "thirdwitch", JoinOptions{}, t0)
	p, _ := ParsePresence(dec(occ("thirdwitch", "participant", "none", `<status code='110'/>`)))
	rs.ApplyPresence(p, t0)
	return rs
}

const fuzzMax = 64 << 10

func FuzzPresence(f *testing.F) {
	for _, tc := range presenceCases {
		f.Add(tc.xml)
	}
	f.Add(gone("thirdwitch", `<item nick='x'/><status code='303'/><status code='110'/>`))
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > fuzzMax {
			return
		}
		p, err := ParsePresence(dec(s))
		if err != nil {
			return
		}
		if len(p.Codes) > maxCodes {
			t.Fatalf("%d codes kept", len(p.Codes))
		}
		rs := fuzzRooms(t)
		ev, err := rs.ApplyPresence(p, t0)
		if err != nil {
			return
		}
		checkLines(t, ev)
		for _, r := range rs.List() {
			for _, g := range r.Groups() {
				for _, o := range g.Occupants {
					if !ValidNick(o.Nick) {
						t.Fatalf("invalid nick %q kept", o.Nick)
					}
				}
			}
		}
	})
}

func FuzzMessage(f *testing.F) {
	f.Add(`<message from='coven@chat.shakespeare.lit/firstwitch' type='groupchat'><body>hi thirdwitch</body><delay xmlns='urn:xmpp:delay' from='coven@chat.shakespeare.lit' stamp='2002-10-13T23:58:37Z'/><stanza-id xmlns='urn:xmpp:sid:0' id='1' by='coven@chat.shakespeare.lit'/><origin-id xmlns='urn:xmpp:sid:0' id='o'/></message>`)
	f.Add(`<message from='coven@chat.shakespeare.lit/secondwitch' type='groupchat'><subject>Fire</subject></message>`)
	f.Add(`<message from='coven@chat.shakespeare.lit'><x xmlns='http://jabber.org/protocol/muc#user'><invite from='a@b/c'><reason>r</reason></invite><password>p</password></x></message>`)
	f.Add(`<message from='a@b/c'><x xmlns='jabber:x:conference' jid='coven@chat.shakespeare.lit' reason='r'/></message>`)
	f.Add(`<message from='coven@chat.shakespeare.lit' type='groupchat'><x xmlns='http://jabber.org/protocol/muc#user'><status code='104'/></x></message>`)
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > fuzzMax {
			return
		}
		m, err := ParseMessage(dec(s))
		if err != nil {
			return
		}
		if len(m.StanzaIDs) > maxStanzaIDs || len(m.Codes) > maxCodes {
			t.Fatalf("unbounded: %d ids, %d codes", len(m.StanzaIDs), len(m.Codes))
		}
		rs := fuzzRooms(t)
		ev, err := rs.ApplyMessage(m, t0)
		if err != nil {
			return
		}
		if ev.Kind == KindMessage && ev.Room != m.From.Bare().String() {
			t.Fatalf("message from %s filed under %s", m.From, ev.Room)
		}
		checkLines(t, ev)
		if _, err := rs.ApplyMessage(m, t0); err != nil {
			t.Fatalf("second apply: %v", err)
		}
	})
}

func FuzzForm(f *testing.F) {
	f.Add(`<x xmlns='jabber:x:data' type='form'><title>t</title><field type='list-single' var='w'><value>m</value><option label='A'><value>a</value></option></field><field type='jid-multi' var='j'/><field type='fixed'><value>f</value></field></x>`, "w", "a")
	f.Add(`<x xmlns='jabber:x:data' type='form'><field var='b' type='boolean'/></x>`, "b", "true")
	f.Fuzz(func(t *testing.T, s, field, value string) {
		if len(s) > fuzzMax {
			return
		}
		form, err := ParseForm(dec(s))
		if err != nil {
			return
		}
		if len(form.Fields) > maxFields {
			t.Fatalf("%d fields", len(form.Fields))
		}
		form.Set(field, value)
		out, err := Encode(form.Submission().TokenReader())
		if err != nil {
			t.Fatalf("encode submission: %v", err)
		}
		if _, err := ParseForm(dec(out)); err != nil {
			t.Fatalf("submission does not parse back: %v\n%s", err, out)
		}
	})
}

func checkLines(t *testing.T, ev Event) {
	t.Helper()
	for _, l := range ev.Lines() {
		if strings.ContainsAny(l, "\x1b\r\n\u009b\u202e") {
			t.Fatalf("control character in line %q", l)
		}
	}
}
