package ui

import (
	"strings"

	"chat/history"
)

// pageSize is how many stored messages a buffer loads at a time: when it
// is opened, and each time scrolling reaches its top.
const pageSize = 100

// loadPage asks for the last page of a new buffer's stored history. The
// page is read on one of the loop's workers and merged when it comes back;
// lines shown meanwhile stay below it.
func (m *model) loadPage(b *buffer) {
	b.loaded = true
	if m.host == nil || b.key.console() {
		b.done = true
		return
	}
	b.paging = true
	m.host.History(b.key.account, b.key.peer, 0, pageSize, func(msgs []history.Message, err error) {
		b.paging = false
		if !m.has(b) {
			return
		}
		if err != nil {
			m.consoleLine(kindError, err.Error())
			b.done = true
			m.touch(b)
			return
		}
		add := m.withoutShown(b, m.historyLines(b.key, msgs))
		m.prepend(b, add)
		if len(msgs) > 0 {
			b.oldest = msgs[0].ID
		}
		b.done = len(msgs) < pageSize
		if b == m.current() {
			m.reset = true
		}
	})
}

// older asks for the page of history before what b shows and reports
// whether it did; the page is added on top when it comes back.
func (m *model) older(b *buffer) bool {
	if b.paging {
		return true // the first page, or the last request, is still on its way
	}
	if b.done || b.oldest == 0 || m.host == nil {
		b.done = true
		return false
	}
	b.paging = true
	m.host.History(b.key.account, b.key.peer, b.oldest, pageSize, func(msgs []history.Message, err error) {
		b.paging = false
		if !m.has(b) {
			return
		}
		if err != nil {
			m.consoleLine(kindError, err.Error())
			m.touch(b)
			return
		}
		b.done = len(msgs) < pageSize
		if len(msgs) == 0 {
			m.touch(b)
			return
		}
		b.oldest = msgs[0].ID
		m.prepend(b, m.historyLines(b.key, msgs))
		if b == m.current() {
			m.reset, m.keep = true, true
		}
	})
	return true
}

// has reports whether b is still open.
func (m *model) has(b *buffer) bool {
	i := m.find(b.key)
	return i >= 0 && m.bufs[i] == b
}

// touch makes the next frame tell the chat view about b (done, or the
// request answered), if b is in view.
func (m *model) touch(b *buffer) {
	if b == m.current() {
		m.viewTouched = true
	}
}

// prepend puts history lines above b's lines.
func (m *model) prepend(b *buffer, add []line) {
	b.lines = append(add, b.lines...)
	b.sent += len(add)
	if b.marker >= 0 {
		b.marker += len(add)
	}
}

// withoutShown drops from a first page the messages b already shows: they
// arrived while the page was being read and were stored before it was.
func (m *model) withoutShown(b *buffer, page []line) []line {
	out := page[:0]
	for _, h := range page {
		dup := false
		for _, l := range b.lines {
			if l.id == 0 && same(l, h) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, h)
		}
	}
	return out
}

func (m *model) historyLines(k bufKey, msgs []history.Message) []line {
	out := make([]line, 0, len(msgs))
	from := make(map[int]string, len(msgs)) // index in out → sender, for corrections
	for _, h := range msgs {
		if h.Replaces != "" && correctStored(out, from, h) {
			continue
		}
		l := m.messageLine(k, h.Outgoing, h.Body, h.XHTML)
		if h.Type == "groupchat" {
			l = historyRoomLine(h, l) // room.go
		}
		l.at, l.id, l.msgID = h.Stamp, h.ID, h.MsgID
		from[len(out)] = h.From
		out = append(out, l)
	}
	return out
}

// messageLine makes the line for a message body (and its XHTML-IM, if
// any) in conversation k.
func (m *model) messageLine(k bufKey, outgoing bool, body, html string) line {
	l := line{kind: kindMessage, text: body, xhtml: html, outgoing: outgoing}
	if outgoing {
		l.nick = localpart(k.account)
	} else {
		l.nick, l.jid = m.nickOf(k), k.peer
		l.high = mentions(body, localpart(k.account))
	}
	if rest, ok := strings.CutPrefix(body, "/me "); ok {
		l.kind, l.text, l.xhtml = kindAction, rest, ""
	}
	return l
}

// nickOf is the contact's roster name, else the local part of its JID.
func (m *model) nickOf(k bufKey) string {
	if m.host != nil {
		if a, ok := m.host.State().Lookup(k.account); ok {
			if c, ok := a.Contacts[k.peer]; ok && c.Item.Name != "" {
				return c.Item.Name
			}
		}
	}
	return localpart(k.peer)
}

// mentions reports whether text names us: our local part as a word,
// ignoring case.
func mentions(text, name string) bool {
	if name == "" {
		return false
	}
	low, name := strings.ToLower(text), strings.ToLower(name)
	for i := 0; ; {
		j := strings.Index(low[i:], name)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(name)
		if (start == 0 || !wordByte(low[start-1])) && (end == len(low) || !wordByte(low[end])) {
			return true
		}
		i = start + 1
	}
}

func wordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_' || b >= 0x80
}
