package muc

import (
	"encoding/xml"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"mellium.im/xmpp/jid"
)

// State is where we stand in a room.
type State uint8

// Room states.
const (
	StateJoining   State = iota // join presence sent, our own presence not yet back
	StateJoined                 // in the room
	StateLeaving                // leave presence sent
	StateLeft                   // we left
	StateKicked                 // kicked (a /join rejoins)
	StateBanned                 // banned
	StateRemoved                // removed (affiliation change, members-only, shutdown)
	StateDestroyed              // the room is gone
)

var stateNames = [...]string{"joining", "joined", "leaving", "left", "kicked", "banned", "removed", "destroyed"}

func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "unknown"
}

// Occupant is one person in a room, by nick.
type Occupant struct {
	Nick        string
	Role        Role
	Affiliation Affiliation
	JID         string // real JID, if the room shows it
	Show        string
	Status      string
}

// Room is one room we joined or are joining.
type Room struct {
	JID          jid.JID // bare
	Nick         string  // our nick in the room
	State        State
	Subject      string
	SubjectBy    string
	Self         Occupant
	LastActivity time.Time // the last stanza from the room, for self-ping
	LastMessage  time.Time // the newest message seen, to ask only for newer history on rejoin

	opts        JoinOptions
	baseNick    string
	tries       int
	wantNick    string // a nick change we asked for
	subjectSeen bool
	pinging     bool
	occupants   map[string]Occupant
	pending     map[string]struct{} // origin-ids of our messages not yet reflected
	seen        idRing              // stanza-ids the room gave messages we have shown
}

// Occupant returns the occupant with the nick.
func (r *Room) Occupant(nick string) (Occupant, bool) {
	o, ok := r.occupants[nick]
	return o, ok
}

// Len is the number of occupants, us included.
func (r *Room) Len() int { return len(r.occupants) }

// Group is the occupants with one role, sorted by nick.
type Group struct {
	Role      Role
	Occupants []Occupant
}

// Groups returns the occupants grouped by role (moderators, participants,
// visitors; occupants without a role last), each sorted by nick without
// regard to case. Empty groups are left out.
func (r *Room) Groups() []Group {
	type keyed struct {
		key string
		o   Occupant
	}
	var by [4][]keyed // indexed by Role
	for _, o := range r.occupants {
		if o.Role > RoleVisitor {
			o.Role = RoleNone
		}
		by[o.Role] = append(by[o.Role], keyed{strings.ToLower(o.Nick), o})
	}
	var out []Group
	for _, role := range []Role{RoleModerator, RoleParticipant, RoleVisitor, RoleNone} {
		ks := by[role]
		if len(ks) == 0 {
			continue
		}
		slices.SortFunc(ks, func(a, b keyed) int {
			if c := strings.Compare(a.key, b.key); c != 0 {
				return c
			}
			return strings.Compare(a.o.Nick, b.o.Nick)
		})
		os := make([]Occupant, len(ks))
		for i, k := range ks {
			os[i] = k.o
		}
		out = append(out, Group{Role: role, Occupants: os})
	}
	return out
}

// Occupant JID room@service/nick for our nick.
func (r *Room) occupantJID(nick string) (jid.JID, error) { return r.JID.WithResource(nick) }

// Rooms is every room of one account, keyed by bare room JID.
type Rooms struct {
	// Words are highlighted in messages besides our nick.
	Words []string
	// MaxNickTries is how many times a taken nick is retried with a
	// suffix; 0 means 3.
	MaxNickTries int

	rooms map[string]*Room
}

// NewRooms returns an empty set of rooms.
func NewRooms() *Rooms { return &Rooms{rooms: make(map[string]*Room)} }

// Errors of the join, leave and send calls.
var (
	ErrAlreadyIn = errors.New("already in the room")
	ErrNotIn     = errors.New("not in the room")
)

// Room returns the room with the bare JID.
func (rs *Rooms) Room(bare string) (*Room, bool) {
	r, ok := rs.rooms[bare]
	return r, ok
}

// List returns the rooms sorted by JID.
func (rs *Rooms) List() []*Room {
	out := make([]*Room, 0, len(rs.rooms))
	for _, r := range rs.rooms {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].JID.String() < out[j].JID.String() })
	return out
}

// Join starts joining room as nick and returns the presence to send.
func (rs *Rooms) Join(room jid.JID, nick string, o JoinOptions, now time.Time) (xml.TokenReader, error) {
	room = room.Bare()
	if room.Localpart() == "" {
		return nil, fmt.Errorf("muc: join %s: a room address has a name before the @", room)
	}
	if !ValidNick(nick) {
		return nil, fmt.Errorf("muc: join %s as %q: %w", room, nick, ErrBadNick)
	}
	key := room.String()
	if r, ok := rs.rooms[key]; ok && (r.State == StateJoining || r.State == StateJoined) {
		return nil, fmt.Errorf("muc: join %s: %w", room, ErrAlreadyIn)
	}
	r := &Room{JID: room, Nick: nick, baseNick: nick, opts: o, LastActivity: now}
	if old, ok := rs.rooms[key]; ok {
		r.LastMessage, r.seen = old.LastMessage, old.seen
	}
	rs.rooms[key] = r
	return rs.JoinPresence(key)
}

