package app

import (
	"chat/client"
	"chat/event"
)

// Engine is what the loop asks of one account's connection.
// *client.Engine is the one used outside tests.
type Engine interface {
	Account() string
	Connect()
	Disconnect() <-chan struct{}
	SendMessage(client.OutMessage) (event.Message, error)
	CurrentPresence() client.Presence
	SetPresence(client.Presence)
	RosterSet(event.RosterItem) error
	RosterRemove(contact string) error
	Subscription(contact, typ string) error
}

// NewEngine makes an account's engine from its configuration. It posts
// events to out and stops sending once gone is closed (client.ReaderGone).
type NewEngine func(cfg client.Config, out chan<- event.Event, gone <-chan struct{}) (Engine, error)

// realEngine is the NewEngine used unless Options.NewEngine says otherwise.
func realEngine(cfg client.Config, out chan<- event.Event, gone <-chan struct{}) (Engine, error) {
	return client.New(cfg, out, client.ReaderGone(gone))
}
