package client

import (
	"context"
	"encoding/xml"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/jid"
	"mellium.im/xmpp/stanza"
)

// This file is what an entity says about itself: XEP-0199 ping, XEP-0092
// software version, XEP-0202 entity time and XEP-0012 last activity,
// answered (unless switched off in Config) and asked.

const (
	nsTime = "urn:xmpp:time"
	nsLast = "jabber:iq:last"
)

// lastActive is when the user last did something: sent a message or
// changed presence. It answers XEP-0012 idle-time queries.
type lastActive struct {
	mu sync.Mutex
	at time.Time
}

func (l *lastActive) touch() {
	l.mu.Lock()
	l.at = time.Now()
	l.mu.Unlock()
}

func (l *lastActive) since() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return time.Since(l.at)
}

// discloses reports whether from may be told about us (Config.Discloses).
func (h *handler) discloses(from string) bool {
	if h.e.cfg.Discloses == nil || h.fromOwnAccount(from) || bareOf(from) == h.e.account {
		return true
	}
	return h.e.cfg.Discloses(from)
}

func unavailable() error {
	return stanza.Error{Type: stanza.Cancel, Condition: stanza.ServiceUnavailable}
}

func badRequest() error { return stanza.Error{Type: stanza.Modify, Condition: stanza.BadRequest} }

func handleVersion(h *handler, info iqInfo, _ *xml.Decoder, _ xml.StartElement) (xml.TokenReader, error) {
	if h.e.cfg.HideVersion || !h.discloses(info.From) {
		return nil, unavailable()
	}
	if info.Type != "get" {
		return nil, stanza.Error{Type: stanza.Cancel, Condition: stanza.BadRequest}
	}
	return xmlstream.Wrap(
		xmlstream.MultiReader(textElement("name", ClientName), textElement("version", ClientVersion), textElement("os", runtime.GOOS)),
		xml.StartElement{Name: xml.Name{Space: nsVersion, Local: "query"}},
	), nil
}

func handleTime(h *handler, info iqInfo, _ *xml.Decoder, _ xml.StartElement) (xml.TokenReader, error) {
	if h.e.cfg.HideTime || !h.discloses(info.From) {
		return nil, unavailable()
	}
	if info.Type != "get" {
		return nil, badRequest()
	}
	now := time.Now()
	return xmlstream.Wrap(
		xmlstream.MultiReader(textElement("tzo", now.Format("-07:00")), textElement("utc", now.UTC().Format("2006-01-02T15:04:05Z"))),
		xml.StartElement{Name: xml.Name{Space: nsTime, Local: "time"}},
	), nil
}

func handleLast(h *handler, info iqInfo, _ *xml.Decoder, _ xml.StartElement) (xml.TokenReader, error) {
	if h.e.cfg.HideLastActivity || !h.discloses(info.From) {
		return nil, unavailable()
	}
	if info.Type != "get" {
		return nil, badRequest()
	}
	secs := int64(h.e.lastActive.since() / time.Second)
	return xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: nsLast, Local: "query"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "seconds"}, Value: strconv.FormatInt(secs, 10)}}}), nil
}

// Ping sends a XEP-0199 ping to addr ("" for our server) and returns the
// round trip. An error reply is an error: the entity is there, but does
// not answer pings.
func (e *Engine) Ping(ctx context.Context, addr string) (time.Duration, error) {
	var to jid.JID
	if addr != "" {
		var err error
		if to, err = jid.Parse(addr); err != nil {
			return 0, fmt.Errorf("ping %q: %w", addr, err)
		}
	}
	start := time.Now()
	if _, err := e.request(ctx, pingRequest(to)); err != nil {
		return 0, fmt.Errorf("ping %s: %w", orServer(addr), err)
	}
	return time.Since(start), nil
}

// SoftwareVersion is a XEP-0092 answer.
type SoftwareVersion struct {
	Name, Version, OS string
}

