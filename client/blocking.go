package client

import (
	"context"
	"encoding/xml"
	"fmt"

	"chat/event"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/jid"
)

// This file is XEP-0191 blocking: the blocklist asked, changed, and the
// changes our server pushes (only from our own account) as
// event.Blocklist.

const nsBlocking = "urn:xmpp:blocking"

// maxBlockItems bounds the JIDs taken from one push.
const maxBlockItems = 10000

type blockItems struct {
	Items []struct {
		JID string `xml:"jid,attr"`
	} `xml:"item"`
}

// jids returns the valid JIDs listed, at most maxBlockItems.
func (b blockItems) jids() []string {
	var out []string
	for _, it := range b.Items {
		if len(out) == maxBlockItems {
			break
		}
		if j, err := jid.Parse(it.JID); err == nil {
			out = append(out, j.String())
		}
	}
	return out
}

func handleBlockPush(h *handler, info iqInfo, d *xml.Decoder, start xml.StartElement) (xml.TokenReader, error) {
	if !h.fromOwnAccount(info.From) {
		return nil, unavailable() // a stranger's push: as if we knew nothing of blocking
	}
	if info.Type != "set" {
		return nil, badRequest()
	}
	var b blockItems
	if err := d.DecodeElement(&b, &start); err != nil {
		return nil, badRequest()
	}
	ev := event.Blocklist{Header: event.At(h.e.account)}
	if start.Name.Local == "block" {
		ev.Blocked = b.jids()
		if len(ev.Blocked) == 0 {
			return nil, badRequest()
		}
	} else {
		ev.Unblocked = b.jids()
		ev.UnblockedAll = len(b.Items) == 0
	}
	h.e.emit(ev)
	return nil, nil
}

func blockPayload(local string, jids []string) (xml.TokenReader, error) {
	var items []xml.TokenReader
	for _, s := range jids {
		j, err := jid.Parse(s)
		if err != nil {
			return nil, fmt.Errorf("%s %q: %w", local, s, err)
		}
		items = append(items, xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Local: "item"},
			Attr: []xml.Attr{{Name: xml.Name{Local: "jid"}, Value: j.String()}}}))
	}
	return xmlstream.Wrap(xmlstream.MultiReader(items...), xml.StartElement{Name: xml.Name{Space: nsBlocking, Local: local}}), nil
}

// Block asks our server to block jids (at least one).
func (e *Engine) Block(ctx context.Context, jids ...string) error {
	if len(jids) == 0 {
		return fmt.Errorf("block: no JID given")
	}
	return e.blockSet(ctx, "block", jids)
}

// Unblock asks our server to unblock jids; with none, everyone.
func (e *Engine) Unblock(ctx context.Context, jids ...string) error {
	return e.blockSet(ctx, "unblock", jids)
}

func (e *Engine) blockSet(ctx context.Context, local string, jids []string) error {
	payload, err := blockPayload(local, jids)
	if err != nil {
		return err
	}
	if _, err := e.request(ctx, iqRequest{Type: "set", Payload: payload, What: local}); err != nil {
		return fmt.Errorf("%s: %w", local, err)
	}
	return nil
}

// Blocklist returns the JIDs our server blocks for us.
func (e *Engine) Blocklist(ctx context.Context) ([]string, error) {
	r, err := e.request(ctx, iqRequest{Type: "get", What: "blocklist",
		Payload: xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: nsBlocking, Local: "blocklist"}})})
	if err != nil {
		return nil, fmt.Errorf("blocklist: %w", err)
	}
	var b struct {
		XMLName xml.Name `xml:"urn:xmpp:blocking blocklist"`
		blockItems
	}
	if err := r.Decode(&b); err != nil {
		return nil, fmt.Errorf("blocklist: bad answer: %w", err)
	}
	return b.jids(), nil
}
