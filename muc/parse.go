package muc

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
)

// budget fails a parse once a stanza passes a number of tokens or bytes of
// text and attributes, so every parser here is bounded on its own, whatever
// the engine's stanza limit.
type budget struct {
	r      xml.TokenReader
	tokens int
	bytes  int
}

var errTooBig = errors.New("stanza too large")

func limited(r xml.TokenReader, tokens, bytes int) *xml.Decoder {
	return xml.NewTokenDecoder(&budget{r: r, tokens: tokens, bytes: bytes})
}

func (b *budget) Token() (xml.Token, error) {
	tok, err := b.r.Token()
	b.tokens--
	switch t := tok.(type) {
	case xml.CharData:
		b.bytes -= len(t)
	case xml.StartElement:
		for _, a := range t.Attr {
			b.bytes -= len(a.Value) + len(a.Name.Local) + len(a.Name.Space)
		}
	}
	if b.tokens < 0 || b.bytes < 0 {
		return nil, errTooBig
	}
	return tok, err
}

// decodeFirst decodes the first element of r into v.
func decodeFirst(r xml.TokenReader, tokens, bytes int, v any) error {
	d := limited(r, tokens, bytes)
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		if s, ok := tok.(xml.StartElement); ok {
			return d.DecodeElement(v, &s)
		}
	}
}

// Error is a stanza error (RFC 6120 §8.3).
type Error struct {
	Type      string // cancel, auth, modify, wait, continue
	Condition string // conflict, not-authorized, …
	Text      string
}

func (e *Error) Error() string {
	if e.Text != "" {
		return e.Condition + ": " + e.Text
	}
	return e.Condition
}

// UnmarshalXML reads the first defined condition and the text of an error.
func (e *Error) UnmarshalXML(d *xml.Decoder, s xml.StartElement) error {
	for _, a := range s.Attr {
		if a.Name.Local == "type" {
			e.Type = a.Value
		}
	}
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			if t.Name.Space == NSStanzas && t.Name.Local == "text" {
				var s string
				if err := d.DecodeElement(&s, &t); err != nil {
					return err
				}
				e.Text = s
				continue
			}
			if t.Name.Space == NSStanzas && e.Condition == "" {
				e.Condition = t.Name.Local
			}
			if err := d.Skip(); err != nil {
				return err
			}
		}
	}
}

// statusCodes keeps the first maxCodes well-formed three-digit codes.
func statusCodes(raw []rawStatus) []int {
	var codes []int
	for _, s := range raw {
		n, err := strconv.Atoi(s.Code)
		if err != nil || n < 100 || n > 999 {
			continue
		}
		if len(codes) == maxCodes {
			break
		}
		codes = append(codes, n)
	}
	return codes
}

type rawStatus struct {
	Code string `xml:"code,attr"`
}

// IQReply is the outer part of an IQ reply.
type IQReply struct {
	ID, Type, From string
	Error          *Error
}

type rawDiscoItem struct {
	JID  string `xml:"jid,attr"`
	Name string `xml:"name,attr"`
}

type rawIQ struct {
	ID    string `xml:"id,attr"`
	Type  string `xml:"type,attr"`
	From  string `xml:"from,attr"`
	Error *Error `xml:"error"`
	Disco *struct {
		Items []rawDiscoItem `xml:"item"`
	} `xml:"http://jabber.org/protocol/disco#items query"`
	Admin *struct {
		Items []rawItem `xml:"item"`
	} `xml:"http://jabber.org/protocol/muc#admin query"`
}

// ParseIQReply reads the type, id and error of an IQ reply (for example the
// answer to a self-ping: feed Type and Error.Condition to SelfPingVerdict).
func ParseIQReply(r xml.TokenReader) (IQReply, error) {
	var raw rawIQ
	if err := decodeFirst(r, maxTokens, maxBytes, &raw); err != nil {
		return IQReply{}, fmt.Errorf("muc: read iq: %w", err)
	}
	return IQReply{ID: raw.ID, Type: raw.Type, From: raw.From, Error: raw.Error}, nil
}

// DiscoItem is one room of a service's disco#items list.
type DiscoItem struct{ JID, Name string }

const maxListItems = 10000

// ParseDiscoItems reads a disco#items result (the rooms of a service).
func ParseDiscoItems(r xml.TokenReader) ([]DiscoItem, error) {
	var raw rawIQ
	if err := decodeFirst(r, 4*maxListItems, 16<<20, &raw); err != nil {
		return nil, fmt.Errorf("muc: read disco#items: %w", err)
	}
	if raw.Error != nil {
		return nil, fmt.Errorf("muc: disco#items: %w", raw.Error)
	}
	if raw.Disco == nil {
		return nil, errors.New("muc: no disco#items query in the reply")
	}
	items := make([]DiscoItem, 0, len(raw.Disco.Items))
	for _, it := range raw.Disco.Items {
		items = append(items, DiscoItem{JID: it.JID, Name: it.Name})
	}
	return items, nil
}

// ParseAffiliationList reads the reply to AffiliationList.
func ParseAffiliationList(r xml.TokenReader) ([]Item, error) {
	var raw rawIQ
	if err := decodeFirst(r, 4*maxListItems, 16<<20, &raw); err != nil {
		return nil, fmt.Errorf("muc: read affiliation list: %w", err)
	}
	if raw.Error != nil {
		return nil, fmt.Errorf("muc: affiliation list: %w", raw.Error)
	}
	if raw.Admin == nil {
		return nil, errors.New("muc: no muc#admin query in the reply")
	}
	items := make([]Item, 0, len(raw.Admin.Items))
	for _, it := range raw.Admin.Items {
		items = append(items, it.item())
	}
	return items, nil
}
