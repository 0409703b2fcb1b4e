package headless

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	"chat/event"
)

// Record is the JSON form of every event: one flat object, fields empty
// when they do not apply.
type Record struct {
	Time      time.Time          `json:"time"`
	Kind      string             `json:"kind"`
	Account   string             `json:"account,omitempty"`
	From      string             `json:"from,omitempty"`
	To        string             `json:"to,omitempty"`
	Peer      string             `json:"peer,omitempty"`
	ID        string             `json:"id,omitempty"`
	OriginID  string             `json:"origin_id,omitempty"`
	StanzaID  string             `json:"stanza_id,omitempty"`
	Type      string             `json:"type,omitempty"`
	Outgoing  bool               `json:"outgoing,omitempty"`
	Thread    string             `json:"thread,omitempty"`
	Subject   string             `json:"subject,omitempty"`
	Body      string             `json:"body,omitempty"`
	Stamp     *time.Time         `json:"stamp,omitempty"`
	Delayed   bool               `json:"delayed,omitempty"`
	State     string             `json:"state,omitempty"`
	Available *bool              `json:"available,omitempty"`
	Show      string             `json:"show,omitempty"`
	Status    string             `json:"status,omitempty"`
	Priority  int                `json:"priority,omitempty"`
	JID       string             `json:"jid,omitempty"`
	Mechanism string             `json:"mechanism,omitempty"`
	Server    string             `json:"server,omitempty"`
	TLS       string             `json:"tls,omitempty"`
	Retry     float64            `json:"retry_seconds,omitempty"`
	Fatal     bool               `json:"fatal,omitempty"`
	Version   string             `json:"version,omitempty"`
	Unchanged bool               `json:"unchanged,omitempty"`
	Items     []event.RosterItem `json:"items,omitempty"`
	Item      *event.RosterItem  `json:"item,omitempty"`
	Context   string             `json:"context,omitempty"`
	Error     string             `json:"error,omitempty"`
	Text      string             `json:"text,omitempty"`
	ProtoFields
	RoomRecord
}

// NewRecord flattens an event.
func NewRecord(ev event.Event) Record {
	h := ev.Head()
	r := Record{Time: h.Time, Kind: ev.Kind(), Account: h.Account}
	switch e := ev.(type) {
	case event.Message:
		stamp := e.Stamp
		r.From, r.To, r.Peer, r.ID, r.OriginID, r.StanzaID = e.From, e.To, e.Peer, e.ID, e.OriginID, e.StanzaID
		r.Type, r.Outgoing, r.Thread, r.Subject, r.Body, r.Stamp, r.Delayed = e.Type, e.Outgoing, e.Thread, e.Subject, e.Body, &stamp, e.Delayed
		r.Error = e.Error
	case event.Presence:
		avail := e.Available
		r.From, r.Available, r.Show, r.Status, r.Priority, r.Error = e.From, &avail, e.Show, e.Status, e.Priority, e.Error
	case event.Subscription:
		r.From, r.Type, r.Status = e.From, e.Type, e.Status
	case event.Roster:
		r.Version, r.Unchanged, r.Items = e.Version, e.Unchanged, e.Items
	case event.RosterPush:
		item := e.Item
		r.Version, r.Item = e.Version, &item
	case event.ConnState:
		r.State, r.Error, r.Fatal, r.Retry = string(e.State), e.Err, e.Fatal, e.Retry.Seconds()
		r.JID, r.Mechanism, r.Server, r.TLS = e.JID, e.Mechanism, e.Server, e.TLS
	case event.Error:
		r.Context, r.Text, r.From = e.Context, e.Text, e.From
	case event.Info:
		r.Text = e.Text
	}
	protoRecord(&r, ev)
	roomRecord(&r, ev) // room.go
	return r
}

// JSON encodes an event as one line of JSON that is safe to print on a
// terminal: encoding/json already escapes C0 controls; DEL, C1 controls and
// bidi/line-separator characters are escaped here too. The data is kept:
// a bot decoding the JSON gets the exact text.
func JSON(ev event.Event) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(NewRecord(ev)); err != nil {
		text, _ := json.Marshal("encode " + ev.Kind() + " event: " + err.Error()) // %q is not JSON
		return escapeUnsafe(fmt.Appendf(nil, `{"kind":"error","text":%s}`, text))
	}
	return escapeUnsafe(bytes.TrimRight(buf.Bytes(), "\n"))
}

func escapeUnsafe(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if unsafeRune(r) {
			if out == nil {
				out = append(make([]byte, 0, len(b)+16), b[:i]...)
			}
			out = fmt.Appendf(out, `\u%04x`, r)
		} else if out != nil {
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	if out == nil {
		return b
	}
	return out
}

func unsafeRune(r rune) bool {
	switch {
	case r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x206f, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	case r == 0x2028, r == 0x2029:
		return true
	}
	return false
}
