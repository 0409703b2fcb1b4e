package app

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"chat/client"
	"chat/command"
	"chat/event"
	"chat/sanitize"
	"chat/xhtml"

	"mellium.im/xmpp/jid"
)

type cmd = command.Command[*App]

// commandTable is every /command plus a front end's own (extra), which
// replace built-ins of the same name. Handlers run on the loop.
func commandTable(extra []cmd) (*command.Table[*App], error) {
	all := append(builtins(), protocolCommands()...)
	all = append(all, roomCommands()...) // rooms.go
	all = append(all, habitCommands()...)
	for _, e := range extra {
		all = slices.DeleteFunc(all, func(c cmd) bool { return strings.EqualFold(c.Name, e.Name) })
	}
	return command.New(withAliases(append(all, extra...))...)
}

func builtins() []cmd {
	return []cmd{
		cmd{Name: "connect", MaxArgs: 1, Usage: "[JID]", Help: "bring an account online (the current one by default)", Run: (*App).cmdConnect},
		cmd{Name: "disconnect", MaxArgs: 1, Usage: "[JID]", Help: "go offline and stop reconnecting", Run: (*App).cmdDisconnect},
		cmd{Name: "account", MaxArgs: 1, Usage: "[JID]", Help: "show the accounts, or pick the one commands act on", Run: (*App).cmdAccount},
		cmd{Name: "msg", MinArgs: 1, MaxArgs: 2, Rest: true, Usage: "JID [TEXT]", Help: "send a message, or make JID the conversation plain lines go to", Run: (*App).cmdMsg},
		cmd{Name: "status", MaxArgs: 2, Rest: true, Usage: "[available|chat|away|dnd|xa [TEXT]]", Help: "show, or set, your presence and status text", Run: (*App).cmdStatus},
		cmd{Name: "add", MinArgs: 1, MaxArgs: 3, Usage: "JID [NAME] [GROUP]", Help: "add a contact to the roster and ask to see their presence", Run: (*App).cmdAdd},
		cmd{Name: "remove", MinArgs: 1, MaxArgs: 1, Usage: "JID", Help: "remove a contact and cancel subscriptions both ways", Run: (*App).cmdRemove},
		cmd{Name: "auth", MinArgs: 2, MaxArgs: 2, Usage: "allow|deny|request JID", Help: "answer or make a subscription request", Run: (*App).cmdAuth},
		cmd{Name: "roster", MaxArgs: 0, Usage: "", Help: "list contacts with their presence", Run: (*App).cmdRoster},
		cmd{Name: "info", MaxArgs: 1, Usage: "[JID]", Help: "connection details of an account, or presence details of a contact", Run: (*App).cmdInfo},
		cmd{Name: "history", MaxArgs: 2, Usage: "[JID] [N]", Help: "print the last N (default 20) messages with JID (default: the open conversation)", Run: (*App).cmdHistory},
		cmd{Name: "search", MinArgs: 1, MaxArgs: 1, Rest: true, Usage: "TEXT", Help: "full-text search of the history", Run: (*App).cmdSearch},
		cmd{Name: "set", MaxArgs: 2, Usage: "[NAME [on|off]]", Help: "show or change a setting: styling, xhtml_out, chatstates, markers, receipts", Run: (*App).cmdSet},
		cmd{Name: "xhtml", MinArgs: 1, MaxArgs: 1, Rest: true, Usage: "XHTML", Help: "send hand-written XHTML-IM (e.g. <p>hi <strong>you</strong></p>) to the open conversation", Run: (*App).cmdXHTML},
		cmd{Name: "help", MaxArgs: 1, Usage: "[COMMAND]", Help: "list commands, or explain one", Run: (*App).cmdHelp},
		cmd{Name: "quit", Aliases: []string{"exit"}, MaxArgs: 0, Usage: "", Help: "disconnect and leave", Run: (*App).cmdQuit},
	}
}

// run executes one input line: a /command, or text for the current
// conversation.
func (a *App) run(line string) {
	err := a.cmds.Run(a, line)
	if errors.Is(err, command.ErrNotCommand) {
		err = a.say(command.Literal(line))
	}
	if err != nil {
		a.show(event.Error{Header: event.At(a.current), Context: "command", Text: err.Error()})
	}
}

func (a *App) say(text string) error {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	if a.peer == "" {
		return errors.New("no conversation open: use /msg JID TEXT, or /msg JID to open one")
	}
	return a.send(a.peer, text)
}

