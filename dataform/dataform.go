// Package dataform is XEP-0004 data forms: a form read from the network
// (bounded: a form with thousands of fields or huge labels is refused, not
// held), its fields set by name and checked, and the submission written
// back as XML. MUC room configuration, in-band registration and ad-hoc
// commands share it.
//
// Labels, descriptions and values are what the sender wrote: data, never
// markup, to be sanitised by whoever shows them. This package must not
// import the engine, storage or any UI.
package dataform

import (
	"encoding/xml"
	"errors"
	"fmt"
	"slices"
	"strings"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/jid"
)

// NS is the XEP-0004 namespace.
const NS = "jabber:x:data"

// Limits on a form read from the network.
const (
	MaxFields  = 500  // fields in one form
	MaxValues  = 1000 // values and options of one field
	MaxText    = 4096 // bytes of a title, instructions, label, description or value
	formTypeID = "FORM_TYPE"
)

// Field types of XEP-0004 §3.3.
const (
	Boolean     = "boolean"
	Fixed       = "fixed"
	Hidden      = "hidden"
	JIDMulti    = "jid-multi"
	JIDSingle   = "jid-single"
	ListMulti   = "list-multi"
	ListSingle  = "list-single"
	TextMulti   = "text-multi"
	TextPrivate = "text-private"
	TextSingle  = "text-single"
)

var fieldTypes = []string{Boolean, Fixed, Hidden, JIDMulti, JIDSingle, ListMulti, ListSingle, TextMulti, TextPrivate, TextSingle}

// Form is a data form.
type Form struct {
	Type         string // form, submit, cancel or result
	Title        string
	Instructions []string
	Fields       []Field
}

// Field is one field of a form.
type Field struct {
	Var      string
	Type     string // one of the field types; "" reads as text-single
	Label    string
	Desc     string
	Required bool
	Values   []string
	Options  []Option // for list-single and list-multi
}

// Option is one choice of a list field.
type Option struct {
	Label, Value string
}

// ErrTooLarge is returned for a form beyond the limits.
var ErrTooLarge = errors.New("data form beyond the limits")

type formXML struct {
	Type         string   `xml:"type,attr"`
	Title        string   `xml:"title"`
	Instructions []string `xml:"instructions"`
	Fields       []struct {
		Var      string    `xml:"var,attr"`
		Type     string    `xml:"type,attr"`
		Label    string    `xml:"label,attr"`
		Desc     string    `xml:"desc"`
		Required *struct{} `xml:"required"`
		Values   []string  `xml:"value"`
		Options  []struct {
			Label string `xml:"label,attr"`
			Value string `xml:"value"`
		} `xml:"option"`
	} `xml:"field"`
}

