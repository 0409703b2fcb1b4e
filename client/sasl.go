package client

import (
	"context"
	"crypto/tls"
	"encoding/xml"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"

	"mellium.im/sasl"
	"mellium.im/xmlstream"
	"mellium.im/xmpp"
)

// mechanisms is our order of preference: channel binding first, then the
// strongest hash; PLAIN last. mellium's SASL feature only runs on a secured
// stream, so PLAIN is never offered in the clear.
var mechanisms = []sasl.Mechanism{
	sasl.ScramSha256Plus,
	sasl.ScramSha1Plus,
	sasl.ScramSha256,
	sasl.ScramSha1,
	sasl.Plain,
}

// recordingSASL wraps mellium's SASL feature so that the mechanism it
// chooses is known afterwards (mellium does not expose it). mellium picks
// the first of our mechanisms that the server offers, and so do we.
//
// It also keeps channel binding from failing: under TLS 1.3 the only
// binding is tls-exporter, and servers that know only tls-unique (ejabberd
// 23.01) still offer -PLUS mechanisms, then refuse the binding. So under
// TLS 1.3 the -PLUS mechanisms are used only when the server says, with
// XEP-0440, that it supports tls-exporter; cb holds what it said.
func recordingSASL(password string, chosen *string, cb *[]string) xmpp.StreamFeature {
	f := xmpp.SASL("", password, mechanisms...)
	negotiate := f.Negotiate
	f.Negotiate = func(ctx context.Context, s *xmpp.Session, data interface{}) (xmpp.SessionState, io.ReadWriter, error) {
		if offered, ok := data.([]string); ok {
			offered = usableMechanisms(offered, s.ConnectionState().Version, *cb)
			*chosen = pickMechanism(offered)
			data = offered
		}
		state, rw, err := negotiate(ctx, s, data)
		if failure, ok := asSASLFailure(err); ok {
			err = failure
		}
		return state, rw, err
	}
	return f
}

// usableMechanisms drops the -PLUS mechanisms under TLS 1.3 unless the
// server announced tls-exporter channel binding.
func usableMechanisms(offered []string, tlsVersion uint16, cbTypes []string) []string {
	if tlsVersion < tls.VersionTLS13 || slices.Contains(cbTypes, "tls-exporter") {
		return offered
	}
	out := make([]string, 0, len(offered))
	for _, m := range offered {
		if !strings.HasSuffix(m, "-PLUS") {
			out = append(out, m)
		}
	}
	return out
}

const nsSASLCB = "urn:xmpp:sasl-cb:0"

// channelBindingTypes reads the XEP-0440 stream feature listing the
// channel-binding types the server supports. It is informational: there
// is nothing to negotiate.
func channelBindingTypes(types *[]string) xmpp.StreamFeature {
	return xmpp.StreamFeature{
		Name:       xml.Name{Space: nsSASLCB, Local: "sasl-channel-binding"},
		Prohibited: xmpp.Authn,
		List: func(context.Context, xmlstream.TokenWriter, xml.StartElement) (bool, error) {
			return false, nil
		},
		Parse: func(_ context.Context, d *xml.Decoder, start *xml.StartElement) (bool, interface{}, error) {
			var v struct {
				Bindings []struct {
					Type string `xml:"type,attr"`
				} `xml:"channel-binding"`
			}
			err := d.DecodeElement(&v, start)
			for _, b := range v.Bindings {
				*types = append(*types, b.Type)
			}
			return false, nil, err
		},
		Negotiate: func(context.Context, *xmpp.Session, interface{}) (xmpp.SessionState, io.ReadWriter, error) {
			return 0, nil, nil
		},
	}
}

func pickMechanism(offered []string) string {
	for _, m := range mechanisms {
		for _, name := range offered {
			if name == m.Name {
				return m.Name
			}
		}
	}
	return ""
}

// AuthError is the server's SASL <failure/>: a refused login.
type AuthError struct {
	Condition string // not-authorized, account-disabled, temporary-auth-failure, …
	Text      string
}

func (e *AuthError) Error() string {
	if e.Text != "" {
		return fmt.Sprintf("authentication failed (%s): %s", e.Condition, e.Text)
	}
	return "authentication failed (" + e.Condition + ")"
}

// Temporary reports whether trying again later may succeed.
func (e *AuthError) Temporary() bool { return e.Condition == "temporary-auth-failure" }

// asSASLFailure recognises mellium's SASL failure, whose type lives in an
// internal package we cannot name: a struct from package saslerr with a
// Condition (a fmt.Stringer) and a Text.
func asSASLFailure(err error) (*AuthError, bool) {
	if err == nil {
		return nil, false
	}
	v := reflect.ValueOf(err)
	if v.Kind() != reflect.Struct || !strings.HasSuffix(v.Type().PkgPath(), "/saslerr") {
		return nil, false
	}
	out := &AuthError{Condition: "not-authorized"}
	if c, ok := v.FieldByName("Condition").Interface().(fmt.Stringer); ok && c.String() != "" {
		out.Condition = c.String()
	}
	if t := v.FieldByName("Text"); t.Kind() == reflect.String {
		out.Text = t.String()
	}
	return out, true
}
