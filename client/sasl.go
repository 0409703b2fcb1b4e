package client

import (
	"context"
	"encoding/xml"
	"io"

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
		return negotiate(ctx, s, data)
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
