package app

import (
	"context"
	"testing"

	"chat/client"
	"chat/event"
)

// stubEngine is an engine without a network: the test sends its events.
type stubEngine struct {
	out  chan<- event.Event
	gone <-chan struct{}
}

func (e *stubEngine) Account() string { return "me@example.org" }
func (e *stubEngine) Connect()        {}
func (e *stubEngine) Disconnect() <-chan struct{} {
	done := make(chan struct{})
	close(done)
	return done
}
func (e *stubEngine) SendMessage(client.OutMessage) (event.Message, error) {
	return event.Message{}, client.ErrOffline
}
func (e *stubEngine) CurrentPresence() client.Presence  { return client.Presence{} }
func (e *stubEngine) SetPresence(client.Presence)       {}
func (e *stubEngine) RosterSet(event.RosterItem) error  { return nil }
func (e *stubEngine) RosterRemove(string) error         { return nil }
func (e *stubEngine) Subscription(string, string) error { return nil }

func (e *stubEngine) emit(ev event.Event) {
	select {
	case e.out <- ev:
	case <-e.gone:
	}
}

// TestCachedRosterLoadsBeforeLaterEvents: when the server says our roster
// is current, the cached one is read on a worker, and the events that
// arrive meanwhile (a contact's presence) are applied after it, in order,
// not to a roster about to be replaced.
func TestCachedRosterLoadsBeforeLaterEvents(t *testing.T) {
	const me, bob = "me@example.org", "bob@example.org"
	made := make(chan *stubEngine, 1)
	f := offline(t, func(o *Options) {
		o.Passwords = map[string]string{me: "x"}
		o.NewEngine = func(_ client.Config, out chan<- event.Event, gone <-chan struct{}) (Engine, error) {
			e := &stubEngine{out: out, gone: gone}
			made <- e
			return e, nil
		}
	})
	if err := f.store.SaveRoster(context.Background(), me, "v7", []event.RosterItem{{JID: bob, Name: "Bob", Subscription: "both"}}); err != nil {
		t.Fatal(err)
	}
	f.app.Queue("/connect")
	e := <-made
	e.emit(event.ConnState{Header: event.At(me), State: event.Online, JID: me + "/x"})
	e.emit(event.Roster{Header: event.At(me), Version: "v7", Unchanged: true})
	e.emit(event.Presence{Header: event.At(me), From: bob + "/phone", Available: true, Show: "away"})
	f.view.expect(t, "the cached roster shown", isRoster(me))
	f.view.expect(t, "bob's presence after it", func(ev event.Event) bool {
		p, ok := ev.(event.Presence)
		return ok && p.From == bob+"/phone"
	})
	f.app.Queue("/roster")
	f.view.expect(t, "bob away in the roster", isInfo("away      "+bob+" (Bob) [both]"))
	f.quit(t)
}
