package s5b

import "testing"

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{
		`<query xmlns='http://jabber.org/protocol/bytestreams' sid='s' mode='tcp'><streamhost jid='a@b/c' host='127.0.0.1' port='5'/></query>`,
		`<query xmlns='http://jabber.org/protocol/bytestreams'><streamhost-used jid='proxy.example'/></query>`,
		`<query xmlns='http://jabber.org/protocol/bytestreams' sid='s'><activate>a@b/c</activate></query>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		q, err := ParseQuery(b)
		if err != nil {
			return
		}
		if len(q.StreamHosts) > MaxStreamHosts {
			t.Fatalf("%d streamhosts", len(q.StreamHosts))
		}
		for _, h := range q.StreamHosts {
			if h.Port < 1 || h.Port > 65535 || h.Host == "" {
				t.Fatalf("bad streamhost %+v", h)
			}
		}
	})
}
