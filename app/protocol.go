package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"chat/client"
	"chat/sanitize"

	"mellium.im/xmpp/jid"
)

// This file is the everyday protocol's commands: ping, disco, caps,
// software version, entity time, last activity, blocking, vCards and
// corrections. The engine's questions block on the network, so each runs
// on a worker (work.go) and prints its answer when the loop gets it back.

// protoEngine is what these commands need from an engine besides Engine.
// The real engine has it; a stand-in that lacks it gets "not supported".
type protoEngine interface {
	Engine
	Ping(ctx context.Context, addr string) (time.Duration, error)
	DiscoInfo(ctx context.Context, addr, node string) (client.DiscoInfo, error)
	DiscoItems(ctx context.Context, addr, node string) ([]client.DiscoItem, error)
	Version(ctx context.Context, addr string) (client.SoftwareVersion, error)
	Time(ctx context.Context, addr string) (client.EntityTime, error)
	LastActivity(ctx context.Context, addr string) (client.LastActivity, error)
	Block(ctx context.Context, jids ...string) error
	Unblock(ctx context.Context, jids ...string) error
	Blocklist(ctx context.Context) ([]string, error)
	GetVCard(ctx context.Context, addr string) (client.VCard, error)
	SetVCard(ctx context.Context, v client.VCard) error
	Supports(addr, feature string) bool
	SendChatState(to, state string) error
	SendDisplayed(to, id string) error
}

// The real engine must have them all: a method missing here would only
// show as "not supported" at run time.
var _ protoEngine = (*client.Engine)(nil)

// askTimeout bounds one protocol question asked from a command.
const askTimeout = 30 * time.Second

func protocolCommands() []cmd {
	return []cmd{
		{Name: "ping", MaxArgs: 1, Usage: "[JID]", Help: "XEP-0199 ping of a JID (our server by default), with the round trip", Run: (*App).cmdPing},
		{Name: "disco", MinArgs: 1, MaxArgs: 3, Usage: "info|items [JID [NODE]]", Help: "XEP-0030: an entity's identities and features, or its items (our server by default)", Run: (*App).cmdDisco},
		{Name: "caps", MinArgs: 1, MaxArgs: 1, Usage: "JID", Help: "what a contact's resources announced in their XEP-0115 caps", Run: (*App).cmdCaps},
		{Name: "software", Aliases: []string{"version"}, MinArgs: 1, MaxArgs: 1, Usage: "JID", Help: "XEP-0092: the software a JID runs", Run: (*App).cmdSoftware},
		{Name: "time", MinArgs: 1, MaxArgs: 1, Usage: "JID", Help: "XEP-0202: a JID's clock", Run: (*App).cmdTime},
		{Name: "lastactivity", MinArgs: 1, MaxArgs: 1, Usage: "JID", Help: "XEP-0012: idle time of a resource, time offline of a contact, uptime of a server", Run: (*App).cmdLast},
		{Name: "block", MinArgs: 1, MaxArgs: 1, Usage: "JID", Help: "XEP-0191: block a JID (its messages are never shown)", Run: (*App).cmdBlock},
		{Name: "unblock", MinArgs: 1, MaxArgs: 1, Usage: "JID", Help: "XEP-0191: unblock a JID", Run: (*App).cmdUnblock},
		{Name: "blocked", MaxArgs: 0, Help: "XEP-0191: list the JIDs you block", Run: (*App).cmdBlocked},
		{Name: "vcard", MaxArgs: 3, Rest: true, Usage: "[JID] | set FIELD VALUE", Help: "XEP-0054: show a vCard (yours by default), or set a field of yours: fn, nickname, email, url, bday, note", Run: (*App).cmdVCard},
		{Name: "correct", MinArgs: 1, MaxArgs: 1, Rest: true, Usage: "TEXT", Help: "XEP-0308: correct your last message in the open conversation", Run: (*App).cmdCorrect},
	}
}

// protoEngineFor returns the current account's engine with the protocol
// methods.
func (a *App) protoEngineFor() (protoEngine, error) {
	e, err := a.engine("")
	if err != nil {
		return nil, err
	}
	p, ok := e.(protoEngine)
	if !ok {
		return nil, errors.New("this engine does not support protocol queries")
	}
	return p, nil
}

// ask runs q on a worker with the current account's engine and prints what
// it returns (or its error) on the loop.
func (a *App) ask(what string, q func(ctx context.Context, e protoEngine) (string, error)) error {
	e, err := a.protoEngineFor()
	if err != nil {
		return err
	}
	acct := e.Account()
	a.work("", func(ctx context.Context) result {
		ctx, cancel := context.WithTimeout(ctx, askTimeout)
		defer cancel()
		text, err := q(ctx, e)
		return func() {
			if err != nil {
				a.errorf(acct, what, err)
				return
			}
			a.info(acct, "%s", text)
		}
	})
	return nil
}

// target checks an optional JID argument (full JIDs and bare domains
// allowed); "" is our server.
func target(args []string, i int) (string, error) {
	if len(args) <= i {
		return "", nil
	}
	j, err := jid.Parse(args[i])
	if err != nil {
		return "", fmt.Errorf("%q is not a valid JID: %w", args[i], err)
	}
	return j.String(), nil
}

func orServerWord(addr string) string { return orWord(addr, "our server") }

// domainOf returns the domainpart of a bare JID.
func domainOf(j string) string {
	if i := strings.LastIndexByte(j, '@'); i >= 0 {
		return j[i+1:]
	}
	return j
}

func (a *App) cmdPing(args []string) error {
	to, err := target(args, 0)
	if err != nil {
		return err
	}
	return a.ask("ping", func(ctx context.Context, e protoEngine) (string, error) {
		rtt, err := e.Ping(ctx, to)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("pong from %s in %s", orServerWord(to), rtt.Round(time.Millisecond)), nil
	})
}

