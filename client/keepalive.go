package client

import (
	"context"
	"encoding/xml"
	"fmt"
	"time"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/stanza"
)

// keepalive pings the server (XEP-0199) when the stream has been idle for
// PingInterval, and tears the session down when a ping goes unanswered for
// PingTimeout: a dead TCP connection is otherwise noticed only when the
// kernel gives up, many minutes later.
func (e *Engine) keepalive(s *session) {
	tick := time.NewTicker(e.cfg.PingInterval / 4)
	defer tick.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-tick.C:
		}
		if s.idle() < e.cfg.PingInterval {
			continue
		}
		if err := ping(s, e.cfg.PingTimeout); err != nil && s.ctx.Err() == nil {
			s.fail(fmt.Errorf("server did not answer a ping within %s: %w", e.cfg.PingTimeout, err))
			return
		}
		s.touch()
	}
}

func ping(s *session, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(s.ctx, timeout)
	defer cancel()
	payload := xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: nsPing, Local: "ping"}})
	return s.xs.UnmarshalIQElement(ctx, payload, stanza.IQ{Type: stanza.GetIQ}, nil)
}

// enableCarbons asks the server to copy us messages sent and received by
// our other clients (XEP-0280). Servers without it answer with an error,
// which is not worth reporting.
func enableCarbons(s *session) {
	ctx, cancel := context.WithTimeout(s.ctx, time.Minute)
	defer cancel()
	payload := xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: nsCarbons, Local: "enable"}})
	_ = s.xs.UnmarshalIQElement(ctx, payload, stanza.IQ{Type: stanza.SetIQ}, nil)
}
