package client

import (
	"bytes"
	"encoding/xml"
	"errors"
	"testing"

	"mellium.im/xmpp/jid"
)

// FuzzIQAnswer feeds arbitrary answers to a waiting request through the
// handler: nothing may panic, and whatever is delivered is a reply that
// decodes, an error reply with a condition, or a read error.
func FuzzIQAnswer(f *testing.F) {
	f.Add(`<iq type='result' id='ID'><query xmlns='jabber:iq:roster' ver='1'><item jid='a@b' subscription='both'><group>x</group></item></query></iq>`)
	f.Add(`<iq type='error' id='ID'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>gone</text></error></iq>`)
	f.Add(`<iq type='error' id='ID'><query xmlns='jabber:iq:roster'><error/></query><error><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`)
	f.Add(`<iq type='result' id='ID' from='mallory@localhost'/>`)
	f.Add(`<iq type='result' id='ID'><!-- c --><?pi x?>text<a><b></a></iq>`)
	f.Fuzz(func(t *testing.T, raw string) {
		h, s := offlineSession(t, "alice@localhost/test")
		p := s.sendIQ(iqRequest{Type: "get", To: jid.JID{}})
		raw = string(bytes.ReplaceAll([]byte(raw), []byte("ID"), []byte(p.id)))
		start, err := xml.NewDecoder(bytes.NewReader([]byte(raw))).Token()
		st, ok := start.(xml.StartElement)
		if err != nil || !ok {
			return
		}
		st.Name.Local = "iq"
		if err := h.iq(nil, xmlDecoder(raw), st); err != nil {
			return
		}
		r, ok := resolved(p)
		if !ok {
			return
		}
		if r.err != nil {
			var iqErr *IQError
			if errors.As(r.err, &iqErr) && iqErr.Err.Condition == "" {
				t.Fatalf("error reply without a condition: %+v", iqErr)
			}
			if r.err.Error() == "" {
				t.Fatal("an error that says nothing")
			}
			return
		}
		var q rosterQuery
		_ = r.reply.Decode(&q)
		_ = r.reply.Empty()
	})
}

// FuzzSASLAnswer reads arbitrary server answers during SASL: nothing may
// panic, and a failure always carries a condition.
func FuzzSASLAnswer(f *testing.F) {
	f.Add(`<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/><text>no</text></failure>`)
	f.Add(`<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>dj1yTlBWRnk=</success>`)
	f.Add(`<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>=</challenge>`)
	f.Add(`<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>!!notbase64</challenge>`)
	f.Add(`<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><text/><x xmlns='other'/></failure>`)
	f.Fuzz(func(t *testing.T, raw string) {
		kind, _, err := readSASL(xmlDecoder(raw))
		var auth *AuthError
		switch {
		case errors.As(err, &auth):
			if auth.Condition == "" || auth.Error() == "" {
				t.Fatalf("failure without a condition: %+v", auth)
			}
		case err == nil && kind != "challenge" && kind != "success":
			t.Fatalf("kind %q without an error", kind)
		}
	})
}