// Decode reads the <x xmlns='jabber:x:data'/> whose start element d has
// just returned. The raw form is bounded by the stanza that carries it;
// Decode refuses one with more than MaxFields fields, MaxValues values or
// options in a field, or a text longer than MaxText.
func Decode(d *xml.Decoder, start *xml.StartElement) (Form, error) {
	if start.Name.Space != NS || start.Name.Local != "x" {
		return Form{}, fmt.Errorf("data form: element <%s xmlns=%q>", start.Name.Local, start.Name.Space)
	}
	var x formXML
	if err := d.DecodeElement(&x, start); err != nil {
		return Form{}, fmt.Errorf("data form: %w", err)
	}
	if len(x.Fields) > MaxFields || len(x.Instructions) > MaxValues {
		return Form{}, fmt.Errorf("%w: %d fields", ErrTooLarge, len(x.Fields))
	}
	f := Form{Type: x.Type, Title: x.Title, Instructions: x.Instructions}
	texts := append([]string{f.Title}, f.Instructions...)
	for _, xf := range x.Fields {
		if len(xf.Values)+len(xf.Options) > MaxValues {
			return Form{}, fmt.Errorf("%w: field %q has %d values", ErrTooLarge, clip(xf.Var), len(xf.Values)+len(xf.Options))
		}
		fl := Field{Var: xf.Var, Type: xf.Type, Label: xf.Label, Desc: xf.Desc, Required: xf.Required != nil, Values: xf.Values}
		texts = append(texts, xf.Var, xf.Label, xf.Desc)
		texts = append(texts, xf.Values...)
		for _, o := range xf.Options {
			fl.Options = append(fl.Options, Option{Label: o.Label, Value: o.Value})
			texts = append(texts, o.Label, o.Value)
		}
		f.Fields = append(f.Fields, fl)
	}
	for _, s := range texts {
		if len(s) > MaxText {
			return Form{}, fmt.Errorf("%w: a text of %d bytes", ErrTooLarge, len(s))
		}
	}
	return f, nil
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// FormType returns the value of the hidden FORM_TYPE field, or "".
func (f *Form) FormType() string {
	if fl := f.Field(formTypeID); fl != nil && fl.Type == Hidden && len(fl.Values) > 0 {
		return fl.Values[0]
	}
	return ""
}

// Field returns the field named v, or nil.
func (f *Form) Field(v string) *Field {
	for i := range f.Fields {
		if f.Fields[i].Var == v {
			return &f.Fields[i]
		}
	}
	return nil
}

// Set gives the field named v the values given, checked against its type.
func (f *Form) Set(v string, values ...string) error {
	fl := f.Field(v)
	if fl == nil {
		return fmt.Errorf("data form: no field %q", v)
	}
	if fl.Type == Fixed || fl.Type == Hidden {
		return fmt.Errorf("data form: field %q is %s and cannot be set", v, fl.Type)
	}
	old := fl.Values
	fl.Values = values
	if err := fl.check(); err != nil {
		fl.Values = old
		return err
	}
	return nil
}

// Validate checks every field: types, options, and required fields given.
func (f *Form) Validate() error {
	var errs []error
	for i := range f.Fields {
		fl := &f.Fields[i]
		if fl.Required && fl.Type != Fixed && (len(fl.Values) == 0 || fl.Values[0] == "") {
			errs = append(errs, fmt.Errorf("field %q is required", fl.Var))
			continue
		}
		if err := fl.check(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (fl *Field) check() error {
	typ := fl.Type
	if typ == "" {
		typ = TextSingle
	}
	if !slices.Contains(fieldTypes, typ) {
		return fmt.Errorf("field %q: unknown type %q", fl.Var, typ)
	}
	single := typ == Boolean || typ == JIDSingle || typ == ListSingle || typ == TextSingle || typ == TextPrivate || typ == Hidden
	if single && len(fl.Values) > 1 {
		return fmt.Errorf("field %q (%s) takes one value, not %d", fl.Var, typ, len(fl.Values))
	}
	for _, val := range fl.Values {
		if err := fl.checkValue(typ, val); err != nil {
			return err
		}
	}
	return nil
}

func (fl *Field) checkValue(typ, val string) error {
	switch typ {
	case Boolean:
		switch val {
		case "0", "1", "true", "false":
		default:
			return fmt.Errorf("field %q: %q is not a boolean (0, 1, true or false)", fl.Var, clip(val))
		}
	case JIDSingle, JIDMulti:
		if _, err := jid.Parse(val); err != nil {
			return fmt.Errorf("field %q: %q is not a JID: %w", fl.Var, clip(val), err)
		}
	case ListSingle, ListMulti:
		if len(fl.Options) > 0 && !slices.ContainsFunc(fl.Options, func(o Option) bool { return o.Value == val }) {
			return fmt.Errorf("field %q: %q is not one of its options", fl.Var, clip(val))
		}
	case TextSingle, TextPrivate:
		if strings.ContainsAny(val, "\r\n") {
			return fmt.Errorf("field %q: one line only", fl.Var)
		}
	}
	return nil
}

// Bool reads a boolean value.
func Bool(val string) bool { return val == "1" || val == "true" }

// Submit returns the submission of f: a form of type submit with each
// field's var and values (FORM_TYPE and the other hidden fields kept, fixed
// fields left out), after Validate.
func (f *Form) Submit() (xml.TokenReader, error) {
	if err := f.Validate(); err != nil {
		return nil, fmt.Errorf("data form: %w", err)
	}
	var fields []xml.TokenReader
	for _, fl := range f.Fields {
		if fl.Type == Fixed || fl.Var == "" {
			continue
		}
		var vals []xml.TokenReader
		for _, v := range fl.Values {
			vals = append(vals, xmlstream.Wrap(xmlstream.Token(xml.CharData(v)), xml.StartElement{Name: xml.Name{Local: "value"}}))
		}
		attrs := []xml.Attr{{Name: xml.Name{Local: "var"}, Value: fl.Var}}
		if fl.Type != "" {
			attrs = append(attrs, xml.Attr{Name: xml.Name{Local: "type"}, Value: fl.Type})
		}
		fields = append(fields, xmlstream.Wrap(xmlstream.MultiReader(vals...), xml.StartElement{Name: xml.Name{Local: "field"}, Attr: attrs}))
	}
	return xmlstream.Wrap(xmlstream.MultiReader(fields...), xml.StartElement{Name: xml.Name{Space: NS, Local: "x"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "type"}, Value: "submit"}}}), nil
}
