package muc

import (
	"sort"
	"strconv"

	"mellium.im/xmpp/jid"
)

// serviceName is the service's disco identity name.
const serviceName = "Chatrooms"

// serviceIQ answers requests to the service's domain.
func (s *Service) serviceIQ(st *stanza) {
	if st.typ != "get" && st.typ != "set" {
		return
	}
	q := st.e.first()
	get := st.typ == "get"
	switch {
	case q.is(nsPing, "ping"):
		s.write(result(st))
	case q.is(nsDiscoInfo, "query") && get && q.get("node") == "":
		s.write(result(st).add(discoInfo(mk(nsDiscoInfo, "identity", "category", "conference", "type", "text", "name", serviceName),
			nsDiscoInfo, nsDiscoItems, nsMUC, nsPing, nsSID)))
	case q.is(nsDiscoItems, "query") && get && q.get("node") == "":
		s.write(result(st).add(s.publicRooms()))
	default:
		s.reply(st, "cancel", "service-unavailable", "")
	}
}

// publicRooms lists the rooms anyone may find (disco#items, §6.3).
func (s *Service) publicRooms() *el {
	var names []string
	for name, r := range s.rooms {
		if r.cfg.public && !r.locked {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	q := mk(nsDiscoItems, "query")
	for _, n := range names {
		q.add(mk(nsDiscoItems, "item", "jid", n, "name", s.rooms[n].displayName()))
	}
	return q
}

func (r *room) displayName() string {
	if r.cfg.name != "" {
		return r.cfg.name
	}
	return r.jid.Localpart()
}

func discoInfo(identity *el, features ...string) *el {
	q := mk(nsDiscoInfo, "query").add(identity)
	for _, f := range features {
		q.add(mk(nsDiscoInfo, "feature", "var", f))
	}
	return q
}

// roomIQ answers requests to a room or forwards them to an occupant.
func (s *Service) roomIQ(st *stanza) {
	r := s.rooms[st.to.Bare().String()]
	if st.to.Resourcepart() != "" {
		s.occupantIQ(st, r)
		return
	}
	if st.typ != "get" && st.typ != "set" {
		return
	}
	if r == nil || (r.locked && r.affiliation(st.from) != affOwner) {
		s.reply(st, "cancel", "item-not-found", "no such room")
		return
	}
	q := st.e.first()
	get := st.typ == "get"
	switch {
	case q.is(nsDiscoInfo, "query") && get && q.get("node") == "":
		s.write(result(st).add(s.roomInfo(r)))
	case q.is(nsDiscoItems, "query") && get && q.get("node") == "":
		s.write(result(st).add(s.roomItems(r, occupantOf(r, st.from))))
	case q.is(nsPing, "ping"):
		s.write(result(st))
	case q.is(nsMUCAdmin, "query"):
		s.admin(st, r, q)
	case q.is(nsMUCOwner, "query"):
		s.owner(st, r, q)
	default:
		s.reply(st, "cancel", "service-unavailable", "")
	}
}

// roomInfo is a room's disco#info (§6.4) with its muc#roominfo form.
func (s *Service) roomInfo(r *room) *el {
	pick := func(on bool, yes, no string) string {
		if on {
			return yes
		}
		return no
	}
	q := discoInfo(mk(nsDiscoInfo, "identity", "category", "conference", "type", "text", "name", r.displayName()),
		nsDiscoInfo, nsMUC, nsSID, nsPing, "muc_semianonymous",
		pick(r.cfg.membersOnly, "muc_membersonly", "muc_open"),
		pick(r.cfg.public, "muc_public", "muc_hidden"),
		pick(r.cfg.persistent, "muc_persistent", "muc_temporary"),
		pick(r.cfg.password != "", "muc_passwordprotected", "muc_unsecured"),
		pick(r.cfg.moderated, "muc_moderated", "muc_unmoderated"))
	return q.add(mk(nsData, "x", "type", "result").add(
		field("FORM_TYPE", "hidden", "", nsRoomInfo),
		field("muc#roominfo_description", "text-single", "Description", r.cfg.description),
		field("muc#roominfo_subject", "text-single", "Subject", r.subject),
		field("muc#roominfo_occupants", "text-single", "Occupants", strconv.Itoa(len(r.order)))))
}

// roomItems lists the occupants to an occupant, and nothing to others
// (§6.5).
func (s *Service) roomItems(r *room, asker *occupant) *el {
	q := mk(nsDiscoItems, "query")
	if asker == nil {
		return q
	}
	for _, o := range r.order {
		q.add(mk(nsDiscoItems, "item", "jid", o.addr))
	}
	return q
}

// field is one XEP-0004 field with one value.
func field(name, typ, label, value string) *el {
	f := mk(nsData, "field", "var", name, "type", typ, "label", label)
	return f.add(mk(nsData, "value").add(value))
}

// occupantIQ handles an IQ to room/nick: a XEP-0410 self-ping is answered
// here, other requests are forwarded to the occupant from the sender's
// occupant JID, and answers go back to whoever asked.
func (s *Service) occupantIQ(st *stanza, r *room) {
	if st.typ == "result" {
		s.iqAnswer(st)
		return
	}
	if st.typ != "get" && st.typ != "set" {
		return
	}
	o := occupantOf(r, st.from)
	if o == nil {
		s.reply(st, "cancel", "not-acceptable", "you are not in this room")
		return
	}
	t := r.occupants[st.to.Resourcepart()]
	switch {
	case t == nil:
		s.reply(st, "cancel", "item-not-found", "no such occupant")
	case t == o && st.e.first().is(nsPing, "ping"):
		s.write(result(st))
	default:
		f := st.e.copy()
		f.set("id", s.iqs.put(s.nextID(), pendingIQ{asker: st.from, id: st.id, target: t.real, from: st.to.String()}))
		f.set("from", o.addr)
		f.set("to", t.realStr)
		s.write(f)
	}
}

// iqAnswer sends the answer to a forwarded IQ back to its asker.
func (s *Service) iqAnswer(st *stanza) {
	p, ok := s.iqs.take(st.id, st.from)
	if !ok {
		return
	}
	a := st.e.copy()
	a.set("id", p.id)
	a.set("from", p.from)
	a.set("to", p.asker.String())
	s.write(a)
}

// maxPendingIQs bounds the forwarded IQs waiting for an answer.
const maxPendingIQs = 1024

// pendingIQ is an IQ forwarded to an occupant.
type pendingIQ struct {
	asker  jid.JID // real JID of who asked
	id     string  // the asker's id
	target jid.JID // real JID it went to: only it may answer
	from   string  // the occupant JID the answer comes from
}

// iqTable remembers forwarded IQs, forgetting the oldest beyond a bound.
type iqTable struct {
	byID  map[string]pendingIQ
	order []string
}

func (t *iqTable) init() { t.byID = map[string]pendingIQ{} }

func (t *iqTable) put(id string, p pendingIQ) string {
	if len(t.order) >= maxPendingIQs {
		delete(t.byID, t.order[0])
		t.order = t.order[1:]
	}
	t.byID[id] = p
	t.order = append(t.order, id)
	return id
}

func (t *iqTable) take(id string, from jid.JID) (pendingIQ, bool) {
	p, ok := t.byID[id]
	if !ok || !p.target.Equal(from) {
		return pendingIQ{}, false
	}
	delete(t.byID, id)
	for i, o := range t.order {
		if o == id {
			t.order = append(t.order[:i], t.order[i+1:]...)
			break
		}
	}
	return p, true
}
