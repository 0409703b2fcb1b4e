package client

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// FuzzDiscoInfo feeds arbitrary disco#info answers to the parser and the
// caps hash: no panic, and an answer either hashes or is refused.
func FuzzDiscoInfo(f *testing.F) {
	f.Add(`<identity category='client' type='pc' name='Exodus 0.9.1'/><feature var='http://jabber.org/protocol/caps'/>`)
	f.Add(`<feature var='a'/><feature var='a'/>`)
	f.Add(`<x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE' type='hidden'><value>urn:xmpp:dataforms:softwareinfo</value></field><field var='os'><value>Mac</value></field></x>`)
	f.Add(`<x xmlns='jabber:x:data'><field var='FORM_TYPE'><value>x</value></field></x><x xmlns='jabber:x:data'/>`)
	f.Fuzz(func(t *testing.T, inner string) {
		d := xmlDecoder(`<iq><query xmlns='http://jabber.org/protocol/disco#info'>` + inner + `</query></iq>`)
		toks, err := iqChildren(d)
		if err != nil {
			return
		}
		info, err := parseDiscoInfo(&iqReply{payload: toks})
		if err != nil {
			return
		}
		if ver, err := capsVer(info); err == nil && ver == "" {
			t.Fatal("empty ver without an error")
		}
	})
}

// FuzzVCard feeds arbitrary vCards to the parser: no panic, no photo
// beyond MaxPhoto, and what is read can be written back.
func FuzzVCard(f *testing.F) {
	f.Add(`<FN>Bob</FN><EMAIL><USERID>b@e</USERID></EMAIL><PHOTO><TYPE>image/png</TYPE><BINVAL>cG5nIQ==</BINVAL></PHOTO>`)
	f.Add(`<TEL><NUMBER>1</NUMBER></TEL><X><Y><Z/></Y></X>`)
	f.Add(`<PHOTO><BINVAL>` + strings.Repeat("A", 100) + `</BINVAL></PHOTO><FN><b>x</b>y</FN>`)
	f.Fuzz(func(t *testing.T, inner string) {
		v, err := parseVCard(xmlDecoder(`<vCard xmlns='vcard-temp'>` + inner + `</vCard>`))
		if err != nil {
			return
		}
		if len(v.Photo) > MaxPhoto {
			t.Fatalf("photo of %d bytes kept", len(v.Photo))
		}
		var b strings.Builder
		if _, err := copyTokens(newEncoder(&b), vcardPayload(v)); err != nil {
			t.Fatalf("card not written back: %v", err)
		}
		if _, err := parseVCard(xmlDecoder(b.String())); err != nil {
			t.Fatalf("card written back as %q does not parse: %v", b.String(), err)
		}
	})
}

// FuzzEntityTime feeds arbitrary XEP-0202 answers to the parser.
func FuzzEntityTime(f *testing.F) {
	f.Add("-06:00", "2006-12-19T17:58:35Z")
	f.Add("Z", "2006-12-19T17:58:35.123+01:00")
	f.Add("+18:01", "x")
	f.Fuzz(func(t *testing.T, tzo, utc string) {
		et, err := parseEntityTime(tzo, utc)
		if err == nil && (et.Offset > 18*3600e9 || et.Offset < -18*3600e9) {
			t.Fatalf("offset %v accepted", et.Offset)
		}
	})
}

func newEncoder(w io.Writer) *xml.Encoder { return xml.NewEncoder(w) }
