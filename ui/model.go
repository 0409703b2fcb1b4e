package ui

import (
	"strings"
	"time"

	"chat/event"
	"chat/themes"
	"chat/xhtml"
)

// The model is the loop's half of the UI: buffers and their lines, unread
// counts, the current buffer, the roster pane's settings and what changed
// since the last frame. Only the loop goroutine touches it.

// bufKey names a buffer: the console is the zero key.
type bufKey struct{ account, peer string }

func (k bufKey) console() bool { return k.peer == "" }

type lineKind uint8

const (
	kindMessage lineKind = iota
	kindAction           // /me
	kindNotice           // console notices, presence changes, command output
	kindError
)

// line is one entry of a buffer, as plain data; rendering happens per
// frame so that a theme switch recolours everything.
type line struct {
	at    time.Time
	kind  lineKind
	nick  string       // who, for messages and actions (unsanitised)
	jid   string       // colour key of the nick; "" for our own
	text  string       // unsanitised
	xhtml string       // XHTML-IM of a message, unparsed; "" if none
	spans []xhtml.Span // the message's styled spans, once rendered; nil before
	high  bool         // mentions us
	id    int64        // history row, 0 if not loaded from history

	// the everyday protocol (proto.go)
	msgID    string // the message's stanza id, for corrections and receipts; "" if not known
	outgoing bool   // a message we sent
	edited   bool   // replaced by a correction
	mark     int    // markNone, markReceived or markDisplayed
	local    bool   // command output shown in a conversation: not part of it
}

// activity levels, lowest to highest.
const (
	lvlNone = iota
	lvlNotice
	lvlMessage
	lvlHighlight
)

type buffer struct {
	key      bufKey
	lines    []line
	sent     int // lines[:sent] are in the chat view (current buffer only)
	unread   int // messages since the buffer was last in view
	activity int
	marker   int   // index of the first unread line when last opened, -1 none
	oldest   int64 // history id to load older pages before; 0: none known
	done     bool  // no older history
	loaded   bool  // the first page of history was asked for
	paging   bool  // a page of history is being read
}

// maxBufferLines bounds a buffer's lines; beyond it (plus slack, so that
// trimming is rare) the oldest are dropped.
const maxBufferLines = maxViewLines

type model struct {
	u     *UI
	host  Host
	theme *themes.Theme
	bufs  []*buffer
	cur   int
	peer  string // the host's peer as last synced

	rosterShown bool
	styled      bool                 // styling was on at the last frame
	nicks       map[string]string    // jid → nick tag, for the current theme
	rooms       map[bufKey]*roomInfo // room buffers (room.go)
	shows       map[string]string    // full JID → its last presence word, for the console
	byPresence  bool                 // the roster pane groups by presence, not by roster group

	// what changed since the last frame
	reset                                                        bool // the chat view gets the whole current buffer
	keep                                                         bool // with reset: lines were added on top (history)
	viewTouched                                                  bool // the current buffer changed without new lines
	themeChanged, rosterDirty, statusDirty, redraw, shownChanged bool
	filter                                                       *string
	notes                                                        []pendingNote
	typists                                                      map[bufKey]bool // contacts shown typing (proto.go)
}

func newModel(u *UI, th *themes.Theme) *model {
	m := &model{u: u, theme: th, rosterShown: true, styled: true, nicks: map[string]string{},
		reset: true, themeChanged: true, rosterDirty: true, statusDirty: true, shownChanged: true}
	m.bufs = []*buffer{{marker: -1, done: true, loaded: true}}
	return m
}

func (m *model) current() *buffer { return m.bufs[m.cur] }

// find returns the index of the buffer with key k, or -1.
func (m *model) find(k bufKey) int {
	for i, b := range m.bufs {
		if b.key == k {
			return i
		}
	}
	return -1
}

// open returns the buffer for k, making it (with its last page of
// history) if needed.
func (m *model) open(k bufKey) *buffer {
	if i := m.find(k); i >= 0 {
		return m.bufs[i]
	}
	b := &buffer{key: k, marker: -1}
	m.bufs = append(m.bufs, b)
	m.loadPage(b)
	m.statusDirty = true
	return b
}

