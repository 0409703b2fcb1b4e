package muc

import (
	"sort"
	"time"

	"chat/server/store"

	"mellium.im/xmpp/jid"
)

// Affiliations (long-lived, by bare JID) and roles (per visit), XEP-0045 §5.
const (
	affOwner   = "owner"
	affAdmin   = "admin"
	affMember  = "member"
	affNone    = "none"
	affOutcast = "outcast"

	roleModerator   = "moderator"
	roleParticipant = "participant"
	roleVisitor     = "visitor"
	roleNone        = "none"
)

// affRank orders affiliations, for who may change whom.
var affRank = map[string]int{affOutcast: 0, affNone: 1, affMember: 2, affAdmin: 3, affOwner: 4}

// roomConfig is what muc#owner configures.
type roomConfig struct {
	name, description, password string
	membersOnly, moderated      bool
	persistent, public          bool
}

// room is one room: its configuration, its affiliations and who is in it.
type room struct {
	jid       jid.JID // bare
	cfg       roomConfig
	locked    bool // created with the MUC protocol and not configured yet
	destroyed bool
	stored    bool // in the store (persistent, or was)

	subject, subjectNick string
	affs                 map[string]string // bare JID → owner, admin, member, outcast

	occupants map[string]*occupant // nick → occupant
	byJID     map[string]*occupant // real full JID → occupant
	order     []*occupant          // in order of joining
	history   []past               // the last messages, oldest first
}

// past is a message kept for the history: as broadcast (without a to),
// when, and how long it is serialised.
type past struct {
	m    *el
	at   time.Time
	size int
}

// occupant is one real full JID in a room under a nick.
type occupant struct {
	nick string
	real jid.JID
	role string
	pres *el // the last available presence, as the occupant sent it

	addr    string // room@service/nick
	realStr string // real full JID
	bare    string // real bare JID
}

// newOccupant makes the occupant real would be as nick, with the role its
// affiliation gives.
func (r *room) newOccupant(nick string, real jid.JID, pres *el) *occupant {
	o := &occupant{nick: nick, real: real, pres: pres, realStr: real.String(), bare: real.Bare().String()}
	o.addr = r.occupantJID(nick)
	o.role = r.defaultRole(r.affOf(o))
	return o
}

// affOf returns an occupant's affiliation.
func (r *room) affOf(o *occupant) string {
	if a, ok := r.affs[o.bare]; ok {
		return a
	}
	return affNone
}

func newRoom(j jid.JID) *room {
	return &room{jid: j, cfg: roomConfig{public: true}, affs: map[string]string{},
		occupants: map[string]*occupant{}, byJID: map[string]*occupant{}}
}

// restore rebuilds a persistent room from the store.
func restore(j jid.JID, rec store.Room) *room {
	r := newRoom(j)
	r.cfg = roomConfig{name: rec.Name, description: rec.Description, password: rec.Password,
		membersOnly: rec.MembersOnly, moderated: rec.Moderated, persistent: true, public: rec.Public}
	r.subject, r.subjectNick = rec.Subject, rec.SubjectNick
	r.stored = true
	for who, aff := range rec.Affiliations {
		if _, ok := affRank[aff]; ok && aff != affNone {
			r.affs[who] = aff
		}
	}
	return r
}

// record is the room as the store keeps it.
func (r *room) record() store.Room {
	affs := make(map[string]string, len(r.affs))
	for k, v := range r.affs {
		affs[k] = v
	}
	return store.Room{JID: r.jid.String(), Name: r.cfg.name, Description: r.cfg.description,
		Password: r.cfg.password, MembersOnly: r.cfg.membersOnly, Moderated: r.cfg.moderated,
		Public: r.cfg.public, Subject: r.subject, SubjectNick: r.subjectNick, Affiliations: affs}
}

// affiliation returns the affiliation of a real JID.
func (r *room) affiliation(real jid.JID) string {
	if a, ok := r.affs[real.Bare().String()]; ok {
		return a
	}
	return affNone
}

// defaultRole is the role an affiliation gets on entering (§5.1.2).
func (r *room) defaultRole(aff string) string {
	switch {
	case aff == affOwner || aff == affAdmin:
		return roleModerator
	case r.cfg.moderated && aff == affNone:
		return roleVisitor
	}
	return roleParticipant
}

func (r *room) add(o *occupant) {
	r.occupants[o.nick] = o
	r.byJID[o.realStr] = o
	r.order = append(r.order, o)
}

func (r *room) remove(o *occupant) {
	delete(r.occupants, o.nick)
	delete(r.byJID, o.realStr)
	for i, p := range r.order {
		if p == o {
			r.order = append(r.order[:i], r.order[i+1:]...)
			break
		}
	}
}

// rename moves o to a new nick.
func (r *room) rename(o *occupant, nick string) {
	delete(r.occupants, o.nick)
	o.nick, o.addr = nick, r.occupantJID(nick)
	r.occupants[nick] = o
}

// occupantJID is the room JID of a nick.
func (r *room) occupantJID(nick string) string {
	j, err := r.jid.WithResource(nick)
	if err != nil {
		return r.jid.String()
	}
	return j.String()
}

// ofBare returns the occupants whose real JID has the given bare JID.
func (r *room) ofBare(bare string) []*occupant {
	var out []*occupant
	for _, o := range r.order {
		if o.bare == bare {
			out = append(out, o)
		}
	}
	return out
}

// sortedAffs returns the JIDs with affiliation aff, sorted.
func (r *room) sortedAffs(aff string) []string {
	var out []string
	for who, a := range r.affs {
		if a == aff {
			out = append(out, who)
		}
	}
	sort.Strings(out)
	return out
}

// remember keeps a broadcast message for the history sent on join: at
// most max messages and maxBytes serialised bytes, the oldest dropped.
func (r *room) remember(m *el, at time.Time, max, maxBytes int) {
	p := past{m: m, at: at, size: len(m.bytes())}
	if p.size > maxBytes {
		return
	}
	r.history = append(r.history, p)
	total := 0
	for _, h := range r.history {
		total += h.size
	}
	drop := 0
	for len(r.history)-drop > max || total > maxBytes {
		total -= r.history[drop].size
		drop++
	}
	if drop > 0 {
		r.history = append(r.history[:0:0], r.history[drop:]...)
	}
}
