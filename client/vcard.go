package client

import (
	"context"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/jid"
)

// This file is XEP-0054 vcard-temp: a card read (the fields people look
// at, a photo only up to MaxPhoto) and ours written back.

const nsVCard = "vcard-temp"

// MaxPhoto is the size of a vCard photo, decoded, beyond which it is
// skipped: VCard.PhotoSkipped is set and no byte of it is kept.
const MaxPhoto = 256 << 10

// VCard is the part of a vcard-temp card a client shows and edits.
type VCard struct {
	FullName, Nickname, Email, URL, Birthday, Note string
	PhotoType                                      string
	Photo                                          []byte // decoded; nil if none or skipped
	PhotoSkipped                                   bool   // the card has a photo larger than MaxPhoto (or unreadable)

	other []xml.Token // the elements of the card this type does not name, written back by SetVCard
}

// vcardFields maps the elements read into VCard fields.
var vcardFields = map[string]func(*VCard) *string{
	"FN":       func(v *VCard) *string { return &v.FullName },
	"NICKNAME": func(v *VCard) *string { return &v.Nickname },
	"URL":      func(v *VCard) *string { return &v.URL },
	"BDAY":     func(v *VCard) *string { return &v.Birthday },
	"DESC":     func(v *VCard) *string { return &v.Note },
}

// GetVCard fetches the card of addr ("" for our own).
func (e *Engine) GetVCard(ctx context.Context, addr string) (VCard, error) {
	var to jid.JID
	if addr != "" {
		j, err := jid.Parse(addr)
		if err != nil {
			return VCard{}, fmt.Errorf("vcard of %q: %w", addr, err)
		}
		to = j.Bare()
	}
	r, err := e.request(ctx, iqRequest{Type: "get", To: to, What: "vcard",
		Payload: xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: nsVCard, Local: "vCard"}})})
	if err != nil {
		return VCard{}, fmt.Errorf("vcard of %s: %w", orServer(addr), err)
	}
	if r.Empty() { // RFC 6120 lets a server answer "no card" with an empty result
		return VCard{}, nil
	}
	v, err := parseVCard(xml.NewTokenDecoder(&tokenSlice{toks: r.payload}))
	if err != nil {
		return VCard{}, fmt.Errorf("vcard of %s: %w", orServer(addr), err)
	}
	return v, nil
}

// parseVCard reads a <vCard/> from d.
func parseVCard(d *xml.Decoder) (VCard, error) {
	var v VCard
	start, err := firstChild(d)
	if err != nil {
		return v, fmt.Errorf("no vCard: %w", err)
	}
	if start.Name.Space != nsVCard || start.Name.Local != "vCard" {
		return v, fmt.Errorf("answer is <%s xmlns=%q>, not a vCard", start.Name.Local, start.Name.Space)
	}
	for {
		tok, err := d.Token()
		if err != nil {
			return v, fmt.Errorf("read vCard: %w", err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return v, nil
		case xml.StartElement:
			if err := v.readField(d, t); err != nil {
				return v, err
			}
		}
	}
}

func (v *VCard) readField(d *xml.Decoder, start xml.StartElement) error {
	if f, ok := vcardFields[start.Name.Local]; ok && start.Name.Space == nsVCard {
		var s string
		if err := d.DecodeElement(&s, &start); err != nil {
			return fmt.Errorf("vCard %s: %w", start.Name.Local, err)
		}
		*f(v) = strings.TrimSpace(s)
		return nil
	}
	switch start.Name.Local {
	case "EMAIL":
		var em struct {
			UserID string `xml:"USERID"`
		}
		if err := d.DecodeElement(&em, &start); err != nil {
			return fmt.Errorf("vCard EMAIL: %w", err)
		}
		if v.Email == "" {
			v.Email = strings.TrimSpace(em.UserID)
		}
		v.keep(start, []xml.Token{xml.StartElement{Name: xml.Name{Local: "USERID"}}, xml.CharData(em.UserID), xml.EndElement{Name: xml.Name{Local: "USERID"}}})
		return nil
	case "PHOTO":
		return v.readPhoto(d, start)
	}
	inner, err := copyInner(d)
	if err != nil {
		return fmt.Errorf("vCard %s: %w", start.Name.Local, err)
	}
	v.keep(start, inner)
	return nil
}

// readPhoto reads PHOTO's TYPE and BINVAL, dropping a BINVAL that would
// decode to more than MaxPhoto bytes without decoding it.
func (v *VCard) readPhoto(d *xml.Decoder, start xml.StartElement) error {
	var p struct {
		Type   string `xml:"TYPE"`
		BinVal string `xml:"BINVAL"`
	}
	if err := d.DecodeElement(&p, &start); err != nil {
		return fmt.Errorf("vCard PHOTO: %w", err)
	}
	v.PhotoType = strings.TrimSpace(p.Type)
	b64 := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
			return -1
		}
		return r
	}, p.BinVal)
	if b64 == "" {
		return nil
	}
	if base64.StdEncoding.DecodedLen(len(b64)) > MaxPhoto {
		v.PhotoSkipped = true
		return nil
	}
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		v.PhotoSkipped = true
		return nil
	}
	v.Photo = data
	return nil
}

