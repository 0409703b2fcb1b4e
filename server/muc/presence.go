package muc

import (
	"mellium.im/xmpp/jid"
)

// view says how one occupant's presence is shown to another.
type view struct {
	typ     string   // "" or unavailable
	codes   []string // status codes (110 is added for the occupant itself)
	newNick string   // for 303
	reason  string
	actor   string // nick of who kicked or banned
	destroy *el    // for a destroyed room
}

// presenceOf is o's presence in r, addressed to no one yet: full says
// whether it shows o's real JID (to moderators and o itself), self whether
// it goes to o.
func (s *Service) presenceOf(r *room, o *occupant, full, self bool, v view) *el {
	p := mk(nsClient, "presence", "from", o.addr, "type", v.typ)
	if v.typ == "" && o.pres != nil {
		for _, k := range o.pres.kids {
			if c, ok := k.(*el); ok && !c.is(nsMUC, "x") && !c.is(nsMUCUser, "x") {
				p.add(c)
			}
		}
	} else if v.typ != "" && o.pres != nil && o.pres.get("type") == "unavailable" {
		p.add(o.pres.child(nsClient, "status"))
	}
	item := mk(nsMUCUser, "item", "affiliation", r.affOf(o), "role", o.role, "nick", v.newNick)
	if full || self {
		item.set("jid", o.realStr)
	}
	if v.actor != "" {
		item.add(mk(nsMUCUser, "actor", "nick", v.actor))
	}
	if v.reason != "" {
		item.add(mk(nsMUCUser, "reason").add(v.reason))
	}
	x := mk(nsMUCUser, "x").add(item, v.destroy)
	for _, c := range v.codes {
		x.add(mk(nsMUCUser, "status", "code", c))
	}
	if self {
		x.add(mk(nsMUCUser, "status", "code", "110"))
	}
	return p.add(x)
}

// tell sends o's presence to each viewer: the same stanza to all the
// moderators, another to the rest, and o's own.
func (s *Service) tell(r *room, o *occupant, viewers []*occupant, v view) {
	var anon, full *el
	for _, p := range viewers {
		var e *el
		switch {
		case p == o:
			e = s.presenceOf(r, o, true, true, v)
		case p.role == roleModerator:
			if full == nil {
				full = s.presenceOf(r, o, true, false, v)
			}
			e = full
		default:
			if anon == nil {
				anon = s.presenceOf(r, o, false, false, v)
			}
			e = anon
		}
		e.set("to", p.realStr)
		s.write(e)
	}
}

// broadcastPresence sends o's presence to every occupant, o included.
func (s *Service) broadcastPresence(r *room, o *occupant, v view) {
	s.tell(r, o, r.order, v)
}

// presence handles presence sent to room/nick (XEP-0045 §7.2, §7.6, §7.7,
// §7.14).
func (s *Service) presence(st *stanza) {
	r := s.rooms[st.to.Bare().String()]
	var o *occupant
	if r != nil {
		o = r.byJID[st.from.String()]
	}
	switch st.typ {
	case "unavailable":
		if o != nil {
			o.pres = kept(st)
			s.removeOccupant(r, o, removal{})
		}
		return
	case "":
	default:
		return // subscriptions and probes mean nothing to a room
	}
	nick := st.to.Resourcepart()
	switch {
	case nick == "":
		s.reply(st, "modify", "jid-malformed", "join with a nick: room@service/nick")
	case o == nil:
		s.join(st, r, nick)
	case nick != o.nick:
		s.changeNick(st, r, o, nick)
	case st.e.child(nsMUC, "x") != nil:
		// A join from an occupant already in: its client lost track
		// (a reconnect the service did not see), so it gets the room
		// again; the others see a presence update.
		o.pres = kept(st)
		var others []*occupant
		for _, p := range r.order {
			if p != o {
				others = append(others, p)
			}
		}
		s.tell(r, o, others, view{})
		s.welcome(r, o, others, st.e.child(nsMUC, "x"), nil)
	default:
		o.pres = kept(st)
		s.broadcastPresence(r, o, view{})
	}
}

