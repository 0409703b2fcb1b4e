package ui

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"chat/event"
	"chat/state"
)

// rosterSnap is the roster pane's data: the current account's contacts,
// grouped and sorted by presence then name, as plain values.
type rosterSnap struct {
	self  selfRow
	rows  []rosterRow
	total int // contacts
	on    int // contacts online
}

type selfRow struct {
	jid, conn, show string
	online          bool
}

// rosterRow is a group heading (jid "") or a contact.
type rosterRow struct {
	group  string // the heading's name, or the contact's group
	count  string // a heading's "online/total"
	jid    string
	label  string // the contact's name, or its JID
	show   string
	online bool
	ask    bool // a subscription request waiting for an answer
	asked  bool // our own request to see their presence, not answered yet
}

const (
	noGroup       = "Contacts"
	requestsGroup = "Requests"
)

func (m *model) rosterSnap() *rosterSnap {
	s := &rosterSnap{}
	if m.host == nil {
		return s
	}
	acct, ok := m.host.State().Lookup(m.host.Current())
	if !ok {
		return s
	}
	s.self = selfRow{jid: acct.JID, conn: string(acct.Conn.State), online: acct.Conn.State == event.Online}
	for _, p := range acct.Self {
		if p.From == acct.Conn.JID {
			s.self.show = p.Show
		}
	}
	contacts := acct.Sorted()
	s.total = len(contacts)
	groups := map[string][]rosterRow{}
	for _, c := range contacts {
		p, online := c.Best()
		if online {
			s.on++
		}
		_, asks := acct.Requests[c.Item.JID]
		r := rosterRow{jid: c.Item.JID, label: c.Label() + m.typing(acct.JID, c.Item.JID), show: p.Show, online: online, ask: asks,
			asked: c.Item.Ask == "subscribe" && c.Item.Subscription != "to" && c.Item.Subscription != "both"}
		gs := c.Item.Groups
		switch {
		case m.byPresence:
			gs = []string{presenceGroup(p.Show, online)}
		case len(gs) == 0:
			gs = []string{noGroup}
		}
		for _, g := range gs {
			r.group = g
			groups[g] = append(groups[g], r)
		}
	}
	s.rows = requestRows(acct)
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	sort.Slice(names, func(i, j int) bool { // named groups A–Z, the ungrouped last
		if m.byPresence {
			return presenceRank(names[i]) < presenceRank(names[j])
		}
		if (names[i] == noGroup) != (names[j] == noGroup) {
			return names[j] == noGroup
		}
		return strings.ToLower(names[i]) < strings.ToLower(names[j])
	})
	for _, g := range names {
		rows := groups[g]
		on := 0
		for _, r := range rows {
			if r.online {
				on++
			}
		}
		s.rows = append(s.rows, rosterRow{group: g, count: strconv.Itoa(on) + "/" + strconv.Itoa(len(rows))})
		s.rows = append(s.rows, rows...)
	}
	return s
}

func requestRows(acct *state.Account) []rosterRow {
	jids := make([]string, 0, len(acct.Requests))
	for j := range acct.Requests {
		if _, known := acct.Contacts[j]; !known { // a contact asking is marked in its group
			jids = append(jids, j)
		}
	}
	if len(jids) == 0 {
		return nil
	}
	slices.Sort(jids)
	rows := []rosterRow{{group: requestsGroup, count: strconv.Itoa(len(jids))}}
	for _, j := range jids {
		rows = append(rows, rosterRow{group: requestsGroup, jid: j, label: j, ask: true})
	}
	return rows
}

// presenceGroups are the headings of the roster grouped by presence, in
// their order.
var presenceGroups = []string{"Chat", "Online", "Away", "Extended away", "Busy", "Offline"}

func presenceGroup(show string, online bool) string {
	if !online {
		return "Offline"
	}
	switch show {
	case "chat":
		return "Chat"
	case "away":
		return "Away"
	case "xa":
		return "Extended away"
	case "dnd":
		return "Busy"
	}
	return "Online"
}

func presenceRank(g string) int { return slices.Index(presenceGroups, g) }
