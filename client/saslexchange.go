package client

import (
	"context"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"

	"mellium.im/sasl"
	"mellium.im/xmlstream"
	"mellium.im/xmpp"
)

const nsSASL = "urn:ietf:params:xml:ns:xmpp-sasl"

// authenticate runs the SASL exchange of RFC 6120 §6.4 with mech: <auth/>,
// then <challenge/> and <response/> until <success/> or <failure/>.
// remote is the list of mechanisms the server offers (SCRAM uses it to
// detect a channel-binding downgrade).
func authenticate(ctx context.Context, s *xmpp.Session, mech sasl.Mechanism, password string, remote []string) error {
	opts := []sasl.Option{
		sasl.Credentials(func() ([]byte, []byte, []byte) {
			return []byte(s.LocalAddr().Localpart()), []byte(password), nil
		}),
		sasl.RemoteMechanisms(remote...),
	}
	if cs := s.ConnectionState(); cs.Version != 0 {
		opts = append(opts, sasl.TLSState(cs))
	}
	client := sasl.NewClient(mech, opts...)
	more, resp, err := client.Step(nil)
	if err != nil {
		return fmt.Errorf("sasl %s: %w", mech.Name, err)
	}
	w := s.TokenWriter()
	defer w.Close()
	r := s.TokenReader()
	defer r.Close()
	if err := writeSASL(w, "auth", mech.Name, resp); err != nil {
		return err
	}
	d := xml.NewTokenDecoder(r)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		kind, data, err := readSASL(d)
		if err != nil {
			return err
		}
		switch {
		case kind == "success":
			return finishSASL(client, more, data)
		case !more:
			return fmt.Errorf("sasl %s: the server sent a challenge after the last response", mech.Name)
		}
		if more, resp, err = client.Step(data); err != nil {
			return fmt.Errorf("sasl %s: %w", mech.Name, err)
		}
		if err := writeSASL(w, "response", "", resp); err != nil {
			return err
		}
	}
}

// finishSASL checks the additional data of <success/>: for SCRAM it is the
// server's proof that it knows the password too.
func finishSASL(client *sasl.Negotiator, more bool, data []byte) error {
	if !more {
		return nil
	}
	more, _, err := client.Step(data)
	if err != nil {
		return fmt.Errorf("sasl: the server's final message did not verify: %w", err)
	}
	if more {
		return errors.New("sasl: the server claimed success before the exchange was over")
	}
	return nil
}

// writeSASL sends <auth/> or <response/> with data in base64 ("=" for
// empty data, RFC 6120 §6.4.2).
func writeSASL(w xmlstream.TokenWriteFlusher, name, mechanism string, data []byte) error {
	text := "="
	if len(data) > 0 {
		text = base64.StdEncoding.EncodeToString(data)
	}
	start := xml.StartElement{Name: xml.Name{Space: nsSASL, Local: name}}
	if mechanism != "" {
		start.Attr = []xml.Attr{{Name: xml.Name{Local: "mechanism"}, Value: mechanism}}
	}
	if _, err := xmlstream.Copy(w, xmlstream.Wrap(xmlstream.Token(xml.CharData(text)), start)); err != nil {
		return fmt.Errorf("sasl: send %s: %w", name, err)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("sasl: send %s: %w", name, err)
	}
	return nil
}

// readSASL reads the server's next SASL element: "challenge" or "success"
// with its decoded data, or a <failure/> as an *AuthError.
func readSASL(d *xml.Decoder) (string, []byte, error) {
	start, err := firstChild(d)
	if err != nil {
		return "", nil, fmt.Errorf("sasl: read the server's answer: %w", err)
	}
	if start.Name.Space != nsSASL {
		return "", nil, fmt.Errorf("sasl: unexpected <%s xmlns=%q>", start.Name.Local, start.Name.Space)
	}
	switch start.Name.Local {
	case "failure":
		return "", nil, decodeSASLFailure(d, start)
	case "challenge", "success":
		var v struct {
			Data string `xml:",chardata"`
		}
		if err := d.DecodeElement(&v, &start); err != nil {
			return "", nil, fmt.Errorf("sasl: read %s: %w", start.Name.Local, err)
		}
		data, err := decodeSASLData(v.Data)
		if err != nil {
			return "", nil, fmt.Errorf("sasl: %s: %w", start.Name.Local, err)
		}
		return start.Name.Local, data, nil
	}
	return "", nil, fmt.Errorf("sasl: unexpected <%s/>", start.Name.Local)
}

func decodeSASLData(s string) ([]byte, error) {
	if s == "" || s == "=" {
		return nil, nil
	}
	return base64.StdEncoding.DecodeString(s)
}

// decodeSASLFailure reads a <failure/> (RFC 6120 §6.5): its condition is
// its first child other than <text/>; none at all reads as not-authorized.
func decodeSASLFailure(d *xml.Decoder, start xml.StartElement) error {
	var v struct {
		Children []struct {
			XMLName xml.Name
		} `xml:",any"`
		Text string `xml:"urn:ietf:params:xml:ns:xmpp-sasl text"`
	}
	if err := d.DecodeElement(&v, &start); err != nil {
		return fmt.Errorf("sasl: read failure: %w", err)
	}
	out := &AuthError{Condition: "not-authorized", Text: v.Text}
	for _, c := range v.Children {
		if c.XMLName.Space == nsSASL && c.XMLName.Local != "text" {
			out.Condition = c.XMLName.Local
			break
		}
	}
	return out
}
