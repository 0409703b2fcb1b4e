package svc

import (
	"encoding/xml"
	"testing"
)

func TestParseAndAnswer(t *testing.T) {
	q, err := Parse([]byte("<iq type='get' id='a&apos;1' from='alice@localhost/x' to='proxy.localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>"))
	if err != nil || !q.IsRequest() || q.ID != "a'1" || q.Payload.Space != "http://jabber.org/protocol/disco#info" {
		t.Fatalf("Parse = %+v, %v", q, err)
	}
	out := Handled(q, DiscoInfo("proxy", "bytestreams", "<n>", []string{"f"}, nil))
	var back struct {
		XMLName xml.Name
		Type    string `xml:"type,attr"`
		ID      string `xml:"id,attr"`
		To      string `xml:"to,attr"`
	}
	if err := xml.Unmarshal(out, &back); err != nil || back.Type != "result" || back.ID != "a'1" || back.To != "alice@localhost/x" {
		t.Fatalf("answer %s: %+v %v", out, back, err)
	}
	e := Error(q, "cancel", "service-unavailable", nil)
	if err := xml.Unmarshal(e, &back); err != nil || back.Type != "error" {
		t.Fatalf("error %s: %v", e, err)
	}
}

// FuzzParse: whatever arrives, Parse does not panic and the answers it
// leads to are well-formed XML.
func FuzzParse(f *testing.F) {
	f.Add([]byte("<iq type='get' id='1' from='a@b/c' to='d'><query xmlns='x' node='n'/></iq>"))
	f.Add([]byte("<message type='chat'><body>hi</body></message>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		q, err := Parse(b)
		if err != nil {
			return
		}
		var v struct{ XMLName xml.Name }
		if q.Kind != "" && xml.Unmarshal(Error(q, "cancel", "service-unavailable", nil), &v) != nil {
			t.Fatalf("error answer to %q is not XML", b)
		}
		if xml.Unmarshal(Result(q, nil), &v) != nil {
			t.Fatalf("result answer to %q is not XML", b)
		}
	})
}
