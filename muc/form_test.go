package muc

import (
	"strings"
	"testing"
)

// prosodyConfig is the configuration form Prosody 0.12 sends for a room
// (abridged to one field of each kind it uses).
const prosodyConfig = `<iq xmlns='jabber:client' type='result' id='c1' from='coven@conference.localhost'>
<query xmlns='http://jabber.org/protocol/muc#owner'>
<x xmlns='jabber:x:data' type='form'>
  <title>Configuration for coven@conference.localhost</title>
  <instructions>Complete and submit this form to configure the room.</instructions>
  <field type='hidden' var='FORM_TYPE'><value>http://jabber.org/protocol/muc#roomconfig</value></field>
  <field type='fixed'><value>Room information</value></field>
  <field type='text-single' label='Title' var='muc#roomconfig_roomname'/>
  <field type='text-multi' label='Description' var='muc#roomconfig_roomdesc'><desc>A brief description of the room</desc><value/></field>
  <field type='boolean' label='Persistent (room should remain even when it is empty)' var='muc#roomconfig_persistentroom'><value>0</value></field>
  <field type='text-private' label='Password' var='muc#roomconfig_roomsecret'/>
  <field type='list-single' label='Who may see real addresses' var='muc#roomconfig_whois'>
    <value>moderators</value>
    <option label='Moderators only'><value>moderators</value></option>
    <option label='Anyone'><value>anyone</value></option>
  </field>
  <field type='list-multi' label='Roles that may send private messages' var='muc#roomconfig_allowpm'>
    <option label='Moderator'><value>moderator</value></option>
    <option label='Participant'><value>participant</value></option>
    <option label='Visitor'><value>visitor</value></option>
  </field>
  <field type='jid-multi' label='Owners' var='muc#roomconfig_roomowners'><value>me@localhost</value></field>
  <field type='text-single' label='Maximum number of history messages returned by room' var='muc#roomconfig_historylength'><value>20</value></field>
  <field var='untyped'><value>u</value><required/></field>
</x></query></iq>`

func TestParseForm(t *testing.T) {
	f, err := ParseForm(dec(prosodyConfig))
	if err != nil {
		t.Fatal(err)
	}
	if f.Type != "form" || f.Title != "Configuration for coven@conference.localhost" || len(f.Fields) != 11 {
		t.Fatalf("form %+v", f)
	}
	whois := f.Field("muc#roomconfig_whois")
	if whois == nil || whois.Type != "list-single" || len(whois.Options) != 2 || whois.Options[1] != (Option{"Anyone", "anyone"}) || whois.Values[0] != "moderators" {
		t.Errorf("whois %+v", whois)
	}
	if d := f.Field("muc#roomconfig_roomdesc"); d.Desc != "A brief description of the room" {
		t.Errorf("desc %+v", d)
	}
	if u := f.Field("untyped"); u.Type != "text-single" || !u.Required {
		t.Errorf("untyped %+v", u)
	}
	if f.Field("") != nil {
		t.Error("the fixed field has no name but was found")
	}
}

func TestFormSet(t *testing.T) {
	f, _ := ParseForm(dec(prosodyConfig))
	ok := []struct {
		v    string
		vals []string
		want string
	}{
		{"muc#roomconfig_persistentroom", []string{"yes"}, "1"},
		{"muc#roomconfig_persistentroom", []string{"False"}, "0"},
		{"muc#roomconfig_whois", []string{"anyone"}, "anyone"},
		{"muc#roomconfig_allowpm", []string{"moderator", "participant"}, "moderator,participant"},
		{"muc#roomconfig_roomowners", []string{"me@localhost", "you@localhost"}, "me@localhost,you@localhost"},
		{"muc#roomconfig_roomname", []string{"A Dark Cave"}, "A Dark Cave"},
		{"muc#roomconfig_roomdesc", []string{"line 1", "line 2"}, "line 1,line 2"},
		{"muc#roomconfig_roomname", nil, ""},
	}
	for _, tc := range ok {
		if err := f.Set(tc.v, tc.vals...); err != nil {
			t.Errorf("set %s %v: %v", tc.v, tc.vals, err)
			continue
		}
		if got := strings.Join(f.Field(tc.v).Values, ","); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.v, got, tc.want)
		}
	}
	bad := []struct {
		v    string
		vals []string
	}{
		{"nope", []string{"x"}},
		{"muc#roomconfig_persistentroom", []string{"maybe"}},
		{"muc#roomconfig_persistentroom", nil},
		{"muc#roomconfig_whois", []string{"everyone"}},
		{"muc#roomconfig_whois", []string{"anyone", "moderators"}},
		{"muc#roomconfig_allowpm", []string{"owner"}},
		{"muc#roomconfig_roomowners", []string{"@@"}},
		{"muc#roomconfig_roomname", []string{"a", "b"}},
	}
	for _, tc := range bad {
		before := ""
		if fd := f.Field(tc.v); fd != nil {
			before = strings.Join(fd.Values, ",")
		}
		if err := f.Set(tc.v, tc.vals...); err == nil {
			t.Errorf("set %s %v accepted", tc.v, tc.vals)
		}
		if fd := f.Field(tc.v); fd != nil && strings.Join(fd.Values, ",") != before {
			t.Errorf("a refused set changed %s", tc.v)
		}
	}
}

func TestFormSubmission(t *testing.T) {
	f, _ := ParseForm(dec(prosodyConfig))
	if err := f.Set("muc#roomconfig_roomname", "A <Dark> Cave"); err != nil {
		t.Fatal(err)
	}
	got := mustEncode(t, f.Submission().TokenReader())
	for _, want := range []string{
		`<x xmlns="jabber:x:data" type="submit">`,
		`<field var="FORM_TYPE"><value>http://jabber.org/protocol/muc#roomconfig</value></field>`,
		`<field var="muc#roomconfig_roomname"><value>A &lt;Dark&gt; Cave</value></field>`,
		`<field var="muc#roomconfig_whois"><value>moderators</value></field>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("submission lacks %s:\n%s", want, got)
		}
	}
	if strings.Contains(got, "option") || strings.Contains(got, "label") || strings.Contains(got, "Room information") {
		t.Errorf("submission carries form-only parts:\n%s", got)
	}
	// The submission reads back as the same values.
	back, err := ParseForm(dec(got))
	if err != nil || back.Type != "submit" || back.Field("muc#roomconfig_roomname").Values[0] != "A <Dark> Cave" {
		t.Errorf("round trip: %+v %v", back, err)
	}
}

func TestParseFormBounds(t *testing.T) {
	if _, err := ParseForm(dec(`<iq><query/></iq>`)); err == nil {
		t.Error("no form accepted")
	}
	big := "<x xmlns='jabber:x:data' type='form'>" + strings.Repeat("<field var='a' type='list-multi'><value>v</value></field>", maxFields+50) + "</x>"
	f, err := ParseForm(dec(big))
	if err != nil || len(f.Fields) != maxFields {
		t.Errorf("%v, %d fields", err, len(f.Fields))
	}
}
