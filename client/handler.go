package client

import (
	"encoding/xml"
	"fmt"

	"mellium.im/xmlstream"
)

// iqHandler answers one kind of incoming IQ get or set. It returns the
// payload of the result (nil for an empty result) or a stanza error.
type iqHandler func(h *handler, iq iqInfo, d *xml.Decoder, start xml.StartElement) (xml.TokenReader, error)

// iqHandlers is the mux table: one entry per extension we answer.
var iqHandlers = map[xml.Name]iqHandler{
	{Space: nsRoster, Local: "query"}:    handleRosterPush,
	{Space: nsPing, Local: "ping"}:       handlePing,
	{Space: nsVersion, Local: "query"}:   handleVersion,
	{Space: nsDiscoInfo, Local: "query"}: handleDiscoInfo,
}

// handler reads the stanzas of one session and turns them into events.
// It runs inside mellium's Serve, so it must never wait on an IQ reply.
type handler struct {
	e *Engine
	s *session
}

func (e *Engine) newHandler(s *session) *handler { return &handler{e: e, s: s} }

// handle is called by Serve once per top-level stanza. It never returns an
// error for a bad stanza: that would end the stream. Bad stanzas are
// reported as events and dropped.
func (h *handler) handle(t xmlstream.TokenReadEncoder, start *xml.StartElement) error {
	h.s.touch()
	// The decoder must see the start element too, or it rejects the end.
	limited := &limitReader{r: xmlstream.MultiReader(xmlstream.Token(*start), t), left: h.e.cfg.MaxStanza}
	d := xml.NewTokenDecoder(limited)
	var err error
	switch start.Name.Local {
	case "message":
		err = h.message(d)
	case "presence":
		err = h.presence(d)
	case "iq":
		err = h.iq(t, d, *start)
	}
	if err != nil && h.s.ctx.Err() == nil && !h.s.isClosing() {
		from := attrValue(*start, "from")
		h.e.emitError(fmt.Sprintf("dropped %s from %s", start.Name.Local, orServer(from)), err, from)
	}
	return nil
}

// limitReader fails once a stanza's text and attributes pass a size, so
// that one oversized stanza is dropped instead of being held in memory.
type limitReader struct {
	r    xml.TokenReader
	left int
}

func (l *limitReader) Token() (xml.Token, error) {
	tok, err := l.r.Token()
	switch t := tok.(type) {
	case xml.CharData:
		l.left -= len(t)
	case xml.StartElement:
		for _, a := range t.Attr {
			l.left -= len(a.Value) + len(a.Name.Local)
		}
	}
	if l.left < 0 {
		return nil, fmt.Errorf("stanza larger than the limit")
	}
	return tok, err
}

func attrValue(start xml.StartElement, name string) string {
	for _, a := range start.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func orServer(from string) string {
	if from == "" {
		return "the server"
	}
	return from
}
