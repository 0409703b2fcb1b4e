package client

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"reflect"
	"strings"

	"mellium.im/sasl"
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
func recordingSASL(password string, chosen *string) xmpp.StreamFeature {
	f := xmpp.SASL("", password, mechanisms...)
	parse := f.Parse
	f.Parse = func(ctx context.Context, d *xml.Decoder, start *xml.StartElement) (bool, interface{}, error) {
		req, data, err := parse(ctx, d, start)
		if offered, ok := data.([]string); ok {
			*chosen = pickMechanism(offered)
		}
		return req, data, err
	}
	negotiate := f.Negotiate
	f.Negotiate = func(ctx context.Context, s *xmpp.Session, data interface{}) (xmpp.SessionState, io.ReadWriter, error) {
		if offered, ok := data.([]string); ok && s.ConnectionState().Version != 0 {
			*chosen = pickMechanism(offered)
		}
		state, rw, err := negotiate(ctx, s, data)
		if failure, ok := asSASLFailure(err); ok {
			err = failure
		}
		return state, rw, err
	}
	return f
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