func (a *App) send(to, text string) error {
	if done, err := a.sendRoom(to, text); done { // rooms.go
		return err
	}
	e, err := a.engine("")
	if err != nil {
		return err
	}
	out := client.OutMessage{To: to, Body: sanitize.XMLText(text)}
	if a.opts.Config.Options.XHTMLOut {
		html, err := xhtml.FromStyling(out.Body)
		if err != nil {
			return fmt.Errorf("build XHTML: %w", err)
		}
		out.XHTML = html
	}
	return a.sendOut(e, out)
}

// sendOut sends a message and shows it as sent (and stores it).
func (a *App) sendOut(e Engine, out client.OutMessage) error {
	m, err := e.SendMessage(out)
	if err != nil {
		return err
	}
	a.handle(m)
	return nil
}

func (a *App) cmdConnect(args []string) error {
	j := a.current
	if len(args) == 1 {
		j = bare(args[0])
	}
	if j == "" {
		return errors.New("no account configured: add an [[account]] to the config file")
	}
	return a.connect(j)
}

func (a *App) cmdDisconnect(args []string) error {
	j := ""
	if len(args) == 1 {
		j = bare(args[0])
	}
	return a.disconnect(j)
}

func (a *App) cmdAccount(args []string) error {
	if len(args) == 1 {
		j := bare(args[0])
		if _, ok := a.opts.Config.Find(j); !ok {
			return fmt.Errorf("no account %s in the config", j)
		}
		a.current = j
		a.info(j, "commands now act on %s", j)
		return nil
	}
	var b strings.Builder
	for _, acct := range a.state.Accounts() {
		mark := " "
		if acct.JID == a.current {
			mark = "*"
		}
		fmt.Fprintf(&b, "%s %s  %s\n", mark, acct.JID, acct.Conn.State)
	}
	a.info("", "%s", strings.TrimRight(b.String(), "\n"))
	return nil
}

func (a *App) cmdMsg(args []string) error {
	to := a.msgTarget(args[0]) // rooms.go: a nick of the open room
	if _, err := parseJID(to); err != nil {
		return err
	}
	if len(args) == 1 {
		a.peer = to
		a.info(a.current, "plain lines now go to %s", to)
		return nil
	}
	return a.send(to, args[1])
}

func (a *App) cmdStatus(args []string) error {
	if len(args) == 0 {
		return a.showStatus()
	}
	show := args[0]
	switch show {
	case "available", "online":
		show = ""
	case "chat", "away", "dnd", "xa":
	default:
		return fmt.Errorf("unknown status %q: use available, chat, away, dnd or xa", show)
	}
	e, err := a.engine("")
	if err != nil {
		return err
	}
	p := e.CurrentPresence()
	p.Show, p.Status = show, ""
	if len(args) == 2 {
		p.Status = sanitize.XMLText(args[1])
	}
	e.SetPresence(p)
	a.info(e.Account(), "status: %s %s", orWord(show, "available"), p.Status)
	return nil
}

// showStatus prints the presence we send (what /status alone does).
func (a *App) showStatus() error {
	e, err := a.engine("")
	if err != nil {
		return err
	}
	p := e.CurrentPresence()
	a.info(e.Account(), "status: %s %s", orWord(p.Show, "available"), p.Status)
	return nil
}

func (a *App) cmdAdd(args []string) error {
	j, err := parseJID(args[0])
	if err != nil {
		return err
	}
	item := event.RosterItem{JID: j}
	if len(args) > 1 {
		item.Name = sanitize.XMLText(args[1])
	}
	if len(args) > 2 {
		item.Groups = []string{sanitize.XMLText(args[2])}
	}
	e, err := a.engine("")
	if err != nil {
		return err
	}
	if err := e.RosterSet(item); err != nil {
		return err
	}
	return e.Subscription(j, "subscribe")
}

func (a *App) cmdRemove(args []string) error {
	j, err := parseJID(args[0])
	if err != nil {
		return err
	}
	e, err := a.engine("")
	if err != nil {
		return err
	}
	return e.RosterRemove(j)
}

func (a *App) cmdAuth(args []string) error {
	types := map[string]string{"allow": "subscribed", "deny": "unsubscribed", "request": "subscribe"}
	typ, ok := types[args[0]]
	if !ok {
		return fmt.Errorf("unknown answer %q: use allow, deny or request", args[0])
	}
	j, err := parseJID(args[1])
	if err != nil {
		return err
	}
	e, err := a.engine("")
	if err != nil {
		return err
	}
	if err := e.Subscription(j, typ); err != nil {
		return err
	}
	if typ != "subscribe" {
		delete(a.state.Account(e.Account()).Requests, j)
	}
	return nil
}

func (a *App) cmdRoster([]string) error {
	a.ShowRoster()
	return nil
}

