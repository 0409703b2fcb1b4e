package client

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"time"

	"chat/event"

	"mellium.im/xmlstream"
	"mellium.im/xmpp"
	"mellium.im/xmpp/jid"
	"mellium.im/xmpp/stanza"
)

// This file is the one place where every stanza is written and read, and
// so where XEP-0198 counts them: writeStanza (the ordered queue's writer,
// and the handler's IQ replies through countingWriter) keeps each stanza
// until the server acknowledges it; smHandler counts each stanza read once
// it is handled, answers <r/> and takes <a/>. Nothing else may write a
// stanza on the session, or the counts no longer match the server's.

// collect reads a whole stanza into copied tokens, so that it can be
// written again after a lost connection.
func collect(r xml.TokenReader) ([]xml.Token, int, error) {
	var toks []xml.Token
	size := 0
	for {
		tok, err := r.Token()
		if tok != nil {
			toks = append(toks, xml.CopyToken(tok))
			size += tokenSize(tok)
		}
		if err == io.EOF {
			return toks, size, nil
		}
		if err != nil {
			return nil, 0, err
		}
	}
}

func tokenSize(tok xml.Token) int {
	switch t := tok.(type) {
	case xml.StartElement:
		n := 2*len(t.Name.Local) + len(t.Name.Space) + 5
		for _, a := range t.Attr {
			n += len(a.Name.Local) + len(a.Value) + 4
		}
		return n
	case xml.CharData:
		return len(t)
	}
	return 8
}

// describe fills in what a stanza is from its first token.
func describe(toks []xml.Token, size int) sentStanza {
	st := sentStanza{toks: toks, size: size}
	if len(toks) == 0 {
		return st
	}
	start, ok := toks[0].(xml.StartElement)
	if !ok {
		return st
	}
	st.to = attrValue(start, "to")
	switch start.Name.Local {
	case "message":
		st.msgID, st.resend = attrValue(start, "id"), true
	case "presence":
		st.resend = st.to != ""
	case "iq":
		st.iq = true
	}
	return st
}

// writeStanza writes one stanza of the ordered queue. With stream
// management it is kept until acknowledged, so that a write that fails
// half-way loses nothing: kept reports that.
func (s *session) writeStanza(st sentStanza) (kept bool, err error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	kept = s.sm != nil && s.sm.record(st)
	// s.ctx, not a context per write: mellium's Send arms a goroutine
	// that, when it finds the context done, sets the connection's write
	// deadline in the past; if that context is cancelled as soon as Send
	// returns, the goroutine can fire late and break whichever write runs
	// next (a TLS connection does not survive that). A write that hangs is
	// ended by the keepalive, which fails the session and so cancels s.ctx.
	if err := s.xs.Send(s.ctx, &tokenSlice{toks: append([]xml.Token(nil), st.toks...)}); err != nil {
		return kept, err
	}
	s.wrote()
	if !kept && st.msgID != "" && s.onState != nil {
		s.onState([]sentStanza{st}, event.MsgSent, "") // no stream management: written is all we learn
	}
	return kept, nil
}

// writeSM writes a stream management element (not a stanza: not counted).
func (s *session) writeSM(local string, attrs ...xml.Attr) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return s.xs.Send(s.ctx, xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: nsSM, Local: local}, Attr: attrs}))
}

// askAck writes <r/> when one is due.
func (s *session) askAck(idle bool) error {
	if s.sm == nil || !s.sm.wantR(idle) {
		return nil
	}
	return s.writeSM("r")
}

// waitRoom waits, while the kept stanzas fill the byte bound, for the
// server to acknowledge some; false if the session ends first.
func (s *session) waitRoom() bool {
	for s.sm != nil && s.sm.full() {
		s.sm.mu.Lock()
		s.sm.rOut = false // ask again: the server must answer this one
		s.sm.mu.Unlock()
		if err := s.askAck(true); err != nil {
			return false
		}
		select {
		case <-s.sm.ackWake:
		case <-s.ctx.Done():
			return false
		}
	}
	return true
}

// startStream writes what opens the stream: <enable/> on a new stream
// whose server offers stream management.
func (s *session) startStream() error {
	if s.sm == nil || s.smLogin.resumed || !s.smLogin.offered {
		return nil
	}
	return s.writeSM("enable", xml.Attr{Name: xml.Name{Local: "resume"}, Value: "true"})
}

