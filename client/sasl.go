package client

import (
	"context"
	"crypto/tls"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"mellium.im/sasl"
	"mellium.im/xmlstream"
	"mellium.im/xmpp"
)

// mechanisms is our order of preference: channel binding first, then the
// strongest hash; PLAIN last. Our SASL feature only runs on a secured
// stream, so PLAIN is never sent in the clear.
var mechanisms = []sasl.Mechanism{
	sasl.ScramSha256Plus,
	sasl.ScramSha1Plus,
	sasl.ScramSha256,
	sasl.ScramSha1,
	sasl.Plain,
}

// recordingSASL is the client's SASL stream feature (RFC 6120 §6); it
// records the mechanism it chose in chosen. It is ours rather than
// mellium's xmpp.SASL so that the chosen mechanism is known afterwards and
// a <failure/> comes back as an *AuthError: mellium v0.22.0 returns
// failures as a type from an internal package that cannot be named
// outside it. Only public APIs are used: mellium.im/sasl
// for the mechanisms and the session's token reader and writer.
//
// The feature is necessary only once the stream is secured, so PLAIN is
// never offered in the clear.
//
// It also keeps channel binding from failing: under TLS 1.3 the only
// binding is tls-exporter, and servers that know only tls-unique (ejabberd
// 23.01) still offer -PLUS mechanisms, then refuse the binding. So under
// TLS 1.3 the -PLUS mechanisms are used only when the server says, with
// XEP-0440, that it supports tls-exporter; cb holds what it said.
func recordingSASL(password string, chosen *string, cb *[]string) xmpp.StreamFeature {
	return xmpp.StreamFeature{
		Name:       xml.Name{Space: nsSASL, Local: "mechanisms"},
		Necessary:  xmpp.Secure,
		Prohibited: xmpp.Authn,
		List: func(context.Context, xmlstream.TokenWriter, xml.StartElement) (bool, error) {
			return true, errors.New("sasl: server side not supported by the client engine")
		},
		Parse: func(_ context.Context, d *xml.Decoder, start *xml.StartElement) (bool, interface{}, error) {
			var v struct {
				List []string `xml:"urn:ietf:params:xml:ns:xmpp-sasl mechanism"`
			}
			err := d.DecodeElement(&v, start)
			return true, v.List, err
		},
		Negotiate: func(ctx context.Context, s *xmpp.Session, data interface{}) (xmpp.SessionState, io.ReadWriter, error) {
			offered, _ := data.([]string)
			offered = usableMechanisms(offered, s.ConnectionState().Version, *cb)
			mech, ok := chooseMechanism(offered)
			if !ok {
				return 0, nil, fmt.Errorf("%w (offered: %s)", errNoMechanism, strings.Join(offered, ", "))
			}
			*chosen = mech.Name
			if err := authenticate(ctx, s, mech, password, offered); err != nil {
				return 0, nil, err
			}
			return xmpp.Authn, s.Conn(), nil // a new stream follows
		},
	}
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
	m, _ := chooseMechanism(offered)
	return m.Name
}

// chooseMechanism returns the first of our mechanisms the server offers.
func chooseMechanism(offered []string) (sasl.Mechanism, bool) {
	for _, m := range mechanisms {
		if slices.Contains(offered, m.Name) {
			return m, true
		}
	}
	return sasl.Mechanism{}, false
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

// errNoMechanism: the server offers none of the mechanisms we use.
var errNoMechanism = errors.New("the server offers no SASL mechanism we use")
