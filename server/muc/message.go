package muc

import (
	"strconv"
	"time"

	"mellium.im/xmpp/jid"
)

// maxInvites bounds the invitations one message may carry.
const maxInvites = 5

// message handles a message to a room or an occupant.
func (s *Service) message(st *stanza) {
	r := s.rooms[st.to.Bare().String()]
	if r == nil {
		s.reply(st, "cancel", "item-not-found", "no such room")
		return
	}
	o := r.byJID[st.from.String()]
	if nick := st.to.Resourcepart(); nick != "" {
		s.private(st, r, o, nick)
		return
	}
	if st.typ == "groupchat" {
		s.groupchat(st, r, o)
		return
	}
	if x := st.e.child(nsMUCUser, "x"); x != nil {
		s.mediated(st, r, o, x)
		return
	}
	s.reply(st, "modify", "bad-request", "send groupchat messages to the room")
}

// groupchat reflects a message to every occupant (§7.4) with a
// stanza-id, or changes the subject (§8.1).
func (s *Service) groupchat(st *stanza, r *room, o *occupant) {
	switch {
	case o == nil:
		s.reply(st, "modify", "not-acceptable", "only occupants may speak in the room")
		return
	case o.role == roleVisitor || o.role == roleNone:
		s.reply(st, "auth", "forbidden", "you have no voice in this room")
		return
	}
	subj, body := st.e.child(nsClient, "subject"), st.e.child(nsClient, "body")
	if subj != nil && body == nil {
		s.setSubject(st, r, o, subj.text())
		return
	}
	m := st.e.copy()
	m.set("from", o.addr)
	m.set("to", "")
	m.set("type", "groupchat")
	m.drop(func(c *el) bool { return c.is(nsSID, "stanza-id") && c.get("by") == r.jid.String() })
	m.drop(func(c *el) bool { return c.is(nsDelay, "delay") })
	m.add(mk(nsSID, "stanza-id", "id", s.nextID(), "by", r.jid.String()))
	s.toAll(r, m)
	if body != nil {
		r.remember(m, s.now(), s.cfg.MaxHistory, s.cfg.MaxHistoryBytes)
	}
}

// toAll sends m to every occupant; m is left without a to.
func (s *Service) toAll(r *room, m *el) {
	for _, p := range r.order {
		m.set("to", p.realStr)
		s.write(m)
	}
	m.set("to", "")
}

func (s *Service) setSubject(st *stanza, r *room, o *occupant, subject string) {
	if o.role != roleModerator {
		s.reply(st, "auth", "forbidden", "only moderators may change the subject")
		return
	}
	if len(subject) > maxText {
		s.reply(st, "modify", "not-acceptable", "the subject is too long")
		return
	}
	r.subject, r.subjectNick = subject, o.nick
	for _, p := range r.order {
		s.sendSubject(r, p)
	}
	s.save(r)
}

// sendSubject sends the subject (perhaps empty) to one occupant: the last
// thing of a join (§7.2.15).
func (s *Service) sendSubject(r *room, o *occupant) {
	from := r.jid.String()
	if r.subjectNick != "" {
		from = r.occupantJID(r.subjectNick)
	}
	s.write(mk(nsClient, "message", "type", "groupchat", "from", from, "to", o.realStr, "id", s.nextID()).
		add(mk(nsClient, "subject").add(r.subject)))
}

// sendHistory sends o the history its <history/> asks for (§7.2.13), with
// delay stamps.
func (s *Service) sendHistory(r *room, o *occupant, h *el) {
	maxStanzas, maxChars := len(r.history), -1
	var since time.Time
	if v, err := strconv.Atoi(h.get("maxstanzas")); err == nil && v >= 0 {
		maxStanzas = min(v, maxStanzas)
	}
	if v, err := strconv.Atoi(h.get("maxchars")); err == nil && v >= 0 {
		maxChars = v
	}
	if v, err := strconv.Atoi(h.get("seconds")); err == nil && v >= 0 && v < 1<<31 {
		since = s.now().Add(-time.Duration(v) * time.Second)
	}
	if t, err := time.Parse(time.RFC3339, h.get("since")); err == nil && t.After(since) {
		since = t
	}
	first, chars := len(r.history), 0
	for first > 0 && len(r.history)-first < maxStanzas {
		p := r.history[first-1]
		if p.at.Before(since) || (maxChars >= 0 && chars+p.size > maxChars) {
			break
		}
		chars += p.size
		first--
	}
	for _, p := range r.history[first:] {
		m := p.m.copy()
		m.set("to", o.realStr)
		m.add(mk(nsDelay, "delay", "from", r.jid.String(), "stamp", p.at.UTC().Format("2006-01-02T15:04:05.000Z")))
		s.write(m)
	}
}

