package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"chat/client"
	"chat/event"
	"chat/muc"
	"chat/sanitize"

	"mellium.im/xmpp/jid"
)

// RoomEngine is what the room commands ask of an account's engine besides
// Engine. *client.Engine has it; an engine without it has no rooms.
type RoomEngine interface {
	JoinRoom(room, nick, password string) error
	LeaveRoom(room, status string) error
	RoomNick(room, nick string) error
	SetRoomSubject(room, subject string) error
	InviteToRoom(room, invitee, reason string) error
	SayInRoom(room, body string) (event.Message, error)
	SayPrivately(to, body string) (event.Message, error)
	RoomRequest(q muc.IQ, what string) error
	RoomItems(ctx context.Context, service string) ([]muc.DiscoItem, error)
	Room(room string) (client.RoomView, bool)
	InRoom(room string) bool
}

// roomCommands is the table of the room commands (XEP-0045).
func roomCommands() []cmd {
	return []cmd{
		{Name: "join", MinArgs: 1, MaxArgs: 1, Rest: true, Usage: "ROOM[@SERVICE][/NICK] [PASSWORD]", Help: "join a room (the service defaults to conference.<your domain>, the nick to your name)", Run: (*App).cmdJoin},
		{Name: "part", Aliases: []string{"leave"}, MaxArgs: 1, Rest: true, Usage: "[ROOM] [REASON]", Help: "leave a room (the open one by default)", Run: (*App).cmdPart},
		{Name: "nick", MinArgs: 1, MaxArgs: 1, Rest: true, Usage: "NEW", Help: "change your nick in the open room", Run: (*App).cmdNick},
		{Name: "topic", MaxArgs: 1, Rest: true, Usage: "[TEXT]", Help: "show or set the open room's subject", Run: (*App).cmdTopic},
		{Name: "who", MaxArgs: 1, Usage: "[ROOM]", Help: "list a room's occupants by role", Run: (*App).cmdWho},
		{Name: "kick", MinArgs: 1, MaxArgs: 2, Rest: true, Usage: "NICK [REASON]", Help: "kick an occupant out of the open room", Run: (*App).cmdKick},
		{Name: "ban", MinArgs: 1, MaxArgs: 2, Rest: true, Usage: "JID|NICK [REASON]", Help: "ban someone from the open room", Run: (*App).cmdBan},
		{Name: "role", MinArgs: 2, MaxArgs: 2, Usage: "NICK moderator|participant|visitor", Help: "change an occupant's role in the open room", Run: (*App).cmdRole},
		{Name: "affiliation", MinArgs: 2, MaxArgs: 2, Usage: "JID owner|admin|member|none|outcast", Help: "change someone's affiliation with the open room", Run: (*App).cmdAffiliation},
		{Name: "invite", MinArgs: 1, MaxArgs: 2, Rest: true, Usage: "JID [REASON]", Help: "invite someone to the open room", Run: (*App).cmdInvite},
		{Name: "rooms", MaxArgs: 1, Usage: "[SERVICE]", Help: "list the rooms of a service (conference.<your domain> by default)", Run: (*App).cmdRooms},
		{Name: "destroy", MaxArgs: 1, Rest: true, Usage: "[REASON]", Help: "destroy the open room (owners only)", Run: (*App).cmdDestroy},
	}
}

// roomEngine returns the current account's engine as a RoomEngine.
func (a *App) roomEngine() (RoomEngine, error) {
	e, err := a.engine("")
	if err != nil {
		return nil, err
	}
	re, ok := e.(RoomEngine)
	if !ok {
		return nil, errors.New("this account's connection has no rooms")
	}
	return re, nil
}

// openRoom is the room the open conversation is, for the commands that act
// on "the open room".
func (a *App) openRoom() (RoomEngine, string, error) {
	re, err := a.roomEngine()
	if err != nil {
		return nil, "", err
	}
	if a.peer == "" || !re.InRoom(a.peer) {
		return nil, "", errors.New("no room open: /join ROOM@SERVICE first, or /msg ROOM@SERVICE to open one")
	}
	return re, a.peer, nil
}

// sendRoom sends text to a room we are in (groupchat) or to an occupant
// of one (a private message); done is false when to is neither.
func (a *App) sendRoom(to, text string) (done bool, err error) {
	re, err := a.roomEngine()
	if err != nil {
		return false, nil
	}
	j, err := jid.Parse(to)
	if err != nil || !re.InRoom(j.Bare().String()) {
		return false, nil
	}
	var m event.Message
	if j.Resourcepart() == "" {
		m, err = re.SayInRoom(j.String(), sanitize.XMLText(text))
	} else {
		m, err = re.SayPrivately(j.String(), sanitize.XMLText(text))
	}
	if err == nil {
		a.handle(m)
	}
	return true, err
}

