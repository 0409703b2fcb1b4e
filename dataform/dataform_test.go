package dataform

import (
	"encoding/xml"
	"errors"
	"strings"
	"testing"
)

// The registration form of XEP-0077 §5, with a few more field types.
const sample = `<x xmlns='jabber:x:data' type='form'>
  <title>Register</title>
  <instructions>Fill in the form</instructions>
  <field type='hidden' var='FORM_TYPE'><value>jabber:iq:register</value></field>
  <field type='fixed'><value>Your details</value></field>
  <field type='text-single' label='Given Name' var='first'><required/></field>
  <field type='text-private' label='Password' var='password'><required/></field>
  <field type='list-single' label='Gender' var='x-gender'><option label='Male'><value>M</value></option><option label='Female'><value>F</value></option></field>
  <field type='boolean' var='newsletter'><value>0</value></field>
  <field type='jid-multi' var='friends'/>
  <field var='untyped'/>
</x>`

func decode(t testing.TB, raw string) (Form, error) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(raw))
	tok, err := d.Token()
	if err != nil {
		t.Fatal(err)
	}
	start := tok.(xml.StartElement)
	return Decode(d, &start)
}

func TestDecodeSetSubmit(t *testing.T) {
	f, err := decode(t, sample)
	if err != nil {
		t.Fatal(err)
	}
	if f.Title != "Register" || f.FormType() != "jabber:iq:register" || len(f.Fields) != 8 {
		t.Fatalf("form %+v", f)
	}
	if err := f.Validate(); err == nil {
		t.Error("a form missing required fields validates")
	}
	for _, c := range []struct {
		v    string
		vals []string
	}{{"first", []string{"Juliet"}}, {"password", []string{"s3cret"}}, {"x-gender", []string{"F"}}, {"newsletter", []string{"true"}}, {"friends", []string{"romeo@example.net", "nurse@example.net"}}} {
		if err := f.Set(c.v, c.vals...); err != nil {
			t.Errorf("set %s: %v", c.v, err)
		}
	}
	for _, c := range []struct {
		v    string
		vals []string
	}{{"x-gender", []string{"X"}}, {"newsletter", []string{"yes"}}, {"friends", []string{"not a jid@@"}}, {"first", []string{"two\nlines"}}, {"first", []string{"a", "b"}}, {"FORM_TYPE", []string{"x"}}, {"nope", nil}} {
		if err := f.Set(c.v, c.vals...); err == nil {
			t.Errorf("set %s to %q accepted", c.v, c.vals)
		}
	}
	if f.Field("first").Values[0] != "Juliet" {
		t.Error("a refused Set changed the field")
	}
	r, err := f.Submit()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	enc := xml.NewEncoder(&b)
	for {
		tok, err := r.Token()
		if tok != nil {
			if err := enc.EncodeToken(tok); err != nil {
				t.Fatal(err)
			}
		}
		if err != nil {
			break
		}
	}
	enc.Flush()
	back, err := decode(t, b.String())
	if err != nil {
		t.Fatalf("submission %s: %v", b.String(), err)
	}
	if back.Type != "submit" || back.FormType() != "jabber:iq:register" || back.Field("password").Values[0] != "s3cret" ||
		len(back.Field("friends").Values) != 2 || strings.Contains(b.String(), "Your details") {
		t.Errorf("submission %s", b.String())
	}
}

func TestDecodeHostile(t *testing.T) {
	many := `<x xmlns='jabber:x:data'>` + strings.Repeat(`<field var='f'/>`, MaxFields+1) + `</x>`
	label := `<x xmlns='jabber:x:data'><field var='f' label='` + strings.Repeat("L", MaxText+1) + `'/></x>`
	values := `<x xmlns='jabber:x:data'><field var='f'>` + strings.Repeat(`<value>v</value>`, MaxValues+1) + `</field></x>`
	for _, raw := range []string{many, label, values} {
		if _, err := decode(t, raw); !errors.Is(err, ErrTooLarge) {
			t.Errorf("form of %d bytes: %v, want ErrTooLarge", len(raw), err)
		}
	}
	f, err := decode(t, `<x xmlns='jabber:x:data'><field var='f' type='text-single' label='`+"\u009b31m\u202e"+`'/></x>`)
	if err != nil || f.Fields[0].Label != "\u009b31m\u202e" {
		t.Errorf("a hostile label is data, kept as is for the view to sanitise: %+v, %v", f, err)
	}
	if _, err := decode(t, `<x xmlns='urn:other'/>`); err == nil {
		t.Error("a foreign element read as a form")
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(sample)
	f.Add(`<x xmlns='jabber:x:data' type='submit'><field var='a' type='boolean'><value>1</value></field></x>`)
	f.Fuzz(func(t *testing.T, raw string) {
		d := xml.NewDecoder(strings.NewReader(raw))
		tok, err := d.Token()
		if err != nil {
			return
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			return
		}
		form, err := Decode(d, &start)
		if err != nil {
			return
		}
		if len(form.Fields) > MaxFields {
			t.Fatalf("%d fields kept", len(form.Fields))
		}
		if form.Validate() == nil {
			if _, err := form.Submit(); err != nil {
				t.Fatalf("valid form not submitted: %v", err)
			}
		}
	})
}