// private relays a message to one occupant through the room (§7.5): the
// recipient sees it from room/sender-nick, never the real JID.
func (s *Service) private(st *stanza, r *room, o *occupant, nick string) {
	switch {
	case st.typ == "groupchat":
		s.reply(st, "modify", "bad-request", "groupchat goes to the room, not an occupant")
		return
	case o == nil:
		s.reply(st, "cancel", "not-acceptable", "only occupants may send private messages")
		return
	}
	t := r.occupants[nick]
	if t == nil {
		s.reply(st, "cancel", "item-not-found", "no such occupant")
		return
	}
	m := st.e.copy()
	m.set("from", o.addr)
	m.set("to", t.realStr)
	if m.child(nsMUCUser, "x") == nil {
		m.add(mk(nsMUCUser, "x"))
	}
	s.write(m)
}

// mediated relays invitations and declines (§7.8.2, §7.8.3).
func (s *Service) mediated(st *stanza, r *room, o *occupant, x *el) {
	if d := x.child(nsMUCUser, "decline"); d != nil {
		s.decline(st, r, d)
		return
	}
	invites := x.all(nsMUCUser, "invite")
	switch {
	case len(invites) == 0:
		s.reply(st, "modify", "bad-request", "nothing to relay")
		return
	case o == nil:
		s.reply(st, "cancel", "not-acceptable", "only occupants may invite")
		return
	case r.cfg.membersOnly && affRank[r.affOf(o)] < affRank[affAdmin]:
		s.reply(st, "auth", "forbidden", "only admins may invite to a members-only room")
		return
	}
	for _, inv := range invites[:min(len(invites), maxInvites)] {
		to, err := jid.Parse(inv.get("to"))
		if err != nil || to.Localpart() == "" {
			s.reply(st, "modify", "jid-malformed", "invite whom?")
			return
		}
		s.invite(r, o, to, inv.child(nsMUCUser, "reason").text())
	}
}

func (s *Service) invite(r *room, o *occupant, to jid.JID, reason string) {
	if r.cfg.membersOnly && r.affiliation(to) == affNone && len(r.affs) < s.cfg.MaxAffiliations {
		r.affs[to.Bare().String()] = affMember
		s.save(r)
	}
	x := mk(nsMUCUser, "x").add(
		mk(nsMUCUser, "invite", "from", o.realStr).add(mk(nsMUCUser, "reason").add(reason)))
	if r.cfg.password != "" {
		x.add(mk(nsMUCUser, "password").add(r.cfg.password))
	}
	body := o.bare + " invites you to the room " + r.jid.String()
	if reason != "" {
		body += ": " + reason
	}
	s.write(mk(nsClient, "message", "from", r.jid.String(), "to", to.String(), "id", s.nextID()).
		add(x, mk(nsClient, "body").add(body)))
}

func (s *Service) decline(st *stanza, r *room, d *el) {
	to, err := jid.Parse(d.get("to"))
	if err != nil || to.Localpart() == "" {
		s.reply(st, "modify", "jid-malformed", "decline to whom?")
		return
	}
	s.write(mk(nsClient, "message", "from", r.jid.String(), "to", to.String(), "id", s.nextID()).add(
		mk(nsMUCUser, "x").add(mk(nsMUCUser, "decline", "from", st.from.Bare().String()).
			add(mk(nsMUCUser, "reason").add(d.child(nsMUCUser, "reason").text())))))
}