// isOccupant reports whether j is room@service/nick of a room we are in:
// a private conversation through the room, not the room itself.
func (a *App) isOccupant(j string) bool {
	re, err := a.roomEngine()
	if err != nil {
		return false
	}
	parsed, err := jid.Parse(j)
	return err == nil && parsed.Resourcepart() != "" && re.InRoom(parsed.Bare().String())
}

// msgTarget is what /msg sends to: room/nick when to (no @, no /) is the
// nick of an occupant of the open room, so that "/msg NICK TEXT" in a room
// is a private message through it; else to itself.
func (a *App) msgTarget(to string) string {
	re, err := a.roomEngine()
	if err != nil || strings.ContainsAny(to, "@/") || a.peer == "" {
		return to
	}
	v, _ := re.Room(a.peer)
	for _, g := range v.Groups {
		for _, o := range g.Occupants {
			if o.Nick == to {
				return a.peer + "/" + to
			}
		}
	}
	return to
}

// defaultService is the MUC service of the current account's domain.
func (a *App) defaultService() string {
	if j, err := jid.Parse(a.current); err == nil {
		return "conference." + j.Domain().String()
	}
	return ""
}

func (a *App) cmdJoin(args []string) error {
	re, err := a.roomEngine()
	if err != nil {
		return err
	}
	spec := args[0]
	addr, rest, _ := strings.Cut(spec, " ")
	if !strings.Contains(addr, "@") && !strings.HasPrefix(addr, "xmpp:") {
		room, nick, _ := strings.Cut(addr, "/")
		addr = room + "@" + a.defaultService()
		if nick != "" {
			addr += "/" + nick
		}
	}
	defaultNick := "me"
	if j, err := jid.Parse(a.current); err == nil && j.Localpart() != "" {
		defaultNick = j.Localpart()
	}
	room, nick, password, err := muc.ParseJoin(strings.TrimSpace(addr+" "+rest), defaultNick)
	if err != nil {
		return err
	}
	if err := re.JoinRoom(room.String(), nick, password); err != nil {
		return err
	}
	a.peer = room.String()
	a.info(a.current, "joining %s as %s", room, nick)
	return nil
}

func (a *App) cmdPart(args []string) error {
	re, err := a.roomEngine()
	if err != nil {
		return err
	}
	room, reason := a.peer, ""
	if len(args) == 1 {
		first, rest, _ := strings.Cut(args[0], " ")
		if strings.Contains(first, "@") {
			room, reason = bare(first), strings.TrimSpace(rest)
		} else {
			reason = args[0]
		}
	}
	if room == "" {
		return errors.New("which room? /part ROOM@SERVICE [REASON]")
	}
	if err := re.LeaveRoom(room, reason); err != nil {
		return err
	}
	if a.peer == room {
		a.peer = ""
	}
	return nil
}

func (a *App) cmdNick(args []string) error {
	re, room, err := a.openRoom()
	if err != nil {
		return err
	}
	return re.RoomNick(room, strings.TrimSpace(args[0]))
}

func (a *App) cmdTopic(args []string) error {
	re, room, err := a.openRoom()
	if err != nil {
		return err
	}
	if len(args) == 1 {
		return re.SetRoomSubject(room, sanitize.XMLText(args[0]))
	}
	v, _ := re.Room(room)
	if v.Subject == "" {
		a.roomInfo(room, "%s has no subject", room)
		return nil
	}
	a.roomInfo(room, "subject of %s: %s", room, v.Subject)
	return nil
}

// roomInfo prints command output into a room's buffer.
func (a *App) roomInfo(room, format string, args ...any) {
	a.show(event.RoomNotice{RoomHead: event.RoomHead{Header: event.At(a.current), Room: room, Text: fmt.Sprintf(format, args...)}, What: "info"})
}

func (a *App) cmdWho(args []string) error {
	re, err := a.roomEngine()
	if err != nil {
		return err
	}
	room := a.peer
	if len(args) == 1 {
		room = bare(args[0])
	}
	v, ok := re.Room(room)
	if !ok {
		return fmt.Errorf("not in a room %q: /join it first", room)
	}
	a.roomInfo(room, "%s", WhoText(v))
	return nil
}

