package client

import (
	"context"
	"encoding/xml"
	"fmt"

	"chat/event"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/jid"
	"mellium.im/xmpp/stanza"
)

type rosterQuery struct {
	XMLName xml.Name     `xml:"jabber:iq:roster query"`
	Ver     *string      `xml:"ver,attr"`
	Items   []rosterItem `xml:"item"`
}

type rosterItem struct {
	JID          string   `xml:"jid,attr"`
	Name         string   `xml:"name,attr,omitempty"`
	Subscription string   `xml:"subscription,attr,omitempty"`
	Ask          string   `xml:"ask,attr,omitempty"`
	Groups       []string `xml:"group"`
}

func (it rosterItem) event() event.RosterItem {
	return event.RosterItem{JID: it.JID, Name: it.Name, Subscription: it.Subscription, Ask: it.Ask, Groups: it.Groups}
}

// fetchRoster asks for the roster, with the version we hold if the caller
// keeps one (RFC 6121 §2.6), and emits an event.Roster.
func (e *Engine) fetchRoster(s *session) error {
	q := rosterQuery{}
	if e.cfg.RosterVersion != nil {
		v := e.cfg.RosterVersion()
		q.Ver = &v
	}
	reply, err := s.request(context.Background(), iqRequest{Type: "get", Payload: marshalRoster(q)})
	if err != nil {
		return err
	}
	var resp rosterQuery
	if !reply.Empty() {
		if err := reply.Decode(&resp); err != nil {
			return fmt.Errorf("bad roster from the server: %w", err)
		}
	}
	ev := event.Roster{Header: event.At(e.account)}
	if resp.XMLName.Local == "" {
		ev.Unchanged = true // RFC 6121 §2.6.3: empty result, our version is current
		if q.Ver != nil {
			ev.Version = *q.Ver
		}
	} else {
		if resp.Ver != nil {
			ev.Version = *resp.Ver
		}
		for _, it := range resp.Items {
			if _, err := jid.Parse(it.JID); err != nil {
				continue // a bad JID in our own roster: skip it rather than lose the rest
			}
			ev.Items = append(ev.Items, it.event())
		}
	}
	e.emit(ev)
	return nil
}

// handleRosterPush accepts a roster push only from our own account: a push
// from anyone else is a spoofing attempt (CVE-2015-8688, CVE-2016-9928).
func handleRosterPush(h *handler, info iqInfo, d *xml.Decoder, start xml.StartElement) (xml.TokenReader, error) {
	if info.Type != "set" {
		return nil, stanza.Error{Type: stanza.Cancel, Condition: stanza.BadRequest}
	}
	if !h.fromOwnAccount(info.From) {
		h.e.emitError("ignored roster push", fmt.Errorf("sent by %s, not by our server", info.From), info.From)
		return nil, stanza.Error{Type: stanza.Cancel, Condition: stanza.ServiceUnavailable}
	}
	var q rosterQuery
	if err := d.DecodeElement(&q, &start); err != nil {
		return nil, stanza.Error{Type: stanza.Modify, Condition: stanza.BadRequest}
	}
	if len(q.Items) != 1 {
		return nil, stanza.Error{Type: stanza.Modify, Condition: stanza.BadRequest}
	}
	if _, err := jid.Parse(q.Items[0].JID); err != nil {
		return nil, stanza.Error{Type: stanza.Modify, Condition: stanza.JIDMalformed}
	}
	ev := event.RosterPush{Header: event.At(h.e.account), Item: q.Items[0].event()}
	if q.Ver != nil {
		ev.Version = *q.Ver
	}
	h.e.emit(ev)
	return nil, nil
}

// fromOwnAccount reports whether a stanza's from attribute is our server
// speaking for our account: absent (mellium blanks our own bare JID) or
// our bare JID.
func (h *handler) fromOwnAccount(from string) bool {
	if from == "" {
		return true
	}
	j, err := jid.Parse(from)
	if err != nil {
		return false
	}
	return j.Equal(h.e.cfg.JID.Bare())
}

func marshalRoster(q rosterQuery) xml.TokenReader {
	var attrs []xml.Attr
	if q.Ver != nil {
		attrs = append(attrs, xml.Attr{Name: xml.Name{Local: "ver"}, Value: *q.Ver})
	}
	var items []xml.TokenReader
	for _, it := range q.Items {
		items = append(items, marshalItem(it))
	}
	return xmlstream.Wrap(xmlstream.MultiReader(items...),
		xml.StartElement{Name: xml.Name{Space: nsRoster, Local: "query"}, Attr: attrs})
}

func marshalItem(it rosterItem) xml.TokenReader {
	attrs := []xml.Attr{{Name: xml.Name{Local: "jid"}, Value: it.JID}}
	if it.Name != "" {
		attrs = append(attrs, xml.Attr{Name: xml.Name{Local: "name"}, Value: it.Name})
	}
	if it.Subscription != "" {
		attrs = append(attrs, xml.Attr{Name: xml.Name{Local: "subscription"}, Value: it.Subscription})
	}
	var groups []xml.TokenReader
	for _, g := range it.Groups {
		groups = append(groups, xmlstream.Wrap(xmlstream.Token(xml.CharData(g)), xml.StartElement{Name: xml.Name{Local: "group"}}))
	}
	return xmlstream.Wrap(xmlstream.MultiReader(groups...), xml.StartElement{Name: xml.Name{Local: "item"}, Attr: attrs})
}

// RosterSet adds or updates a contact. The result arrives as a roster push;
// a failure as an event.Error.
func (e *Engine) RosterSet(item event.RosterItem) error {
	it := rosterItem{JID: item.JID, Name: item.Name, Groups: item.Groups}
	return e.rosterIQ(fmt.Sprintf("add %s to roster", item.JID), it)
}

// RosterRemove removes a contact (and, per RFC 6121, cancels the
// subscriptions both ways).
func (e *Engine) RosterRemove(contact string) error {
	return e.rosterIQ(fmt.Sprintf("remove %s from roster", contact), rosterItem{JID: contact, Subscription: "remove"})
}

func (e *Engine) rosterIQ(what string, it rosterItem) error {
	s := e.current()
	if s == nil {
		return fmt.Errorf("%s: %w", what, ErrOffline)
	}
	q := rosterQuery{Items: []rosterItem{it}}
	err := s.requestAsync(iqRequest{Type: "set", Payload: marshalRoster(q), What: what}, func(_ *iqReply, err error) {
		if err != nil {
			e.emitError(what, err, "")
		}
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