// ShowRoster prints the current account's contacts with their presence,
// subscription and groups, and the pending subscription requests (what
// /roster prints). Loop only.
func (a *App) ShowRoster() {
	acct := a.state.Account(a.current)
	var b strings.Builder
	fmt.Fprintf(&b, "roster of %s (%s)", acct.JID, plural(len(acct.Contacts), "contact"))
	for _, c := range acct.Sorted() {
		p, online := c.Best()
		show := "offline"
		if online {
			show = orWord(p.Show, "available")
		}
		fmt.Fprintf(&b, "\n  %-9s %s", show, c.Item.JID)
		if c.Item.Name != "" {
			fmt.Fprintf(&b, " (%s)", c.Item.Name)
		}
		fmt.Fprintf(&b, " [%s%s]", orWord(c.Item.Subscription, "none"), askText(c.Item.Ask))
		if len(c.Item.Groups) > 0 {
			fmt.Fprintf(&b, " groups: %s", strings.Join(c.Item.Groups, ", "))
		}
		if online && p.Status != "" {
			fmt.Fprintf(&b, " — %s", p.Status)
		}
	}
	reqs := make([]string, 0, len(acct.Requests))
	for j := range acct.Requests {
		reqs = append(reqs, j)
	}
	sort.Strings(reqs)
	for _, j := range reqs {
		fmt.Fprintf(&b, "\n  request   %s wants to see your presence (/auth allow %s)", j, j)
	}
	a.info(acct.JID, "%s", b.String())
}

func askText(ask string) string {
	if ask == "subscribe" {
		return ", asked"
	}
	return ""
}

func (a *App) cmdInfo(args []string) error {
	if len(args) == 1 {
		return a.contactInfo(bare(args[0]))
	}
	acct := a.state.Account(a.current)
	c := acct.Conn
	text := fmt.Sprintf("account %s: %s", acct.JID, c.State)
	if c.State == event.Online {
		text += fmt.Sprintf("\n  bound as %s\n  server %s\n  %s\n  SASL %s", c.JID, c.Server, orWord(c.TLS, "not encrypted (no TLS)"), c.Mechanism)
	}
	if c.Err != "" {
		text += "\n  last error: " + c.Err
	}
	text += fmt.Sprintf("\n  roster version %q, %s", acct.RosterVersion, plural(len(acct.Contacts), "contact"))
	a.info(acct.JID, "%s", text)
	return nil
}

func (a *App) contactInfo(j string) error {
	acct := a.state.Account(a.current)
	c, ok := acct.Contacts[j]
	if !ok {
		return fmt.Errorf("%s is not in the roster of %s", j, acct.JID)
	}
	text := j
	if c.Item.Name != "" {
		text += fmt.Sprintf(" name %q", c.Item.Name)
	}
	text += " subscription " + orWord(c.Item.Subscription, "none")
	for full, p := range c.Resources {
		text += fmt.Sprintf("\n  %s %s priority %d %s", full, orWord(p.Show, "available"), p.Priority, p.Status)
	}
	a.info(acct.JID, "%s", text)
	return nil
}

func (a *App) cmdHelp(args []string) error {
	if len(args) == 1 {
		if topic, ok := a.opts.HelpTopics[strings.ToLower(args[0])]; ok {
			a.info("", "%s", topic())
			return nil
		}
		h, err := a.cmds.Help(strings.TrimPrefix(args[0], "/"))
		if err != nil {
			return err
		}
		a.info("", "%s", h)
		return nil
	}
	text := a.cmds.Summary() + "\nA line without / is sent to the conversation opened with /msg JID. Start a line with // to send text beginning with /.\nIn a conversation, lines marked -!- are local command output: not sent, not saved."
	if len(a.opts.HelpTopics) > 0 {
		topics := make([]string, 0, len(a.opts.HelpTopics))
		for t := range a.opts.HelpTopics {
			topics = append(topics, "/help "+t)
		}
		sort.Strings(topics)
		text += "\nMore help: " + strings.Join(topics, ", ")
	}
	a.info("", "%s", text)
	return nil
}

func (a *App) cmdQuit([]string) error {
	a.quit = true
	return nil
}

func parseJID(s string) (string, error) {
	j := bare(s)
	if !strings.Contains(j, "@") && !strings.Contains(j, ".") {
		return "", fmt.Errorf("%q is not a JID (user@domain)", s)
	}
	if _, err := jid.Parse(j); err != nil {
		return "", fmt.Errorf("%q is not a valid JID: %w", s, err)
	}
	return j, nil
}

// plural is "1 contact", "2 contacts".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func orWord(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