// Version asks addr which software it runs.
func (e *Engine) Version(ctx context.Context, addr string) (SoftwareVersion, error) {
	var x struct {
		XMLName xml.Name `xml:"jabber:iq:version query"`
		Name    string   `xml:"name"`
		Version string   `xml:"version"`
		OS      string   `xml:"os"`
	}
	if err := e.ask(ctx, addr, nsVersion, "query", "software version", &x); err != nil {
		return SoftwareVersion{}, err
	}
	return SoftwareVersion{Name: x.Name, Version: x.Version, OS: x.OS}, nil
}

// EntityTime is a XEP-0202 answer: the entity's clock in UTC and its
// offset from UTC.
type EntityTime struct {
	UTC    time.Time
	Offset time.Duration
}

// Local returns the entity's wall-clock time.
func (t EntityTime) Local() time.Time {
	return t.UTC.In(time.FixedZone("", int(t.Offset/time.Second)))
}

// Time asks addr for its time.
func (e *Engine) Time(ctx context.Context, addr string) (EntityTime, error) {
	var x struct {
		XMLName xml.Name `xml:"urn:xmpp:time time"`
		TZO     string   `xml:"tzo"`
		UTC     string   `xml:"utc"`
	}
	if err := e.ask(ctx, addr, nsTime, "time", "entity time", &x); err != nil {
		return EntityTime{}, err
	}
	return parseEntityTime(x.TZO, x.UTC)
}

func parseEntityTime(tzo, utc string) (EntityTime, error) {
	at, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(utc))
	if err != nil {
		return EntityTime{}, fmt.Errorf("entity time: bad utc %q", utc)
	}
	off, err := parseTZO(strings.TrimSpace(tzo))
	if err != nil {
		return EntityTime{}, err
	}
	return EntityTime{UTC: at.UTC(), Offset: off}, nil
}

// parseTZO reads a XEP-0082 offset: Z or ±hh:mm, at most 18 hours.
func parseTZO(s string) (time.Duration, error) {
	if s == "Z" {
		return 0, nil
	}
	t, err := time.Parse("-07:00", s)
	if err != nil {
		return 0, fmt.Errorf("entity time: bad tzo %q", s)
	}
	_, off := t.Zone()
	if off > 18*3600 || off < -18*3600 {
		return 0, fmt.Errorf("entity time: tzo %q out of range", s)
	}
	return time.Duration(off) * time.Second, nil
}

// LastActivity is a XEP-0012 answer: for a full JID, how long its user
// has been idle; for a bare JID, how long ago the contact went offline;
// for a server, its uptime.
type LastActivity struct {
	Seconds int64
	Status  string
}

// LastActivity asks addr for its last activity.
func (e *Engine) LastActivity(ctx context.Context, addr string) (LastActivity, error) {
	var x struct {
		XMLName xml.Name `xml:"jabber:iq:last query"`
		Seconds string   `xml:"seconds,attr"`
		Status  string   `xml:",chardata"`
	}
	if err := e.ask(ctx, addr, nsLast, "query", "last activity", &x); err != nil {
		return LastActivity{}, err
	}
	secs, err := strconv.ParseInt(strings.TrimSpace(x.Seconds), 10, 64)
	if err != nil || secs < 0 {
		return LastActivity{}, fmt.Errorf("last activity of %s: bad seconds %q", addr, x.Seconds)
	}
	return LastActivity{Seconds: secs, Status: x.Status}, nil
}

// ask sends an empty <local xmlns=ns/> get to addr and decodes the answer
// into v.
func (e *Engine) ask(ctx context.Context, addr, ns, local, what string, v any) error {
	to, err := jid.Parse(addr)
	if err != nil {
		return fmt.Errorf("%s of %q: %w", what, addr, err)
	}
	r, err := e.request(ctx, iqRequest{Type: "get", To: to, What: what,
		Payload: xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: ns, Local: local}})})
	if err != nil {
		return fmt.Errorf("%s of %s: %w", what, to, err)
	}
	if err := r.Decode(v); err != nil {
		return fmt.Errorf("%s of %s: bad answer: %w", what, to, err)
	}
	return nil
}
