// Package echobot is a tiny XMPP account that answers every message with
// its own text, so that someone trying the client with `chat --local` has
// somebody to talk to. It also sits in the rooms it is given and answers
// there when named (and privately through the room), so that rooms can be
// tried at once. It runs its own client engine and event loop.
//
// It is a demonstration peer for one machine: it must not be imported by
// the client's own packages (app, ui) and holds no state beyond its engine.
package echobot

import (
	"context"
	"fmt"
	"slices"
	"time"

	"chat/client"
	"chat/event"
)

// Nick is the bot's nick in rooms.
const Nick = "echo"

// A room that refuses the bot is tried again this many times, this long
// apart.
const (
	maxRetries = 30
	retryWait  = time.Second
)

// Run logs cfg's account in and echoes messages until ctx ends, and
// returns once its engine has stopped. It also accepts every subscription
// request, and asks back, and joins rooms (bare JIDs) once online (the
// engine rejoins them after a reconnect).
func Run(ctx context.Context, cfg client.Config, rooms ...string) error {
	events := make(chan event.Event, 64)
	gone := make(chan struct{})
	defer close(gone) // whatever the engine still says is dropped
	e, err := client.New(cfg, events, client.ReaderGone(gone))
	if err != nil {
		return fmt.Errorf("echo bot: %w", err)
	}
	e.Connect()
	var retry <-chan time.Time
	retries := 0
	for {
		select {
		case <-ctx.Done():
			done := e.Disconnect()
			for {
				select {
				case <-done:
					return nil
				case <-events:
				}
			}
		case ev := <-events:
			if c, ok := ev.(event.ConnState); ok && c.State == event.Online {
				for _, r := range rooms {
					_ = e.JoinRoom(r, Nick, "") // already in after a reconnect: the engine rejoined
				}
			}
			if r, ok := ev.(event.RoomError); ok && r.Self && retries < maxRetries && slices.Contains(rooms, r.Room) {
				// Most likely the room is being created by someone else
				// at this moment: try again a little later.
				retries++
				retry = time.After(retryWait)
			}
			handle(e, ev)
		case <-retry:
			retry = nil
			for _, r := range rooms {
				_ = e.JoinRoom(r, Nick, "")
			}
		}
	}
}

func handle(e *client.Engine, ev event.Event) {
	switch m := ev.(type) {
	case event.Message:
		if m.Outgoing || m.Body == "" || m.Type == "error" {
			return
		}
		if m.Room != "" {
			inRoom(e, m)
			return
		}
		_, _ = e.SendMessage(client.OutMessage{To: m.From, Body: Reply(m.Body), Type: m.Type, Thread: m.Thread})
	case event.Subscription:
		if m.Type == "subscribe" {
			_ = e.Subscription(m.From, "subscribed")
			_ = e.Subscription(m.From, "subscribe")
		}
	}
}

// inRoom answers a live groupchat message that names the bot, in the
// room, and a private message through the room, privately. The room's
// history sent on join is not answered.
func inRoom(e *client.Engine, m event.Message) {
	switch {
	case m.Type == "groupchat" && m.Highlight && !m.Delayed:
		_, _ = e.SayInRoom(m.Room, m.Nick+": "+Reply(m.Body))
	case m.Type == "chat":
		_, _ = e.SayPrivately(m.From, Reply(m.Body))
	}
}

// Reply is the bot's answer to body.
func Reply(body string) string { return "echo: " + body }