// JoinPresence returns the join presence for a room with its current nick:
// after a nick conflict, a drop, or a reconnect. A rejoin asks only for the
// history newer than the last message seen.
func (rs *Rooms) JoinPresence(bare string) (xml.TokenReader, error) {
	r, ok := rs.rooms[bare]
	if !ok {
		return nil, fmt.Errorf("muc: %s: %w", bare, ErrNotIn)
	}
	to, err := r.occupantJID(r.Nick)
	if err != nil {
		return nil, fmt.Errorf("muc: join %s as %q: %w", bare, r.Nick, err)
	}
	r.reset(StateJoining)
	o := r.opts
	if !r.LastMessage.IsZero() && !o.History.None {
		o.History = History{Since: r.LastMessage.Add(time.Second)}
	}
	return JoinPresence(to, o), nil
}

func (r *Room) reset(s State) {
	r.State, r.occupants, r.subjectSeen, r.pinging, r.wantNick = s, nil, false, false, ""
}

// Leave returns the presence that leaves a room.
func (rs *Rooms) Leave(bare, status string) (xml.TokenReader, error) {
	r, ok := rs.rooms[bare]
	if !ok || (r.State != StateJoined && r.State != StateJoining) {
		delete(rs.rooms, bare)
		return nil, fmt.Errorf("muc: leave %s: %w", bare, ErrNotIn)
	}
	to, err := r.occupantJID(r.Nick)
	if err != nil {
		return nil, err
	}
	r.State = StateLeaving
	return LeavePresence(to, status), nil
}

// Forget drops a room from the set (a closed buffer, a failed join).
func (rs *Rooms) Forget(bare string) { delete(rs.rooms, bare) }

// Rejoin returns the join presences for every room we were in or joining,
// to send after a reconnect; rooms we were leaving are forgotten.
func (rs *Rooms) Rejoin() []xml.TokenReader {
	var out []xml.TokenReader
	for _, r := range rs.List() {
		switch r.State {
		case StateJoined, StateJoining:
			if p, err := rs.JoinPresence(r.JID.String()); err == nil {
				out = append(out, p)
			}
		case StateLeaving:
			delete(rs.rooms, r.JID.String())
		}
	}
	return out
}

// ChangeNick returns the presence that changes our nick in a room.
func (rs *Rooms) ChangeNick(bare, nick string) (xml.TokenReader, error) {
	r, ok := rs.rooms[bare]
	if !ok || r.State != StateJoined {
		return nil, fmt.Errorf("muc: nick in %s: %w", bare, ErrNotIn)
	}
	p, err := NickPresence(r.JID, nick)
	if err != nil {
		return nil, fmt.Errorf("muc: nick %q in %s: %w", nick, bare, err)
	}
	r.wantNick = nick
	return p, nil
}

// maxPending bounds the origin-ids kept while waiting for reflections.
const maxPending = 256

// Say returns a groupchat message to the room and remembers its id, so the
// room's reflection of it is recognised and not shown twice.
func (rs *Rooms) Say(bare, id, body string) (xml.TokenReader, error) {
	r, ok := rs.rooms[bare]
	if !ok || r.State != StateJoined {
		return nil, fmt.Errorf("muc: say in %s: %w", bare, ErrNotIn)
	}
	if r.pending == nil {
		r.pending = make(map[string]struct{})
	}
	if len(r.pending) >= maxPending {
		for k := range r.pending {
			delete(r.pending, k)
			break
		}
	}
	r.pending[id] = struct{}{}
	return GroupchatMessage(r.JID, id, body), nil
}

// PingDue returns a XEP-0410 self-ping for every joined room quiet for at
// least quiet, and marks it pinging until PingResult.
func (rs *Rooms) PingDue(now time.Time, quiet time.Duration) []IQ {
	var out []IQ
	for _, r := range rs.List() {
		if r.State != StateJoined || r.pinging || now.Sub(r.LastActivity) < quiet {
			continue
		}
		if to, err := r.occupantJID(r.Nick); err == nil {
			r.pinging = true
			out = append(out, SelfPing(to))
		}
	}
	return out
}

// PingResult applies the verdict of a self-ping of the room.
func (rs *Rooms) PingResult(bare string, v PingVerdict, now time.Time) Event {
	r, ok := rs.rooms[bare]
	if !ok || r.State != StateJoined {
		return Event{Kind: KindNone, Room: bare}
	}
	r.pinging = false
	switch v {
	case PingJoined:
		r.LastActivity = now
		return Event{Kind: KindStillJoined, Room: bare, Self: true}
	case PingDropped:
		r.reset(StateJoining)
		return Event{Kind: KindDropped, Room: bare, Self: true, Action: ActionRejoin}
	}
	return Event{Kind: KindNone, Room: bare}
}

// nextNick is the nick to retry with after a conflict: nick_, nick_2, …
func nextNick(base string, try int) string {
	if try == 1 {
		return base + "_"
	}
	return base + "_" + strconv.Itoa(try)
}

// idRing remembers the last ids it was given, in a fixed space.
type idRing struct {
	ids  []string
	set  map[string]struct{}
	next int
}

const ringSize = 1024

func (g *idRing) seen(id string) bool { _, ok := g.set[id]; return ok }

func (g *idRing) add(id string) {
	if g.set == nil {
		g.set = make(map[string]struct{}, 64)
	}
	if len(g.ids) < ringSize {
		g.ids = append(g.ids, id)
	} else {
		delete(g.set, g.ids[g.next])
		g.ids[g.next] = id
		g.next = (g.next + 1) % ringSize
	}
	g.set[id] = struct{}{}
}