// switchTo makes buffer i current: its unread part gets a marker, and the
// host's peer and account follow, so that plain lines go there.
func (m *model) switchTo(i int) {
	if i < 0 || i >= len(m.bufs) {
		return
	}
	b := m.bufs[i]
	if i != m.cur {
		b.marker = -1
		if b.unread > 0 {
			b.marker = max(0, len(b.lines)-b.unread)
		}
	}
	b.unread, b.activity = 0, lvlNone
	m.cur = i
	m.reset, m.statusDirty, m.rosterDirty = true, true, true
	m.syncHost()
}

// syncHost points the host's conversation at the current buffer.
func (m *model) syncHost() {
	if m.host == nil {
		return
	}
	k := m.current().key
	if k.account != "" && k.account != m.host.Current() {
		m.host.SetCurrent(k.account)
	}
	m.host.SetPeer(k.peer)
	m.peer = m.host.Peer()
}

// syncPeer follows a conversation opened outside the UI (/msg JID).
func (m *model) syncPeer() {
	if m.host == nil || m.host.Peer() == m.peer {
		return
	}
	m.peer = m.host.Peer()
	if m.peer == "" {
		m.switchTo(0)
		return
	}
	m.open(bufKey{m.host.Current(), m.peer})
	m.switchTo(m.find(bufKey{m.host.Current(), m.peer}))
}

// close removes buffer i (never the console).
func (m *model) close(i int) {
	if i <= 0 || i >= len(m.bufs) {
		return
	}
	if m.host != nil {
		m.host.Typing(m.bufs[i].key.peer, event.Gone) // XEP-0085: we left the conversation
	}
	m.bufs = append(m.bufs[:i], m.bufs[i+1:]...)
	switch {
	case m.cur == i:
		m.cur = -1 // the buffer now at i is a different one: open it as such
		m.switchTo(min(i, len(m.bufs)-1))
	case m.cur > i:
		m.cur--
	}
	m.statusDirty, m.rosterDirty = true, true
}

// add appends a line to b, counting it as unread unless b is in view.
func (m *model) add(b *buffer, l line, level int) {
	b.lines = append(b.lines, l)
	if len(b.lines) > maxBufferLines+maxBufferLines/4 {
		m.trim(b)
	}
	if b != m.current() && level > lvlNone {
		if level >= lvlMessage {
			b.unread++
		}
		b.activity = max(b.activity, level)
		m.statusDirty = true
	}
}

func (m *model) trim(b *buffer) {
	drop := len(b.lines) - maxBufferLines
	b.lines = append(b.lines[:0:0], b.lines[drop:]...)
	b.sent = max(0, b.sent-drop)
	if b.marker >= 0 {
		b.marker = max(-1, b.marker-drop)
	}
	b.oldest, b.done = 0, true
	for _, l := range b.lines {
		if l.id != 0 {
			b.oldest, b.done = l.id, false
			break
		}
	}
	if b == m.current() {
		m.reset = true
	}
}

// consoleLine adds a notice or error to the console.
func (m *model) consoleLine(kind lineKind, text string) {
	level := lvlNone
	if kind == kindError {
		level = lvlNotice
	}
	m.add(m.bufs[0], line{at: time.Now(), kind: kind, text: text}, level)
}

// output shows command output or an error: in the console, and in the
// current conversation too so that it is seen where it was asked for,
// marked there as local output (it is not part of the conversation, and
// only messages are saved in the history).
func (m *model) output(kind lineKind, at time.Time, text string) {
	l := line{at: at, kind: kind, text: text}
	m.add(m.bufs[0], l, lvlNone)
	if m.cur != 0 {
		l.local = true
		m.add(m.current(), l, lvlNone)
	}
}

// number parses a buffer number as shown (1-based) into an index.
func (m *model) number(s string) (int, bool) {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' || n > 1000 {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	if s == "" || n < 1 || n > len(m.bufs) {
		return 0, false
	}
	return n - 1, true
}

// nextActive returns the buffer with the highest activity (the lowest
// number among equals, starting after the current one), or -1.
func (m *model) nextActive() int {
	best, level := -1, lvlNone
	for off := 1; off <= len(m.bufs); off++ {
		i := (m.cur + off) % len(m.bufs)
		if a := m.bufs[i].activity; a > level {
			best, level = i, a
		}
	}
	return best
}

func localpart(jid string) string {
	if i := strings.IndexByte(jid, '@'); i > 0 {
		return jid[:i]
	}
	return jid
}