// join lets st's sender into the room (creating it) or says why not.
func (s *Service) join(st *stanza, r *room, nick string) {
	x := st.e.child(nsMUC, "x")
	created := false
	if r == nil {
		if len(s.rooms) >= s.cfg.MaxRooms {
			s.reply(st, "wait", "resource-constraint", "too many rooms")
			return
		}
		// A join with the MUC protocol gets a locked room to configure; a
		// plain presence (an old client) gets an instant room, as Prosody does.
		r = newRoom(st.to.Bare())
		r.locked = x != nil
		r.affs[st.from.Bare().String()] = affOwner
		s.rooms[r.jid.String()] = r
		created = true
	}
	if typ, cond, text := s.admit(r, st, nick, x); cond != "" {
		s.reply(st, typ, cond, text)
		return
	}
	o := r.newOccupant(nick, st.from, kept(st))
	others := r.order
	r.add(o)
	var codes []string
	if created {
		codes = []string{"201"}
	}
	s.welcome(r, o, others, x, codes)
	s.tell(r, o, others, view{})
}

// welcome sends a newcomer the room (§7.2.3): the presence of the others,
// its own with 110 (and codes), the history and the subject.
func (s *Service) welcome(r *room, o *occupant, others []*occupant, x *el, codes []string) {
	for _, p := range others {
		e := s.presenceOf(r, p, o.role == roleModerator, false, view{})
		e.set("to", o.realStr)
		s.write(e)
	}
	s.tell(r, o, []*occupant{o}, view{codes: codes})
	s.sendHistory(r, o, x.child(nsMUC, "history"))
	s.sendSubject(r, o)
}

// admit checks a join (XEP-0045 §7.2.5–§7.2.10) and returns the error to
// answer, if any.
func (s *Service) admit(r *room, st *stanza, nick string, x *el) (typ, cond, text string) {
	aff := r.affiliation(st.from)
	switch {
	case r.locked && aff != affOwner:
		return "cancel", "item-not-found", "the room is being created"
	case aff == affOutcast:
		return "auth", "forbidden", "you are banned from this room"
	case r.cfg.membersOnly && affRank[aff] < affRank[affMember]:
		return "auth", "registration-required", "this room is for members only"
	case r.cfg.password != "" && aff != affOwner && x.child(nsMUC, "password").text() != r.cfg.password:
		return "auth", "not-authorized", "a password is needed"
	case r.occupants[nick] != nil:
		return "cancel", "conflict", "that nick is taken"
	case len(r.order) >= s.cfg.MaxOccupants && aff != affOwner && aff != affAdmin:
		return "wait", "service-unavailable", "the room is full"
	}
	return "", "", ""
}

// changeNick renames an occupant (§7.6): unavailable with 303 from the
// old nick, then the presence from the new one.
func (s *Service) changeNick(st *stanza, r *room, o *occupant, nick string) {
	if r.occupants[nick] != nil {
		s.reply(st, "cancel", "conflict", "that nick is taken")
		return
	}
	s.tell(r, o, r.order, view{typ: "unavailable", codes: []string{"303"}, newNick: nick})
	r.rename(o, nick)
	o.pres = kept(st)
	s.broadcastPresence(r, o, view{})
}

// removal says why an occupant leaves.
type removal struct {
	status  string // 307 kicked, 301 banned, 321/322 affiliation, 333 error; "" left
	reason  string
	actor   string
	destroy *el
}

// removeOccupant takes o out of r and tells everyone, o included.
func (s *Service) removeOccupant(r *room, o *occupant, why removal) {
	v := view{typ: "unavailable", reason: why.reason, actor: why.actor, destroy: why.destroy}
	if why.status != "" {
		v.codes = []string{why.status}
	}
	o.role = roleNone
	s.tell(r, o, r.order, v)
	r.remove(o)
	s.dispose(r)
}

// dispose forgets an empty temporary room.
func (s *Service) dispose(r *room) {
	if len(r.order) == 0 && (!r.cfg.persistent || r.destroyed) {
		delete(s.rooms, r.jid.String())
	}
}

// occupantOf returns the occupant a real JID is in r, or nil.
func occupantOf(r *room, real jid.JID) *occupant {
	if r == nil {
		return nil
	}
	return r.byJID[real.String()]
}

// maxPresence is the largest presence an occupant's is kept whole at;
// of a larger one only show, status and priority are kept.
const maxPresence = 8 << 10

// kept is the presence to keep for an occupant.
func kept(st *stanza) *el {
	if st.size <= maxPresence {
		return st.e
	}
	p := mk(nsClient, "presence", "type", st.typ)
	for _, name := range []string{"show", "status", "priority"} {
		c := st.e.child(nsClient, name)
		if len(c.text()) <= maxText {
			p.add(c)
		}
	}
	return p
}
