package client

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"

	"mellium.im/xmlstream"
	"mellium.im/xmpp"
	"mellium.im/xmpp/jid"
	"mellium.im/xmpp/stanza"
)

const nsBind = "urn:ietf:params:xml:ns:xmpp-bind"

// bindResource is a client-only resource binding feature. mellium's
// BindResource (v0.22.0) writes the (empty) JID where the requested resource
// belongs, so the server always picks a random one; this copy sends the
// resource of the session's origin JID and records the bound JID.
func bindResource() xmpp.StreamFeature {
	return xmpp.StreamFeature{
		Name:       xml.Name{Space: nsBind, Local: "bind"},
		Necessary:  xmpp.Authn,
		Prohibited: xmpp.Ready,
		List: func(context.Context, xmlstream.TokenWriter, xml.StartElement) (bool, error) {
			return true, fmt.Errorf("bind: server side not supported by the client engine")
		},
		Parse: func(_ context.Context, d *xml.Decoder, start *xml.StartElement) (bool, interface{}, error) {
			return true, nil, d.Skip()
		},
		Negotiate: negotiateBind,
	}
}

type bindResponse struct {
	XMLName xml.Name      `xml:"iq"`
	ID      string        `xml:"id,attr"`
	Type    string        `xml:"type,attr"`
	JID     string        `xml:"urn:ietf:params:xml:ns:xmpp-bind bind>jid"`
	Err     *stanza.Error `xml:"error"`
}

func negotiateBind(ctx context.Context, session *xmpp.Session, _ interface{}) (xmpp.SessionState, io.ReadWriter, error) {
	w := session.TokenWriter()
	defer w.Close()
	r := session.TokenReader()
	defer r.Close()

	id := randomID()
	if err := w.EncodeToken(bindStart(id)); err != nil {
		return 0, nil, err
	}
	if err := writeBindPayload(w, session.LocalAddr().Resourcepart()); err != nil {
		return 0, nil, err
	}
	if err := w.EncodeToken(bindStart(id).End()); err != nil {
		return 0, nil, err
	}
	if err := w.Flush(); err != nil {
		return 0, nil, err
	}

	var resp bindResponse
	d := xml.NewTokenDecoder(r)
	if err := d.Decode(&resp); err != nil {
		return 0, nil, fmt.Errorf("bind: read reply: %w", err)
	}
	switch {
	case resp.ID != id:
		return 0, nil, fmt.Errorf("bind: reply id %q does not match request %q", resp.ID, id)
	case resp.Type == "error" && resp.Err != nil:
		return 0, nil, fmt.Errorf("bind: %w", *resp.Err)
	case resp.Type != "result":
		return 0, nil, fmt.Errorf("bind: unexpected reply type %q", resp.Type)
	}
	bound, err := jid.Parse(resp.JID)
	if err != nil {
		return 0, nil, fmt.Errorf("bind: server returned bad JID %q: %w", resp.JID, err)
	}
	session.UpdateAddr(bound)
	return xmpp.Ready, nil, nil
}

func bindStart(id string) xml.StartElement {
	return xml.StartElement{
		Name: xml.Name{Space: stanza.NSClient, Local: "iq"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "id"}, Value: id}, {Name: xml.Name{Local: "type"}, Value: "set"}},
	}
}

func writeBindPayload(w xmlstream.TokenWriter, resource string) error {
	var inner xml.TokenReader
	if resource != "" {
		inner = xmlstream.Wrap(xmlstream.Token(xml.CharData(resource)), xml.StartElement{Name: xml.Name{Local: "resource"}})
	}
	_, err := xmlstream.Copy(w, xmlstream.Wrap(inner, xml.StartElement{Name: xml.Name{Space: nsBind, Local: "bind"}}))
	return err
}

// randomID returns a random stanza id.
func randomID() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	return hex.EncodeToString(b[:])
}
