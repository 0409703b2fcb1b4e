package muc

import (
	"errors"
	"strings"
)

// Namespaces used by the builders and parsers.
const (
	NS           = "http://jabber.org/protocol/muc"
	NSUser       = NS + "#user"
	NSAdmin      = NS + "#admin"
	NSOwner      = NS + "#owner"
	NSConference = "jabber:x:conference"
	NSData       = "jabber:x:data"
	NSDelay      = "urn:xmpp:delay"
	NSSID        = "urn:xmpp:sid:0"
	NSPing       = "urn:xmpp:ping"
	NSDiscoItems = "http://jabber.org/protocol/disco#items"
	NSStanzas    = "urn:ietf:params:xml:ns:xmpp-stanzas"
)

// Role is an occupant's role in a room. The zero value is RoleNone.
type Role uint8

// Roles, in the order the occupant list shows them.
const (
	RoleNone Role = iota
	RoleModerator
	RoleParticipant
	RoleVisitor
)

var roleNames = [...]string{"none", "moderator", "participant", "visitor"}

func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return "none"
}

// ParseRole reads a role attribute; an unknown value is RoleNone, false.
func ParseRole(s string) (Role, bool) {
	for i, n := range roleNames {
		if s == n {
			return Role(i), true
		}
	}
	return RoleNone, false
}

// Affiliation is a user's long-lived standing in a room.
type Affiliation uint8

// Affiliations; the zero value is AffiliationNone.
const (
	AffiliationNone Affiliation = iota
	AffiliationOwner
	AffiliationAdmin
	AffiliationMember
	AffiliationOutcast
)

var affiliationNames = [...]string{"none", "owner", "admin", "member", "outcast"}

func (a Affiliation) String() string {
	if int(a) < len(affiliationNames) {
		return affiliationNames[a]
	}
	return "none"
}

// Mark is the one-character sign the occupant list shows before a nick
// (~ owner, & admin, + member, nothing otherwise), as IRC clients do.
func (a Affiliation) Mark() string {
	switch a {
	case AffiliationOwner:
		return "~"
	case AffiliationAdmin:
		return "&"
	case AffiliationMember:
		return "+"
	}
	return ""
}

// ParseAffiliation reads an affiliation attribute; an unknown value is
// AffiliationNone, false.
func ParseAffiliation(s string) (Affiliation, bool) {
	for i, n := range affiliationNames {
		if s == n {
			return Affiliation(i), true
		}
	}
	return AffiliationNone, false
}

// Errors the Rooms type returns for stanzas it refuses. They are wrapped
// with the stanza's sender.
var (
	ErrNotJoined  = errors.New("not a room we joined")
	ErrNotRoom    = errors.New("not from the room")
	ErrNoResource = errors.New("occupant presence without a nick")
	ErrBadNick    = errors.New("invalid nickname")
	ErrFull       = errors.New("too many occupants")
)

// MaxOccupants is the most occupants one room's state keeps: presences of
// further new nicks are refused, so a hostile room cannot grow the client
// without bound. The largest public rooms have a few thousand.
const MaxOccupants = 20000

// Limits on what a parser keeps from one stanza, so that a hostile peer
// cannot make one presence or message cost more than a small constant.
const (
	maxCodes     = 16
	maxStanzaIDs = 8
	maxNick      = 1023 // the longest resourcepart RFC 7622 allows
	maxTokens    = 4096
	maxBytes     = 256 << 10
)

// ValidNick says whether s can be a room nickname: non-empty, at most 1023
// bytes, no control characters, not only spaces.
func ValidNick(s string) bool {
	if s == "" || len(s) > maxNick || strings.TrimSpace(s) == "" {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0xfffd {
			return false
		}
	}
	return true
}
