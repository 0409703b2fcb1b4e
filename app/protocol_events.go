package app

import (
	"context"
	"fmt"
	"strings"

	"chat/client"
	"chat/event"
)

// This file is how the protocol's events reach the loop (the hooks
// events.go calls) and what front ends ask of it: chat states to send as
// the user types, the contact's chat state, and the protocol switches.

const nsChatStates = "http://jabber.org/protocol/chatstates"

// protoBefore looks at an event before it is applied. It reports false
// for one that must not be applied at all (from a blocked JID), and
// returns the event as it is to be applied (a refused correction loses
// its Replaces) with a note to show after it, if any.
func (a *App) protoBefore(ev event.Event) (event.Event, string, bool) {
	p := a.protocol()
	switch e := ev.(type) {
	case event.Message:
		if !e.Outgoing && p.isBlocked(e.Account, e.From) {
			return ev, "", false
		}
		var note string
		if e.Replaces != "" && e.Type != "groupchat" {
			if why := p.judge(e); why != "" {
				note = fmt.Sprintf("correction from %s refused (%s): shown as a new message", e.From, why)
				e.Replaces = ""
			}
		}
		if e.Type != "groupchat" && e.Type != "error" {
			p.remember(e)
			if e.Outgoing {
				a.sentTo(e)
			} else {
				delete(p.theirState, convKey{e.Account, e.Peer}) // a message ends "typing"
			}
		}
		return e, note, true
	case event.ChatState:
		if p.isBlocked(e.Account, e.From) {
			return ev, "", false
		}
		p.theirState[convKey{e.Account, e.Peer}] = e.State
	case typingOut:
		a.ChatState(e.peer, e.state)
		return ev, "", false
	case event.Caps:
		p.addCaps(e)
	case event.Presence:
		if !e.Available {
			p.dropCaps(e.Account, e.From)
		}
	case event.Blocklist:
		p.applyBlocklist(e)
	}
	return ev, "", true
}

// protoAfter reacts once an event is shown: the blocklist is fetched at
// login (the server pushes changes only to resources that asked for it),
// and a message arriving in the open conversation is marked displayed.
func (a *App) protoAfter(ev event.Event) {
	switch e := ev.(type) {
	case event.ConnState:
		if e.State == event.Online {
			a.fetchBlocklist(e.Account)
		}
	case event.Message:
		if !e.Outgoing && e.Markable && !a.protocol().noMarkers && e.Type == "chat" &&
			e.Account == a.current && strings.EqualFold(e.Peer, bare(a.peer)) {
			if pe, ok := a.engines[e.Account].(protoEngine); ok {
				if err := pe.SendDisplayed(e.From, e.ID); err != nil {
					a.errorf(e.Account, "displayed marker", err)
				}
			}
		}
	}
}

// fetchBlocklist asks the server for the blocklist on a worker. A server
// without XEP-0191 is not an error worth showing.
func (a *App) fetchBlocklist(account string) {
	pe, ok := a.engines[account].(protoEngine)
	if !ok {
		return
	}
	a.work("blocklist "+account, func(ctx context.Context) result {
		ctx, cancel := context.WithTimeout(ctx, askTimeout)
		defer cancel()
		jids, err := pe.Blocklist(ctx)
		return func() {
			switch {
			case err != nil && unsupported(err):
			case err != nil:
				a.errorf(account, "fetch blocklist", err)
			default:
				a.protocol().setBlocked(account, jids)
				if len(jids) > 0 {
					a.info(account, "blocklist: %d blocked", len(jids))
				}
			}
		}
	})
}

func unsupported(err error) bool {
	s := err.Error()
	return strings.Contains(s, "service-unavailable") || strings.Contains(s, "feature-not-implemented")
}

// ChatState tells the loop what the user is doing in the conversation
// with peer on the current account: composing or paused while typing,
// active on opening or sending, inactive or gone on leaving. It is sent
// only on a change, with /set chatstates on, and only to a contact whose
// caps say it supports chat states. Loop only.
func (a *App) ChatState(peer, state string) {
	p := a.protocol()
	if p.noStates || peer == "" {
		return
	}
	e, ok := a.engines[a.current].(protoEngine)
	if !ok {
		return
	}
	k := convKey{a.current, bare(peer)}
	if p.ourState[k] == state || (p.ourState[k] == "" && state != event.Composing) {
		return // nothing new, or nothing to end: a conversation starts at composing
	}
	if !e.Supports(bare(peer), nsChatStates) {
		return
	}
	if err := e.SendChatState(bare(peer), state); err != nil {
		return // offline: the state is not worth an error line
	}
	p.ourState[k] = state
	if state == event.Gone {
		delete(p.ourState, k)
	}
}

// sentTo records that a message went to peer: it carries no chat state,
// but ends "composing" for the peer, so the next keystroke sends it again.
func (a *App) sentTo(m event.Message) {
	k := convKey{m.Account, m.Peer}
	if _, ok := a.protocol().ourState[k]; ok {
		a.protocol().ourState[k] = event.Active
	}
}

// PeerChatState returns the last chat state the contact peer sent to
// account ("" when none, or since their last message). Loop only.
func (a *App) PeerChatState(account, peer string) string {
	return a.protocol().theirState[convKey{account, bare(peer)}]
}

// protoSetting shows or changes a protocol switch for /set; ok is false
// for a name that is not one.
func (a *App) protoSetting(name string, on *bool) (string, bool) {
	p := a.protocol()
	var flag *bool
	switch name {
	case "chatstates":
		flag = &p.noStates
	case "markers":
		flag = &p.noMarkers
	case "receipts":
		return a.receiptsSetting(on), true
	default:
		return "", false
	}
	if on != nil {
		*flag = !*on
	}
	return onOff(!*flag), true
}

// receiptsSetting: receipts are answered by the engine, per its Config
// fixed when it was made; /set receipts applies to engines made after.
func (a *App) receiptsSetting(on *bool) string {
	p := a.protocol()
	if on != nil {
		p.noReceipts = !*on
		if len(a.engines) > 0 {
			a.info("", "receipts: answered as before on accounts already connected this run; %s for accounts connected from now on", onOff(*on))
		}
	}
	return onOff(!p.noReceipts)
}

// tuneProtocol applies the protocol switches to a new engine's config.
func (a *App) tuneProtocol(cfg *client.Config) {
	cfg.NoReceipts = a.protocol().noReceipts
}

// typingOut carries a chat state from a front end's goroutine to the loop
// (Typing); it is consumed by protoBefore, never shown.
type typingOut struct {
	event.Header
	peer, state string
}

func (typingOut) Kind() string { return "typing-out" }

// Typing is ChatState for a front end's own goroutine (the screen's input
// line): it never blocks, and a chat state that finds the loop's queue
// full is dropped, as one that would be stale anyway.
func (a *App) Typing(peer, state string) {
	select {
	case a.events <- typingOut{Header: event.At(""), peer: peer, state: state}:
	default:
	}
}
