// Package echobot is a tiny XMPP account that answers every message with
// its own text, so that someone trying the client with `chat --local` has
// somebody to talk to. It runs its own client engine and event loop.
//
// It is a demonstration peer for one machine: it must not be imported by
// the client's own packages (app, ui) and holds no state beyond its engine.
package echobot

import (
	"context"
	"fmt"

	"chat/client"
	"chat/event"
)

// Run logs cfg's account in and echoes messages until ctx ends, and
// returns once its engine has stopped. It also accepts every subscription
// request, and asks back.
func Run(ctx context.Context, cfg client.Config) error {
	events := make(chan event.Event, 64)
	gone := make(chan struct{})
	defer close(gone) // whatever the engine still says is dropped
	e, err := client.New(cfg, events, client.ReaderGone(gone))
	if err != nil {
		return fmt.Errorf("echo bot: %w", err)
	}
	e.Connect()
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
			handle(e, ev)
		}
	}
}

func handle(e *client.Engine, ev event.Event) {
	switch m := ev.(type) {
	case event.Message:
		if m.Outgoing || m.Body == "" || m.Type == "error" {
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

// Reply is the bot's answer to body.
func Reply(body string) string { return "echo: " + body }
