package si

import (
	"strings"
	"testing"
	"time"
)

func TestOfferAnswer(t *testing.T) {
	date := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	b, err := Marshal(Offer("a0", "text/plain", NewFile("test.txt", 1022, date, "a test"), Bytestreams, IBB))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(b)
	if err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if !p.IsOffer() || p.ID != "a0" || p.File.Name != "test.txt" || p.File.Size != 1022 || p.File.Date != "2026-01-02T03:04:05Z" || p.File.Desc != "a test" {
		t.Fatalf("offer %+v", p)
	}
	if m := Choose(p.Methods, IBB, Bytestreams); m != IBB {
		t.Fatalf("chose %q", m)
	}
	b, _ = Marshal(Answer(Bytestreams))
	a, err := Parse(b)
	if err != nil || a.IsOffer() || len(a.Methods) != 1 || a.Methods[0] != Bytestreams {
		t.Fatalf("answer %+v %v", a, err)
	}
}

// What slixmpp and Psi send (the XEP's example 1 shape).
func TestParsePeerOffer(t *testing.T) {
	in := `<si xmlns='http://jabber.org/protocol/si' id='a0' mime-type='text/plain' profile='http://jabber.org/protocol/si/profile/file-transfer'>
  <file xmlns='http://jabber.org/protocol/si/profile/file-transfer' name='test.txt' size='1022' hash='552da749930852c69ae5d2141d3766b1' date='1969-07-21T02:56:15Z'>
    <desc>This is a test. If this were a real file...</desc><range/></file>
  <feature xmlns='http://jabber.org/protocol/feature-neg'><x xmlns='jabber:x:data' type='form'>
      <field var='stream-method' type='list-single'>
        <option><value>http://jabber.org/protocol/bytestreams</value></option>
        <option><value>jabber:iq:oob</value></option>
        <option><value>http://jabber.org/protocol/ibb</value></option>
      </field></x></feature></si>`
	p, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Methods) != 3 || p.File.Hash != "552da749930852c69ae5d2141d3766b1" {
		t.Fatalf("%+v", p)
	}
	if Choose(p.Methods, "urn:unknown") != "" {
		t.Fatal("chose a method not offered")
	}
}

func TestParseRefuses(t *testing.T) {
	for _, in := range []string{
		`<si xmlns='http://jabber.org/protocol/si' id='a'/>`,
		`<si xmlns='http://jabber.org/protocol/si' id='a' profile='http://jabber.org/protocol/si/profile/file-transfer'><file xmlns='http://jabber.org/protocol/si/profile/file-transfer' name='x' size='-5'/><feature xmlns='http://jabber.org/protocol/feature-neg'><x xmlns='jabber:x:data'><field var='stream-method'><value>m</value></field></x></feature></si>`,
		`<si xmlns='http://jabber.org/protocol/si'><feature xmlns='http://jabber.org/protocol/feature-neg'><x xmlns='jabber:x:data'><field var='stream-method'>` + strings.Repeat(`<option><value>m</value></option>`, 17) + `</field></x></feature></si>`,
		`<si xmlns='other'/>`,
	} {
		if _, err := Parse([]byte(in)); err == nil {
			t.Errorf("accepted %.120s", in)
		}
	}
}

func FuzzParse(f *testing.F) {
	b, _ := Marshal(Offer("a0", "text/plain", NewFile("t.txt", 1, time.Time{}, ""), Bytestreams, IBB))
	f.Add(b)
	b, _ = Marshal(Answer(IBB))
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Parse(b)
		if err != nil {
			return
		}
		if len(p.Methods) == 0 || len(p.Methods) > maxOptions {
			t.Fatalf("%d methods", len(p.Methods))
		}
		if p.IsOffer() && (p.File.Name == "" || p.File.Size < 0) {
			t.Fatalf("bad offer %+v", p.File)
		}
	})
}
