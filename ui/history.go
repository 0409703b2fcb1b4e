package ui

import (
	"strings"

	"chat/history"
)

// pageSize is how many stored messages a buffer loads at a time: when it
// is opened, and each time scrolling reaches its top.
const pageSize = 100

// loadPage loads the last page of a new buffer's stored history.
func (m *model) loadPage(b *buffer) {
	b.loaded = true
	if m.host == nil || b.key.console() {
		b.done = true
		return
	}
	msgs, err := m.host.History(b.key.account, b.key.peer, 0, pageSize)
	if err != nil {
		m.consoleLine(kindError, err.Error())
		b.done = true
		return
	}
	b.lines = append(m.historyLines(b.key, msgs), b.lines...)
	if len(msgs) > 0 {
		b.oldest = msgs[0].ID
	}
	b.done = len(msgs) < pageSize
}

// older loads the page of history before what b shows and reports whether
// there was one.
func (m *model) older(b *buffer) bool {
	if b.done || b.oldest == 0 || m.host == nil {
		b.done = true
		return false
	}
	msgs, err := m.host.History(b.key.account, b.key.peer, b.oldest, pageSize)
	if err != nil {
		m.consoleLine(kindError, err.Error())
		return false
	}
	b.done = len(msgs) < pageSize
	if len(msgs) == 0 {
		return false
	}
	b.oldest = msgs[0].ID
	add := m.historyLines(b.key, msgs)
	b.lines = append(add, b.lines...)
	b.sent += len(add)
	if b.marker >= 0 {
		b.marker += len(add)
	}
	return true
}

func (m *model) historyLines(k bufKey, msgs []history.Message) []line {
	out := make([]line, 0, len(msgs))
	for _, h := range msgs {
		l := m.messageLine(k, h.Outgoing, h.Body, h.XHTML)
		l.at, l.id = h.Stamp, h.ID
		out = append(out, l)
	}
	return out
}

// messageLine makes the line for a message body (and its XHTML-IM, if
// any) in conversation k.
func (m *model) messageLine(k bufKey, outgoing bool, body, html string) line {
	l := line{kind: kindMessage, text: body, xhtml: html}
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
