package muc

import (
	"mellium.im/xmpp/jid"
)

// change is one validated muc#admin item.
type change struct {
	target *occupant // role change: who
	role   string
	who    jid.JID // affiliation change: whose (bare)
	aff    string
	reason string
}

// admin handles muc#admin requests (§8, §9): role changes by nick (kick,
// voice, moderator) and affiliation changes by JID (ban, member, admin,
// owner), and the lists of either.
func (s *Service) admin(st *stanza, r *room, q *el) {
	items := q.all(nsMUCAdmin, "item")
	if len(items) == 0 || len(items) > 100 {
		s.reply(st, "modify", "bad-request", "one item or more, at most 100")
		return
	}
	if st.typ == "get" {
		s.adminList(st, r, items[0])
		return
	}
	var plan []change
	for _, it := range items {
		c, typ, cond := s.check(r, st.from, it)
		if cond != "" {
			s.reply(st, typ, cond, "")
			return
		}
		plan = append(plan, c)
	}
	actor := ""
	if o := occupantOf(r, st.from); o != nil {
		actor = o.nick
	}
	for _, c := range plan {
		s.apply(r, c, actor)
	}
	s.write(result(st))
}

// check validates one item against what the actor may do (§8.2–§8.6,
// §9.1–§9.8).
func (s *Service) check(r *room, from jid.JID, it *el) (c change, typ, cond string) {
	c.reason = it.child(nsMUCAdmin, "reason").text()
	actorAff := r.affiliation(from)
	if role := it.get("role"); role != "" {
		return s.checkRole(r, from, it.get("nick"), role, c)
	}
	aff := it.get("affiliation")
	if _, ok := affRank[aff]; !ok {
		return c, "modify", "bad-request"
	}
	if actorAff != affOwner && actorAff != affAdmin {
		return c, "auth", "forbidden"
	}
	who, err := jid.Parse(it.get("jid"))
	if err != nil {
		return c, "modify", "jid-malformed"
	}
	c.who, c.aff = who.Bare(), aff
	cur := r.affiliation(c.who)
	switch {
	case actorAff == affAdmin && (affRank[cur] >= affRank[affAdmin] || affRank[aff] >= affRank[affAdmin]):
		return c, "cancel", "not-allowed"
	case cur == affOwner && aff != affOwner && len(r.sortedAffs(affOwner)) == 1:
		return c, "cancel", "conflict" // the last owner stays
	case aff != affNone && cur == affNone && len(r.affs) >= s.cfg.MaxAffiliations:
		return c, "wait", "resource-constraint"
	}
	return c, "", ""
}

func (s *Service) checkRole(r *room, from jid.JID, nick, role string, c change) (change, string, string) {
	actor := occupantOf(r, from)
	t := r.occupants[nick]
	c.target, c.role = t, role
	actorAff := r.affiliation(from)
	switch {
	case role != roleNone && role != roleVisitor && role != roleParticipant && role != roleModerator:
		return c, "modify", "bad-request"
	case actor == nil || actor.role != roleModerator:
		return c, "auth", "forbidden"
	case t == nil:
		return c, "cancel", "item-not-found"
	}
	tAff := r.affiliation(t.real)
	switch {
	case affRank[tAff] >= affRank[affAdmin] && affRank[tAff] >= affRank[actorAff]:
		return c, "cancel", "not-allowed" // no one moves an equal or better
	case affRank[tAff] >= affRank[affAdmin] && role != roleModerator && role != roleNone:
		return c, "cancel", "not-allowed" // admins and owners are moderators
	case (role == roleModerator || t.role == roleModerator) && affRank[actorAff] < affRank[affAdmin]:
		return c, "auth", "forbidden"
	}
	return c, "", ""
}

// apply carries out one checked change.
func (s *Service) apply(r *room, c change, actor string) {
	if c.target != nil {
		if r.occupants[c.target.nick] != c.target {
			return // gone meanwhile (two items for one nick)
		}
		if c.role == roleNone {
			s.removeOccupant(r, c.target, removal{status: "307", reason: c.reason, actor: actor})
			return
		}
		c.target.role = c.role
		s.broadcastPresence(r, c.target, view{reason: c.reason, actor: actor})
		return
	}
	bare := c.who.String()
	if c.aff == affNone {
		delete(r.affs, bare)
	} else {
		r.affs[bare] = c.aff
	}
	for _, o := range r.ofBare(bare) {
		switch {
		case c.aff == affOutcast:
			s.removeOccupant(r, o, removal{status: "301", reason: c.reason, actor: actor})
		case r.cfg.membersOnly && c.aff == affNone:
			s.removeOccupant(r, o, removal{status: "321", reason: c.reason, actor: actor})
		default:
			o.role = r.defaultRole(c.aff)
			s.broadcastPresence(r, o, view{reason: c.reason, actor: actor})
		}
	}
	s.save(r)
}

// adminList answers a request for the occupants with a role or the JIDs
// with an affiliation (§8.5, §9.5).
func (s *Service) adminList(st *stanza, r *room, it *el) {
	q := mk(nsMUCAdmin, "query")
	actorAff := r.affiliation(st.from)
	if role := it.get("role"); role != "" {
		if o := occupantOf(r, st.from); o == nil || o.role != roleModerator {
			s.reply(st, "auth", "forbidden", "")
			return
		}
		for _, o := range r.order {
			if o.role == role {
				q.add(mk(nsMUCAdmin, "item", "nick", o.nick, "role", o.role,
					"affiliation", r.affOf(o), "jid", o.realStr))
			}
		}
		s.write(result(st).add(q))
		return
	}
	aff := it.get("affiliation")
	if _, ok := affRank[aff]; !ok || aff == affNone {
		s.reply(st, "modify", "bad-request", "")
		return
	}
	if affRank[actorAff] < affRank[affAdmin] {
		s.reply(st, "auth", "forbidden", "")
		return
	}
	for _, who := range r.sortedAffs(aff) {
		q.add(mk(nsMUCAdmin, "item", "affiliation", aff, "jid", who))
	}
	s.write(result(st).add(q))
}