// WhoText is the /who listing of a room: occupants by role, with their
// affiliation mark and presence.
func WhoText(v client.RoomView) string {
	var b strings.Builder
	n := 0
	for _, g := range v.Groups {
		n += len(g.Occupants)
	}
	fmt.Fprintf(&b, "%d in %s (you are %s)", n, v.JID, v.Nick)
	for _, g := range v.Groups {
		fmt.Fprintf(&b, "\n%ss (%d):", g.Role, len(g.Occupants))
		for _, o := range g.Occupants {
			b.WriteString(" " + o.Affiliation.Mark() + o.Nick)
			if o.Show != "" {
				b.WriteString(" (" + o.Show + ")")
			}
		}
	}
	return b.String()
}

func (a *App) cmdKick(args []string) error {
	re, room, err := a.openRoom()
	if err != nil {
		return err
	}
	return re.RoomRequest(muc.Kick(jid.MustParse(room), args[0], reasonArg(args)), "kick "+args[0])
}

func reasonArg(args []string) string {
	if len(args) > 1 {
		return args[1]
	}
	return ""
}

func (a *App) cmdBan(args []string) error {
	re, room, err := a.openRoom()
	if err != nil {
		return err
	}
	who, err := a.realJID(re, room, args[0])
	if err != nil {
		return err
	}
	return re.RoomRequest(muc.Ban(jid.MustParse(room), who, reasonArg(args)), "ban "+args[0])
}

// realJID is a JID given as is, or the real JID of an occupant by nick
// when the room shows it.
func (a *App) realJID(re RoomEngine, room, s string) (jid.JID, error) {
	if strings.Contains(s, "@") {
		j, err := jid.Parse(s)
		return j.Bare(), err
	}
	v, _ := re.Room(room)
	for _, g := range v.Groups {
		for _, o := range g.Occupants {
			if o.Nick == s && o.JID != "" {
				j, err := jid.Parse(o.JID)
				return j.Bare(), err
			}
		}
	}
	return jid.JID{}, fmt.Errorf("the room does not show %q's address: give a JID", s)
}

func (a *App) cmdRole(args []string) error {
	re, room, err := a.openRoom()
	if err != nil {
		return err
	}
	role, ok := muc.ParseRole(args[1])
	if !ok {
		return fmt.Errorf("role %q: want moderator, participant or visitor", args[1])
	}
	return re.RoomRequest(muc.SetRole(jid.MustParse(room), args[0], role, ""), "role of "+args[0])
}

func (a *App) cmdAffiliation(args []string) error {
	re, room, err := a.openRoom()
	if err != nil {
		return err
	}
	who, err := a.realJID(re, room, args[0])
	if err != nil {
		return err
	}
	aff, ok := muc.ParseAffiliation(args[1])
	if !ok {
		return fmt.Errorf("affiliation %q: want owner, admin, member, none or outcast", args[1])
	}
	return re.RoomRequest(muc.SetAffiliation(jid.MustParse(room), who, aff, ""), "affiliation of "+args[0])
}

func (a *App) cmdInvite(args []string) error {
	re, room, err := a.openRoom()
	if err != nil {
		return err
	}
	if err := re.InviteToRoom(room, args[0], reasonArg(args)); err != nil {
		return err
	}
	a.roomInfo(room, "invited %s to %s", args[0], room)
	return nil
}

func (a *App) cmdDestroy(args []string) error {
	re, room, err := a.openRoom()
	if err != nil {
		return err
	}
	return re.RoomRequest(muc.DestroyRoom(jid.MustParse(room), "", strings.Join(args, " ")), "destroy "+room)
}

func (a *App) cmdRooms(args []string) error {
	re, err := a.roomEngine()
	if err != nil {
		return err
	}
	service := a.defaultService()
	if len(args) == 1 {
		service = args[0]
	}
	account := a.current
	a.work("", func(ctx context.Context) result {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		items, err := re.RoomItems(ctx, service)
		return func() {
			if err != nil {
				a.errorf(account, "list rooms", err)
				return
			}
			var b strings.Builder
			fmt.Fprintf(&b, "%d rooms at %s", len(items), service)
			for _, it := range items {
				b.WriteString("\n  " + it.JID)
				if it.Name != "" {
					b.WriteString("  " + it.Name)
				}
			}
			a.info(account, "%s", b.String())
		}
	})
	return nil
}
