package ui

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"chat/client"
	"chat/event"
)

// fakeEngine is the account's engine as the loop sees it, without a
// network.
type fakeEngine struct {
	out  chan<- event.Event
	gone <-chan struct{}

	mu       sync.Mutex
	presence client.Presence
	sent     int
	states   []string // chat states sent, "to state" (proto_test.go)
}

func (e *fakeEngine) Account() string { return me }
func (e *fakeEngine) Connect()        {}
func (e *fakeEngine) Disconnect() <-chan struct{} {
	done := make(chan struct{})
	close(done)
	return done
}

func (e *fakeEngine) SendMessage(m client.OutMessage) (event.Message, error) {
	e.mu.Lock()
	e.sent++
	id := fmt.Sprintf("rig-%d", e.sent)
	e.mu.Unlock()
	now := time.Now()
	return event.Message{Header: event.Header{Time: now, Account: me}, Outgoing: true, From: me + "/ui", To: m.To,
		Peer: strings.ToLower(m.To), ID: id, OriginID: id, Type: "chat", Body: m.Body, XHTML: m.XHTML, Stamp: now}, nil
}

func (e *fakeEngine) CurrentPresence() client.Presence {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.presence
}

func (e *fakeEngine) SetPresence(p client.Presence) {
	e.mu.Lock()
	e.presence = p
	e.mu.Unlock()
}

func (e *fakeEngine) RosterSet(event.RosterItem) error  { return nil }
func (e *fakeEngine) RosterRemove(string) error         { return nil }
func (e *fakeEngine) Subscription(string, string) error { return nil }

// emit posts an event as the real engine does; false once the loop is gone.
func (e *fakeEngine) emit(ev event.Event) bool {
	select {
	case e.out <- ev:
		return true
	case <-e.gone:
		return false
	}
}
