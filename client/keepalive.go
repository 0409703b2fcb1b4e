package client

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"time"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/jid"
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
		if err := ping(s, e.cfg.PingTimeout); !answered(err) && s.ctx.Err() == nil {
			s.fail(fmt.Errorf("server did not answer a ping within %s: %w", e.cfg.PingTimeout, err))
			return
		}
		s.touch()
	}
}

func ping(s *session, timeout time.Duration) error {
	req := pingRequest(jid.JID{})
	req.Timeout = timeout
	_, err := s.request(context.Background(), req)
	return err
}

// answered reports whether a ping's outcome shows the server alive: a
// result, or an error reply (a server without XEP-0199 answers
// service-unavailable, which is an answer all the same).
func answered(err error) bool {
	var iqErr *IQError
	return err == nil || errors.As(err, &iqErr)
}

// pingRequest is a XEP-0199 ping of to (zero: our server).
func pingRequest(to jid.JID) iqRequest {
	payload := xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: nsPing, Local: "ping"}})
	return iqRequest{Type: "get", To: to, Payload: payload, What: "ping"}
}

// enableCarbons asks the server to copy us messages sent and received by
// our other clients (XEP-0280). Servers without it answer with an error,
// which is not worth reporting.
func enableCarbons(s *session) {
	payload := xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: nsCarbons, Local: "enable"}})
	_, _ = s.request(context.Background(), iqRequest{Type: "set", Payload: payload})
}
