package muc

import (
	"mellium.im/xmpp/jid"
)

// Room configuration fields (XEP-0045 §15.5.3) the service knows.
const (
	fName      = "muc#roomconfig_roomname"
	fDesc      = "muc#roomconfig_roomdesc"
	fPersist   = "muc#roomconfig_persistentroom"
	fPublic    = "muc#roomconfig_publicroom"
	fMembers   = "muc#roomconfig_membersonly"
	fModerated = "muc#roomconfig_moderatedroom"
	fProtected = "muc#roomconfig_passwordprotectedroom"
	fSecret    = "muc#roomconfig_roomsecret"
)

// owner handles muc#owner requests (§10): the configuration form, its
// submission or cancellation, and destroying the room.
func (s *Service) owner(st *stanza, r *room, q *el) {
	if r.affiliation(st.from) != affOwner {
		s.reply(st, "auth", "forbidden", "only owners may configure the room")
		return
	}
	x := q.child(nsData, "x")
	d := q.child(nsMUCOwner, "destroy")
	switch {
	case st.typ == "get" && q.first() == nil:
		s.write(result(st).add(mk(nsMUCOwner, "query").add(configForm(r))))
	case st.typ == "set" && d != nil:
		s.write(result(st))
		s.destroy(r, d)
	case st.typ == "set" && x.get("type") == "submit" && !validForm(x):
		s.reply(st, "modify", "not-acceptable", "a value is too long")
	case st.typ == "set" && x.get("type") == "submit":
		s.write(result(st))
		s.configure(r, x)
	case st.typ == "set" && x.get("type") == "cancel":
		s.write(result(st))
		if r.locked { // §10.1.3: cancelling the first configuration destroys the room
			s.destroy(r, mk(nsMUCOwner, "destroy"))
		}
	default:
		s.reply(st, "modify", "bad-request", "")
	}
}

// configForm is the room's configuration as a XEP-0004 form.
func configForm(r *room) *el {
	b := func(v bool) string {
		if v {
			return "1"
		}
		return "0"
	}
	return mk(nsData, "x", "type", "form").add(
		mk(nsData, "title").add("Configuration of "+r.jid.String()),
		field("FORM_TYPE", "hidden", "", nsRoomConfig),
		field(fName, "text-single", "Name", r.cfg.name),
		field(fDesc, "text-single", "Description", r.cfg.description),
		field(fPersist, "boolean", "Keep the room when it is empty (persistent)", b(r.cfg.persistent)),
		field(fPublic, "boolean", "List the room in the directory", b(r.cfg.public)),
		field(fMembers, "boolean", "Members only", b(r.cfg.membersOnly)),
		field(fModerated, "boolean", "Moderated: only participants may speak", b(r.cfg.moderated)),
		field(fProtected, "boolean", "Password protected", b(r.cfg.password != "")),
		field(fSecret, "text-private", "Password", r.cfg.password))
}

// formValues reads a submitted form: field var → first value.
func formValues(x *el) map[string]string {
	v := map[string]string{}
	for _, f := range x.all(nsData, "field") {
		if name := f.get("var"); name != "" {
			v[name] = f.child(nsData, "value").text()
		}
	}
	return v
}

// validForm reports whether every value of a submitted form is within
// maxText.
func validForm(x *el) bool {
	for _, v := range formValues(x) {
		if len(v) > maxText {
			return false
		}
	}
	return true
}

func boolValue(s string) bool { return s == "1" || s == "true" }

// configure applies a submitted form; an empty one makes an instant room
// (§10.1.2). Fields not submitted keep their value.
func (s *Service) configure(r *room, x *el) {
	v := formValues(x)
	c := r.cfg
	str := func(name string, dst *string) {
		if val, ok := v[name]; ok {
			*dst = val
		}
	}
	flag := func(name string, dst *bool) {
		if val, ok := v[name]; ok {
			*dst = boolValue(val)
		}
	}
	str(fName, &c.name)
	str(fDesc, &c.description)
	flag(fPersist, &c.persistent)
	flag(fPublic, &c.public)
	flag(fMembers, &c.membersOnly)
	flag(fModerated, &c.moderated)
	str(fSecret, &c.password)
	if p, ok := v[fProtected]; ok && !boolValue(p) {
		c.password = ""
	}
	wasLocked, becameMembersOnly := r.locked, c.membersOnly && !r.cfg.membersOnly
	r.cfg, r.locked = c, false
	s.save(r)
	if becameMembersOnly {
		for _, o := range append([]*occupant(nil), r.order...) {
			if affRank[r.affOf(o)] < affRank[affMember] {
				s.removeOccupant(r, o, removal{status: "322"})
			}
		}
	}
	if !wasLocked {
		s.toAll(r, mk(nsClient, "message", "type", "groupchat", "from", r.jid.String(), "id", s.nextID()).
			add(mk(nsMUCUser, "x").add(mk(nsMUCUser, "status", "code", "104"))))
	}
	s.dispose(r)
}

// destroy ends the room (§10.9): every occupant is told, with the
// alternative venue and reason the owner gave.
func (s *Service) destroy(r *room, d *el) {
	out := mk(nsMUCUser, "destroy")
	if alt, err := jid.Parse(d.get("jid")); err == nil && d.get("jid") != "" {
		out.set("jid", alt.String())
	}
	out.add(mk(nsMUCUser, "reason").add(d.child(nsMUCOwner, "reason").text()))
	r.destroyed = true
	for _, o := range append([]*occupant(nil), r.order...) {
		s.removeOccupant(r, o, removal{destroy: out})
	}
	delete(s.rooms, r.jid.String())
	s.save(r)
}