func (a *App) cmdDisco(args []string) error {
	kind := strings.ToLower(args[0])
	if kind != "info" && kind != "items" {
		return fmt.Errorf("/disco %s: want info or items", args[0])
	}
	to, err := target(args, 1)
	if err != nil {
		return err
	}
	node := ""
	if len(args) > 2 {
		node = args[2]
	}
	addr := to
	if addr == "" { // disco needs an address: our server's
		addr = domainOf(a.current)
	}
	return a.ask("disco "+kind, func(ctx context.Context, e protoEngine) (string, error) {
		if kind == "items" {
			items, err := e.DiscoItems(ctx, addr, node)
			if err != nil {
				return "", err
			}
			return discoItemsText(orServerWord(to), node, items), nil
		}
		info, err := e.DiscoInfo(ctx, addr, node)
		if err != nil {
			return "", err
		}
		return discoInfoText(orServerWord(to), node, info), nil
	})
}

func discoItemsText(who, node string, items []client.DiscoItem) string {
	var b strings.Builder
	fmt.Fprintf(&b, "items of %s%s: %d", who, nodeText(node), len(items))
	for _, it := range items {
		fmt.Fprintf(&b, "\n  %s", it.JID)
		if it.Node != "" {
			fmt.Fprintf(&b, " node %q", it.Node)
		}
		if it.Name != "" {
			fmt.Fprintf(&b, " (%s)", it.Name)
		}
	}
	return b.String()
}

func discoInfoText(who, node string, info client.DiscoInfo) string {
	var b strings.Builder
	fmt.Fprintf(&b, "disco#info of %s%s", who, nodeText(node))
	for _, id := range info.Identities {
		fmt.Fprintf(&b, "\n  identity %s/%s", id.Category, id.Type)
		if id.Name != "" {
			fmt.Fprintf(&b, " %q", id.Name)
		}
	}
	for _, f := range info.Features {
		fmt.Fprintf(&b, "\n  feature %s", f)
	}
	for _, form := range info.Forms {
		fmt.Fprintf(&b, "\n  form %s", orWord(form.Type, "(no FORM_TYPE)"))
		for _, fld := range form.Fields {
			fmt.Fprintf(&b, "\n    %s: %s", fld.Var, strings.Join(fld.Values, ", "))
		}
	}
	return b.String()
}

func nodeText(node string) string {
	if node == "" {
		return ""
	}
	return fmt.Sprintf(" node %q", node)
}

func (a *App) cmdSoftware(args []string) error {
	to, err := target(args, 0)
	if err != nil {
		return err
	}
	return a.ask("software version", func(ctx context.Context, e protoEngine) (string, error) {
		v, err := e.Version(ctx, to)
		if err != nil {
			return "", err
		}
		text := fmt.Sprintf("%s runs %s %s", to, orWord(v.Name, "(no name)"), v.Version)
		if v.OS != "" {
			text += " on " + v.OS
		}
		return text, nil
	})
}

func (a *App) cmdTime(args []string) error {
	to, err := target(args, 0)
	if err != nil {
		return err
	}
	return a.ask("entity time", func(ctx context.Context, e protoEngine) (string, error) {
		t, err := e.Time(ctx, to)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("time at %s: %s (UTC %s)", to, t.Local().Format("2006-01-02 15:04:05 -07:00"),
			t.UTC.Format("15:04:05")), nil
	})
}

func (a *App) cmdLast(args []string) error {
	to, err := target(args, 0)
	if err != nil {
		return err
	}
	return a.ask("last activity", func(ctx context.Context, e protoEngine) (string, error) {
		l, err := e.LastActivity(ctx, to)
		if err != nil {
			return "", err
		}
		text := fmt.Sprintf("last activity of %s: %s ago", to, time.Duration(l.Seconds)*time.Second)
		if l.Status != "" {
			text += ": " + l.Status
		}
		return text, nil
	})
}

func (a *App) cmdBlock(args []string) error {
	j, err := parseJID(args[0])
	if err != nil {
		return err
	}
	return a.ask("block", func(ctx context.Context, e protoEngine) (string, error) {
		if err := e.Block(ctx, j); err != nil {
			return "", err
		}
		return "blocked " + j, nil
	})
}

func (a *App) cmdUnblock(args []string) error {
	j, err := parseJID(args[0])
	if err != nil {
		return err
	}
	return a.ask("unblock", func(ctx context.Context, e protoEngine) (string, error) {
		if err := e.Unblock(ctx, j); err != nil {
			return "", err
		}
		return "unblocked " + j, nil
	})
}

func (a *App) cmdBlocked([]string) error {
	return a.ask("blocklist", func(ctx context.Context, e protoEngine) (string, error) {
		jids, err := e.Blocklist(ctx)
		if err != nil {
			return "", err
		}
		if len(jids) == 0 {
			return "you block nobody", nil
		}
		return fmt.Sprintf("you block %d: %s", len(jids), strings.Join(jids, ", ")), nil
	})
}

func (a *App) cmdCorrect(args []string) error {
	if a.peer == "" {
		return errors.New("no conversation open: use /msg JID first")
	}
	e, err := a.engine("")
	if err != nil {
		return err
	}
	id := a.protocol().lastSent(e.Account(), bare(a.peer))
	if id == "" {
		return fmt.Errorf("nothing to correct: no message sent to %s in this session", bare(a.peer))
	}
	return a.sendOut(e, client.OutMessage{To: a.peer, Body: sanitize.XMLText(args[0]), Replaces: id})
}
