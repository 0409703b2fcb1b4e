package muc

import (
	"encoding/xml"
	"fmt"

	"mellium.im/xmpp/jid"
)

// Item is the muc#user (or muc#admin) item of a presence or list: who an
// occupant is and what they may do.
type Item struct {
	Role        Role
	Affiliation Affiliation
	JID         string // real JID, when the room shows it
	Nick        string // with status 303: the new nick
	Actor       string // with a kick or ban: who did it (nick, else JID)
	Reason      string
}

// Destroy is the notice of a destroyed room.
type Destroy struct {
	Alternate string // a venue to go to instead, if any
	Reason    string
	Password  string
}

// Presence is a parsed presence from a room or occupant.
type Presence struct {
	From    jid.JID
	ID      string
	Type    string // "", "unavailable" or "error"
	Show    string
	Status  string
	MUCUser bool  // it carried a muc#user x
	Item    Item  // from the muc#user x
	Codes   []int // status codes, at most 16
	Destroy *Destroy
	Error   *Error
}

// Has says whether the presence carries status code c.
func (p Presence) Has(c int) bool { return hasCode(p.Codes, c) }

func hasCode(codes []int, c int) bool {
	for _, x := range codes {
		if x == c {
			return true
		}
	}
	return false
}

type rawActor struct {
	Nick string `xml:"nick,attr"`
	JID  string `xml:"jid,attr"`
}

type rawItem struct {
	Role        string    `xml:"role,attr"`
	Affiliation string    `xml:"affiliation,attr"`
	JID         string    `xml:"jid,attr"`
	Nick        string    `xml:"nick,attr"`
	Actor       *rawActor `xml:"actor"`
	Reason      string    `xml:"reason"`
}

func (r rawItem) item() Item {
	role, _ := ParseRole(r.Role)
	aff, _ := ParseAffiliation(r.Affiliation)
	it := Item{Role: role, Affiliation: aff, JID: r.JID, Nick: r.Nick, Reason: r.Reason}
	if r.Actor != nil {
		it.Actor = r.Actor.Nick
		if it.Actor == "" {
			it.Actor = r.Actor.JID
		}
	}
	return it
}

type rawDestroy struct {
	JID      string `xml:"jid,attr"`
	Reason   string `xml:"reason"`
	Password string `xml:"password"`
}

type rawUser struct {
	Items   []rawItem   `xml:"item"`
	Status  []rawStatus `xml:"status"`
	Destroy *rawDestroy `xml:"destroy"`
}

type rawPresence struct {
	From   string   `xml:"from,attr"`
	ID     string   `xml:"id,attr"`
	Type   string   `xml:"type,attr"`
	Show   []string `xml:"show"`
	Status []string `xml:"status"`
	User   *rawUser `xml:"http://jabber.org/protocol/muc#user x"`
	Error  *Error   `xml:"error"`
}

// ParsePresence reads one presence stanza (the first element of r).
func ParsePresence(r xml.TokenReader) (Presence, error) {
	var raw rawPresence
	if err := decodeFirst(r, maxTokens, maxBytes, &raw); err != nil {
		return Presence{}, fmt.Errorf("muc: read presence: %w", err)
	}
	from, err := jid.Parse(raw.From)
	if err != nil {
		return Presence{}, fmt.Errorf("muc: presence from %q: %w", raw.From, err)
	}
	p := Presence{From: from, ID: raw.ID, Type: raw.Type, Show: first(raw.Show), Status: first(raw.Status), Error: raw.Error}
	if u := raw.User; u != nil {
		p.MUCUser = true
		if len(u.Items) > 0 {
			p.Item = u.Items[0].item()
		}
		p.Codes = statusCodes(u.Status)
		if d := u.Destroy; d != nil {
			p.Destroy = &Destroy{Alternate: d.JID, Reason: d.Reason, Password: d.Password}
		}
	}
	return p, nil
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
