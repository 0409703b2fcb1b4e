package client

import (
	"encoding/xml"
	"errors"
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
	// The everyday extensions, one file each.
	{Space: nsDiscoItems, Local: "query"}: handleDiscoItems,
	{Space: nsTime, Local: "time"}:        handleTime,
	{Space: nsLast, Local: "query"}:       handleLast,
	{Space: nsBlocking, Local: "block"}:   handleBlockPush,
	{Space: nsBlocking, Local: "unblock"}: handleBlockPush,
}

// handler reads the stanzas of one session and turns them into events.
// It runs inside mellium's Serve, so it must never wait on an IQ reply.
type handler struct {
	e *Engine
	s *session

	dropped int // stanzas dropped for passing a limit; the first is reported
}

func (e *Engine) newHandler(s *session) *handler { return &handler{e: e, s: s} }

// handle is called by Serve once per top-level stanza. It never returns an
// error for a bad stanza: that would end the stream. Bad stanzas are
// reported as events and dropped.
func (h *handler) handle(t xmlstream.TokenReadEncoder, start *xml.StartElement) error {
	h.s.touch()
	if start.Name.Space == nsGuard && start.Name.Local == "dropped" {
		// The stream guard (guard.go) dropped a stanza before the decoder.
		if h.droppedAnswer(*start) {
			return nil // the request it answered fails, and says so
		}
		h.tooBig(attrValue(*start, "stanza"), attrValue(*start, "from"), attrValue(*start, "reason"))
		return nil
	}
	// The decoder must see the start element too, or it rejects the end.
	limited := &limitReader{r: xmlstream.MultiReader(xmlstream.Token(*start), t), left: h.e.cfg.MaxStanza, maxDepth: h.e.cfg.MaxDepth + 1}
	d := xml.NewTokenDecoder(limited)
	var err error
	room := start.Name.Local != "iq" && h.roomStanza(*start) // muc.go
	switch start.Name.Local {
	case "message":
		switch {
		case room:
			err = h.roomMessage(d)
		case attrValue(*start, "type") == "groupchat":
			// Nobody but a room of ours speaks as a room: dropped unread.
		default:
			err = h.message(d)
		}
	case "presence":
		if room {
			err = h.roomPresence(d)
		} else {
			err = h.presence(d)
		}
	case "iq":
		err = h.iq(t, d, *start)
	}
	if limited.err != nil {
		h.tooBig(start.Name.Local, attrValue(*start, "from"), limited.err.Error())
		return nil
	}
	if err != nil && h.s.ctx.Err() == nil && !h.s.isClosing() {
		from := attrValue(*start, "from")
		h.e.emitError(fmt.Sprintf("dropped %s from %s", start.Name.Local, orServer(from)), err, from)
	}
	return nil
}

// tooBig reports the first stanza of the session dropped for its size or
// depth; later ones are only counted, so that a flood of them cannot
// flood the user too.
func (h *handler) tooBig(kind, from, reason string) {
	h.dropped++
	if h.dropped > 1 || h.s.ctx.Err() != nil || h.s.isClosing() {
		return
	}
	h.e.emitError(fmt.Sprintf("dropped %s from %s", orDefault(kind, "a stanza"), orServer(from)),
		fmt.Errorf("%s; any more on this connection are dropped without notice", reason), from)
}

// limitReader fails once a stanza passes a budget of bytes (element and
// attribute names, namespaces where they change, attribute values, text,
// comments) or of depth, so that an oversized stanza is dropped instead of
// being decoded. The stream guard has bounded the raw bytes already; this
// bounds what the decoders make of them.
type limitReader struct {
	r        xml.TokenReader
	left     int
	maxDepth int
	spaces   []string // namespace of each open element
	err      error
}

func (l *limitReader) Token() (xml.Token, error) {
	if l.err != nil {
		return nil, l.err
	}
	tok, err := l.r.Token()
	l.count(tok)
	if l.err != nil {
		return nil, l.err
	}
	return tok, err
}

func (l *limitReader) count(tok xml.Token) {
	switch t := tok.(type) {
	case xml.StartElement:
		l.left -= len(t.Name.Local)
		if n := len(l.spaces); n == 0 || l.spaces[n-1] != t.Name.Space {
			l.left -= len(t.Name.Space)
		}
		for _, a := range t.Attr {
			l.left -= len(a.Name.Space) + len(a.Name.Local) + len(a.Value)
		}
		l.spaces = append(l.spaces, t.Name.Space)
		if len(l.spaces) > l.maxDepth {
			l.err = fmt.Errorf("stanza nested deeper than the limit (%d levels)", l.maxDepth-1)
			return
		}
	case xml.EndElement:
		if n := len(l.spaces); n > 0 {
			l.spaces = l.spaces[:n-1]
		}
	case xml.CharData:
		l.left -= len(t)
	case xml.Comment:
		l.left -= len(t)
	case xml.ProcInst:
		l.left -= len(t.Target) + len(t.Inst)
	case xml.Directive:
		l.left -= len(t)
	}
	if l.left < 0 {
		l.err = errors.New("stanza larger than the limit once decoded")
	}
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