// smHandler wraps the stanza handler: stream management elements are
// handled here, each stanza is counted once handled, and what the handler
// writes goes through countingWriter.
func (s *session) smHandler(h func(xmlstream.TokenReadEncoder, *xml.StartElement) error) xmpp.HandlerFunc {
	return func(t xmlstream.TokenReadEncoder, start *xml.StartElement) error {
		if start.Name.Space == nsSM {
			return s.smElement(t, *start)
		}
		cw := &countingWriter{TokenReadEncoder: t, s: s}
		defer cw.release()
		id, typ := attrValue(*start, "id"), attrValue(*start, "type")
		err := h(cw, start)
		if start.Name.Local == "iq" && (typ == "get" || typ == "set") && !cw.replied {
			// mellium would answer for us, behind the counter's back.
			to, _ := jid.Parse(attrValue(*start, "from"))
			iq := stanza.IQ{ID: id, To: to, Type: stanza.ErrorIQ}
			se := stanza.Error{Type: stanza.Cancel, Condition: stanza.ServiceUnavailable}
			if _, werr := xmlstream.Copy(cw, iq.Wrap(se.TokenReader())); werr != nil && err == nil {
				err = werr
			}
		}
		if s.sm != nil && isCounted(*start) {
			s.sm.handled()
		}
		return err
	}
}

// isCounted reports whether the server counts this element as a stanza;
// one the stream guard dropped still counts.
func isCounted(start xml.StartElement) bool {
	name := start.Name.Local
	if start.Name.Space == nsGuard && name == "dropped" {
		name = attrValue(start, "stanza")
	}
	return name == "message" || name == "presence" || name == "iq"
}

// smElement handles <r/>, <a/>, <enabled/> and <failed/>.
func (s *session) smElement(t xmlstream.TokenReadEncoder, start xml.StartElement) error {
	if s.sm == nil {
		return nil
	}
	switch start.Name.Local {
	case "r":
		h := strconv.FormatUint(uint64(s.sm.inbound()), 10)
		_, err := xmlstream.Copy(t, xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: nsSM, Local: "a"},
			Attr: []xml.Attr{{Name: xml.Name{Local: "h"}, Value: h}}}))
		return err
	case "a":
		h, err := parseH(attrValue(start, "h"))
		if err != nil {
			return fmt.Errorf("sm: ack: %w", err)
		}
		s.reportSent(s.sm.ack(h))
	case "enabled":
		max, _ := strconv.Atoi(attrValue(start, "max"))
		resume := attrValue(start, "resume") == "true" || attrValue(start, "resume") == "1"
		s.sm.enabled(attrValue(start, "id"), resume, time.Duration(max)*time.Second, s.xs.LocalAddr())
	case "failed":
		s.reportSent(s.sm.disable())
	}
	return nil
}

func (s *session) reportSent(acked []sentStanza) {
	if len(acked) > 0 && s.onState != nil {
		s.onState(acked, event.MsgSent, "")
	}
}

// countingWriter is the handler's writer: each top-level element it
// writes is a stanza, kept and counted like those of the queue. It holds
// the session's write lock from its first write until the handler
// returns, because mellium holds the stream's own lock as long.
type countingWriter struct {
	xmlstream.TokenReadEncoder
	s       *session
	locked  bool
	depth   int
	toks    []xml.Token
	size    int
	replied bool
}

func (c *countingWriter) EncodeToken(tok xml.Token) error {
	if !c.locked {
		c.s.wmu.Lock()
		c.locked = true
	}
	switch t := tok.(type) {
	case xml.StartElement:
		if c.depth == 0 {
			c.toks, c.size = nil, 0
			if typ := attrValue(t, "type"); t.Name.Local == "iq" && (typ == "result" || typ == "error") {
				c.replied = true
			}
		}
		c.depth++
	case xml.EndElement:
		c.depth--
	}
	c.toks = append(c.toks, xml.CopyToken(tok))
	c.size += tokenSize(tok)
	if err := c.TokenReadEncoder.EncodeToken(tok); err != nil {
		return err
	}
	if _, end := tok.(xml.EndElement); end && c.depth == 0 && c.s.sm != nil {
		c.s.sm.record(describe(c.toks, c.size))
	}
	return nil
}

func (c *countingWriter) Encode(v interface{}) error {
	return c.encodeVia(func(e *xml.Encoder) error { return e.Encode(v) })
}

func (c *countingWriter) EncodeElement(v interface{}, start xml.StartElement) error {
	return c.encodeVia(func(e *xml.Encoder) error { return e.EncodeElement(v, start) })
}

// encodeVia marshals with encoding/xml and writes the tokens through
// EncodeToken, so they are counted too.
func (c *countingWriter) encodeVia(f func(*xml.Encoder) error) error {
	var b bytes.Buffer
	e := xml.NewEncoder(&b)
	if err := f(e); err != nil {
		return err
	}
	if err := e.Flush(); err != nil {
		return err
	}
	d := xml.NewDecoder(&b)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := c.EncodeToken(tok); err != nil {
			return err
		}
	}
}

func (c *countingWriter) release() {
	if c.locked {
		c.s.wmu.Unlock()
		c.locked = false
	}
}
