package muc

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strings"

	"mellium.im/xmpp/jid"
)

// Form is a XEP-0004 data form, as a room sends its configuration
// (muc#roomconfig) and as we submit it back, field by field.
type Form struct {
	Type         string // form, submit, cancel, result
	Title        string
	Instructions string
	Fields       []Field
}

// Field is one field of a form.
type Field struct {
	Var      string
	Type     string // boolean, fixed, hidden, jid-multi, jid-single, list-multi, list-single, text-multi, text-private, text-single
	Label    string
	Desc     string
	Required bool
	Values   []string
	Options  []Option
}

// Option is one choice of a list field.
type Option struct{ Label, Value string }

// Limits on a parsed form.
const (
	maxFields  = 512
	maxValues  = 512
	maxOptions = 512
)

type rawOption struct {
	Label string `xml:"label,attr"`
	Value string `xml:"value"`
}

type rawField struct {
	Var      string      `xml:"var,attr"`
	Type     string      `xml:"type,attr"`
	Label    string      `xml:"label,attr"`
	Desc     string      `xml:"desc"`
	Required *struct{}   `xml:"required"`
	Values   []string    `xml:"value"`
	Options  []rawOption `xml:"option"`
}

type rawForm struct {
	Type         string     `xml:"type,attr"`
	Title        string     `xml:"title"`
	Instructions []string   `xml:"instructions"`
	Fields       []rawField `xml:"field"`
}

// ParseForm finds the first data form in r (a bare x element, or one inside
// an IQ's query, as a room's configuration comes) and reads it.
func ParseForm(r xml.TokenReader) (*Form, error) {
	d := limited(r, 16*maxFields*4, 4<<20)
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, fmt.Errorf("muc: no data form: %w", err)
		}
		s, ok := tok.(xml.StartElement)
		if !ok || s.Name.Space != NSData || s.Name.Local != "x" {
			continue
		}
		var raw rawForm
		if err := d.DecodeElement(&raw, &s); err != nil {
			return nil, fmt.Errorf("muc: read data form: %w", err)
		}
		return raw.form(), nil
	}
}

func (raw rawForm) form() *Form {
	f := &Form{Type: raw.Type, Title: raw.Title, Instructions: strings.Join(raw.Instructions, "\n")}
	for i, rf := range raw.Fields {
		if i == maxFields {
			break
		}
		fd := Field{Var: rf.Var, Type: rf.Type, Label: rf.Label, Desc: rf.Desc, Required: rf.Required != nil,
			Values: capped(rf.Values, maxValues)}
		if fd.Type == "" {
			fd.Type = "text-single"
		}
		for j, o := range rf.Options {
			if j == maxOptions {
				break
			}
			fd.Options = append(fd.Options, Option{Label: o.Label, Value: o.Value})
		}
		f.Fields = append(f.Fields, fd)
	}
	return f
}

func capped(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// Field returns the field named v, or nil.
func (f *Form) Field(v string) *Field {
	for i := range f.Fields {
		if f.Fields[i].Var == v && v != "" {
			return &f.Fields[i]
		}
	}
	return nil
}

// Set sets a field's values, checked against its type: a boolean takes one
// of 1, 0, true, false (and on/off, yes/no); a list takes only its options;
// a single-valued field takes one value; a JID field takes valid JIDs.
func (f *Form) Set(v string, values ...string) error {
	fd := f.Field(v)
	if fd == nil {
		return fmt.Errorf("muc: the form has no field %q", v)
	}
	vals, err := fd.check(values)
	if err != nil {
		return fmt.Errorf("muc: field %s: %w", v, err)
	}
	fd.Values = vals
	return nil
}

func (fd *Field) check(values []string) ([]string, error) {
	switch fd.Type {
	case "fixed":
		return nil, errors.New("a fixed field cannot be set")
	case "jid-multi", "list-multi", "text-multi":
	default:
		if len(values) > 1 {
			return nil, errors.New("takes one value")
		}
	}
	switch fd.Type {
	case "boolean":
		return checkBool(values)
	case "list-single", "list-multi":
		return values, fd.checkOptions(values)
	case "jid-single", "jid-multi":
		for _, s := range values {
			if _, err := jid.Parse(s); err != nil {
				return nil, fmt.Errorf("%q is not a JID: %w", s, err)
			}
		}
	}
	return values, nil
}

func checkBool(values []string) ([]string, error) {
	if len(values) == 0 {
		return nil, errors.New("takes true or false")
	}
	switch strings.ToLower(values[0]) {
	case "1", "true", "on", "yes":
		return []string{"1"}, nil
	case "0", "false", "off", "no":
		return []string{"0"}, nil
	}
	return nil, fmt.Errorf("%q is not true or false", values[0])
}

func (fd *Field) checkOptions(values []string) error {
	if len(fd.Options) == 0 {
		return nil
	}
	for _, v := range values {
		found := false
		for _, o := range fd.Options {
			found = found || o.Value == v
		}
		if !found {
			return fmt.Errorf("%q is not one of its options", v)
		}
	}
	return nil
}

// Submission returns the form to send back: type submit, every field with
// a name and its values, without labels, options or fixed fields.
func (f *Form) Submission() *Form {
	s := &Form{Type: "submit"}
	for _, fd := range f.Fields {
		if fd.Var == "" || fd.Type == "fixed" {
			continue
		}
		s.Fields = append(s.Fields, Field{Var: fd.Var, Type: fd.Type, Values: append([]string(nil), fd.Values...)})
	}
	return s
}

// TokenReader writes the form as a jabber:x:data x element.
func (f *Form) TokenReader() xml.TokenReader {
	var inner []xml.TokenReader
	if f.Title != "" {
		inner = append(inner, text("title", f.Title))
	}
	if f.Instructions != "" {
		inner = append(inner, text("instructions", f.Instructions))
	}
	for _, fd := range f.Fields {
		inner = append(inner, fd.tokens(f.Type == "submit"))
	}
	return elem(start(NSData, "x", attr("type", f.Type)), inner...)
}

func (fd Field) tokens(submit bool) xml.TokenReader {
	attrs := []xml.Attr{attr("var", fd.Var)}
	if !submit {
		attrs = append(attrs, attr("type", fd.Type))
		if fd.Label != "" {
			attrs = append(attrs, attr("label", fd.Label))
		}
	}
	var inner []xml.TokenReader
	for _, v := range fd.Values {
		inner = append(inner, text("value", v))
	}
	if !submit {
		for _, o := range fd.Options {
			inner = append(inner, elem(start("", "option", attr("label", o.Label)), text("value", o.Value)))
		}
	}
	return elem(start("", "field", attrs...), inner...)
}
