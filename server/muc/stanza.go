package muc

import (
	"errors"

	"mellium.im/xmpp/jid"
)

// stanza is one stanza handed to the service, with its addresses parsed.
// from is the sender's real JID as the server stamped it.
type stanza struct {
	e        *el
	kind     string // message, presence or iq
	typ, id  string
	from, to jid.JID
	size     int // serialised, in bytes
}

func readStanza(raw []byte) (*stanza, error) {
	e, err := parse(raw)
	if err != nil {
		return nil, err
	}
	if e.space != nsClient {
		return nil, errors.New("not a jabber:client stanza")
	}
	st := &stanza{e: e, kind: e.local, typ: e.get("type"), id: e.get("id"), size: len(raw)}
	switch st.kind {
	case "message", "presence", "iq":
	default:
		return nil, errors.New("not a stanza")
	}
	if st.from, err = jid.Parse(e.get("from")); err != nil {
		return nil, errors.New("bad from")
	}
	if st.to, err = jid.Parse(e.get("to")); err != nil {
		return nil, errors.New("bad to")
	}
	return st, nil
}

// handle does the work for one queued stanza.
func (s *Service) handle(raw []byte) {
	st, err := readStanza(raw)
	if err != nil {
		s.cfg.Logf("muc: dropped a stanza: %v", err)
		return
	}
	if st.to.Domainpart() != s.domain.Domainpart() {
		return
	}
	switch {
	case st.typ == "error":
		s.gotError(st)
	case st.to.Localpart() == "":
		if st.kind == "iq" {
			s.serviceIQ(st)
		} else if st.kind == "message" {
			s.reply(st, "cancel", "service-unavailable", "")
		}
	case st.kind == "presence":
		s.presence(st)
	case st.kind == "message":
		s.message(st)
	case st.kind == "iq":
		s.roomIQ(st)
	}
}

// reply answers st with an error, from the address it was sent to. Errors
// and IQ results are never answered.
func (s *Service) reply(st *stanza, typ, cond, text string) {
	if st.typ == "error" || (st.kind == "iq" && st.typ == "result") {
		return
	}
	e := mk(nsClient, st.kind, "type", "error", "id", st.id, "from", st.to.String(), "to", st.from.String())
	if st.kind == "presence" {
		e.add(mk(nsMUC, "x"))
	}
	e.add(stanzaError(typ, cond, text))
	s.write(e)
}

// stanzaError builds an RFC 6120 §8.3 error element.
func stanzaError(typ, cond, text string) *el {
	e := mk(nsClient, "error", "type", typ).add(mk(nsStanzas, cond))
	if text != "" {
		e.add(mk(nsStanzas, "text").add(text))
	}
	return e
}

// result starts the result of an IQ request.
func result(st *stanza) *el {
	return mk(nsClient, "iq", "type", "result", "id", st.id, "from", st.to.String(), "to", st.from.String())
}

// gone are the error conditions that say an occupant's client is no
// longer there.
var gone = map[string]bool{"service-unavailable": true, "recipient-unavailable": true,
	"item-not-found": true, "remote-server-not-found": true, "gone": true, "redirect": true}

// gotError handles an error stanza sent to the service: an answer to a
// forwarded IQ goes back to its asker; an occupant to whom the room's
// stanzas cannot be delivered is taken out of the room (status 333).
// Other errors are dropped.
func (s *Service) gotError(st *stanza) {
	if st.kind == "iq" {
		s.iqAnswer(st)
		return
	}
	r := s.rooms[st.to.Bare().String()]
	if r == nil {
		return
	}
	if o := r.byJID[st.from.String()]; o != nil && gone[errorCondition(st.e)] {
		s.removeOccupant(r, o, removal{status: "333"})
	}
}

// errorCondition returns the defined condition of an error stanza.
func errorCondition(e *el) string {
	er := e.child(nsClient, "error")
	if er == nil {
		return ""
	}
	for _, k := range er.kids {
		if c, ok := k.(*el); ok && c.space == nsStanzas && c.local != "text" {
			return c.local
		}
	}
	return ""
}
