package muc

import (
	"errors"
	"fmt"
	"strings"

	"mellium.im/xmpp/jid"
)

// ParseJoin reads the arguments of /join: ROOM@SERVICE[/NICK] [PASSWORD],
// or an xmpp:ROOM@SERVICE?join URI. Without a nick, defaultNick is used;
// everything after the address is the password, spaces included.
func ParseJoin(args, defaultNick string) (room jid.JID, nick, password string, err error) {
	args = strings.TrimSpace(args)
	addr, password, _ := strings.Cut(args, " ")
	password = strings.TrimSpace(password)
	addr = strings.TrimPrefix(addr, "xmpp:")
	if i := strings.IndexByte(addr, '?'); i >= 0 {
		addr = addr[:i]
	}
	if addr == "" {
		return jid.JID{}, "", "", errors.New("muc: /join needs a room address: room@service[/nick] [password]")
	}
	j, err := jid.Parse(addr)
	if err != nil {
		return jid.JID{}, "", "", fmt.Errorf("muc: room address %q: %w", addr, err)
	}
	if j.Localpart() == "" {
		return jid.JID{}, "", "", fmt.Errorf("muc: room address %q has no room name before the @", addr)
	}
	nick = j.Resourcepart()
	if nick == "" {
		nick = defaultNick
	}
	if !ValidNick(nick) {
		return jid.JID{}, "", "", fmt.Errorf("muc: nick %q: %w", nick, ErrBadNick)
	}
	return j.Bare(), nick, password, nil
}