func (v *VCard) keep(start xml.StartElement, inner []xml.Token) {
	start = xml.StartElement{Name: xml.Name{Local: start.Name.Local}}
	v.other = append(v.other, start)
	v.other = append(v.other, inner...)
	v.other = append(v.other, start.End())
}

// copyInner returns copies of the tokens up to the end of the element
// just started, in no namespace (the card's own is added when written).
func copyInner(d *xml.Decoder) ([]xml.Token, error) {
	var out []xml.Token
	for depth := 0; ; {
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			tok = xml.StartElement{Name: xml.Name{Local: t.Name.Local}, Attr: nil}
		case xml.EndElement:
			if depth == 0 {
				return out, nil
			}
			depth--
			tok = xml.EndElement{Name: xml.Name{Local: t.Name.Local}}
		case xml.CharData:
		default:
			continue
		}
		out = append(out, xml.CopyToken(tok))
	}
}

// ErrPhotoSkipped is returned by SetVCard for a card read with a photo
// too large to keep: writing it back would delete that photo. Set Photo,
// or clear PhotoSkipped to drop the photo on purpose.
var ErrPhotoSkipped = errors.New("the card's photo was too large to keep: setting it would delete it")

// SetVCard replaces our card with v: the fields VCard names, and the
// elements it does not name as they were read by GetVCard.
func (e *Engine) SetVCard(ctx context.Context, v VCard) error {
	if v.PhotoSkipped && v.Photo == nil {
		return fmt.Errorf("set vcard: %w", ErrPhotoSkipped)
	}
	if _, err := e.request(ctx, iqRequest{Type: "set", What: "vcard", Payload: vcardPayload(v)}); err != nil {
		return fmt.Errorf("set vcard: %w", err)
	}
	return nil
}

func vcardPayload(v VCard) xml.TokenReader {
	var parts []xml.TokenReader
	for _, name := range []string{"FN", "NICKNAME", "URL", "BDAY", "DESC"} {
		if s := *vcardFields[name](&v); s != "" {
			parts = append(parts, textElement(name, s))
		}
	}
	if v.Email != "" {
		parts = append(parts, xmlstream.Wrap(textElement("USERID", v.Email), xml.StartElement{Name: xml.Name{Local: "EMAIL"}}))
	}
	if v.Photo != nil {
		photo := xmlstream.MultiReader(textElement("TYPE", v.PhotoType), textElement("BINVAL", base64.StdEncoding.EncodeToString(v.Photo)))
		parts = append(parts, xmlstream.Wrap(photo, xml.StartElement{Name: xml.Name{Local: "PHOTO"}}))
	}
	parts = append(parts, otherTokens(v.other, v.Email != ""))
	return xmlstream.Wrap(xmlstream.MultiReader(parts...), xml.StartElement{Name: xml.Name{Space: nsVCard, Local: "vCard"}})
}

// otherTokens replays the kept elements; the first EMAIL is left out when
// v.Email replaces it.
func otherTokens(toks []xml.Token, dropFirstEmail bool) xml.TokenReader {
	i, skipping := 0, false
	return xmlstream.ReaderFunc(func() (xml.Token, error) {
		for i < len(toks) {
			tok := toks[i]
			i++
			if se, ok := tok.(xml.StartElement); ok && dropFirstEmail && se.Name.Local == "EMAIL" {
				dropFirstEmail, skipping = false, true
			}
			if skipping {
				if ee, ok := tok.(xml.EndElement); ok && ee.Name.Local == "EMAIL" {
					skipping = false
				}
				continue
			}
			return tok, nil
		}
		return nil, io.EOF
	})
}
