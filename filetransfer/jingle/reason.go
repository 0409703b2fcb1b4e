package jingle

import (
	"encoding/xml"
	"fmt"
)

// MarshalXML writes <reason><cond/><text>…</text></reason>.
func (r Reason) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	start.Name = xml.Name{Local: "reason"}
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	cond := xml.StartElement{Name: xml.Name{Local: r.Cond}}
	if err := e.EncodeToken(cond); err != nil {
		return err
	}
	if err := e.EncodeToken(cond.End()); err != nil {
		return err
	}
	if r.Text != "" {
		if err := e.EncodeElement(r.Text, xml.StartElement{Name: xml.Name{Local: "text"}}); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}

// UnmarshalXML reads the first child other than <text/> as the condition.
func (r *Reason) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	for {
		tok, err := d.Token()
		if err != nil {
			return fmt.Errorf("reason: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "text" {
				if err := d.DecodeElement(&r.Text, &t); err != nil {
					return err
				}
				continue
			}
			if r.Cond == "" {
				r.Cond = t.Name.Local
			}
			if err := d.Skip(); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}
