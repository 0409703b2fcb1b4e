package app

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"chat/client"
	"chat/sanitize"

	"mellium.im/xmpp/stanza"
)

// This file is /vcard (XEP-0054) and /caps (XEP-0115, as the caps events
// reported them).

// vcardFields maps the names /vcard set takes to the card's fields.
var vcardFields = map[string]func(*client.VCard) *string{
	"fn":       func(v *client.VCard) *string { return &v.FullName },
	"nickname": func(v *client.VCard) *string { return &v.Nickname },
	"email":    func(v *client.VCard) *string { return &v.Email },
	"url":      func(v *client.VCard) *string { return &v.URL },
	"bday":     func(v *client.VCard) *string { return &v.Birthday },
	"note":     func(v *client.VCard) *string { return &v.Note },
}

func vcardFieldNames() string {
	names := make([]string, 0, len(vcardFields))
	for n := range vcardFields {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func (a *App) cmdVCard(args []string) error {
	if len(args) > 0 && strings.EqualFold(args[0], "set") {
		return a.vcardSet(args[1:])
	}
	if len(args) > 1 {
		return fmt.Errorf("/vcard [JID] or /vcard set FIELD VALUE")
	}
	who, err := target(args, 0)
	if err != nil {
		return err
	}
	return a.ask("vcard", func(ctx context.Context, e protoEngine) (string, error) {
		v, err := e.GetVCard(ctx, who)
		if noCard(err) {
			return fmt.Sprintf("%s has no vCard", orWord(who, "you")), nil
		}
		if err != nil {
			return "", err
		}
		return vcardText(orWord(who, "you"), v), nil
	})
}

func (a *App) vcardSet(args []string) error {
	if len(args) != 2 {
		return fmt.Errorf("/vcard set FIELD VALUE: FIELD is one of %s", vcardFieldNames())
	}
	name := strings.ToLower(args[0])
	field, ok := vcardFields[name]
	if !ok {
		return fmt.Errorf("unknown vCard field %q: %s", args[0], vcardFieldNames())
	}
	value := sanitize.XMLText(strings.TrimSpace(args[1]))
	return a.ask("set vcard", func(ctx context.Context, e protoEngine) (string, error) {
		v, err := e.GetVCard(ctx, "")
		if err != nil && !noCard(err) {
			return "", err
		}
		*field(&v) = value
		if err := e.SetVCard(ctx, v); err != nil {
			return "", err
		}
		return fmt.Sprintf("your vCard %s is now %q", name, value), nil
	})
}

// noCard reports an answer that means "no card" (Prosody's for one never
// set).
func noCard(err error) bool {
	return errors.Is(err, stanza.Error{Condition: stanza.ItemNotFound})
}

func vcardText(who string, v client.VCard) string {
	var b strings.Builder
	fmt.Fprintf(&b, "vCard of %s", who)
	rows := []struct{ name, value string }{
		{"name", v.FullName}, {"nickname", v.Nickname}, {"email", v.Email},
		{"url", v.URL}, {"birthday", v.Birthday}, {"note", v.Note},
	}
	empty := true
	for _, r := range rows {
		if r.value != "" {
			fmt.Fprintf(&b, "\n  %-9s %s", r.name, r.value)
			empty = false
		}
	}
	switch {
	case v.Photo != nil:
		fmt.Fprintf(&b, "\n  photo     %s, %d bytes", orWord(v.PhotoType, "unknown type"), len(v.Photo))
		empty = false
	case v.PhotoSkipped:
		b.WriteString("\n  photo     too large, not kept")
		empty = false
	}
	if empty {
		b.WriteString(": empty")
	}
	return b.String()
}

// cmdCaps prints the caps the current account has seen from JID's
// resources (a full JID: that one).
func (a *App) cmdCaps(args []string) error {
	j := args[0]
	if _, err := parseJID(j); err != nil {
		return err
	}
	acct := a.current
	got := a.protocol().capsOf(acct, j)
	if len(got) == 0 {
		a.info(acct, "no caps known for %s (it announced none, or its disco#info did not match)", j)
		return nil
	}
	var b strings.Builder
	for i, c := range got {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "caps of %s: node %q ver %s", c.From, c.Node, c.Ver)
		for _, id := range c.Identities {
			fmt.Fprintf(&b, "\n  identity %s/%s", id.Category, id.Type)
			if id.Name != "" {
				fmt.Fprintf(&b, " %q", id.Name)
			}
		}
		for _, f := range c.Features {
			fmt.Fprintf(&b, "\n  feature %s", f)
		}
	}
	a.info(acct, "%s", b.String())
	return nil
}
