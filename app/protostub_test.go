package app

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"chat/client"
	"chat/event"
)

// loopCall is an event that runs f on the loop when the recorder shows it:
// how a test calls a loop-only method (App.ChatState) of a running App.
type loopCall struct {
	event.Header
	f func()
}

func (loopCall) Kind() string { return "test" }

// onLoop runs f on f's loop through the events channel and waits for it.
func (f *fixture) onLoop(t *testing.T, fn func()) {
	t.Helper()
	done := make(chan struct{})
	f.app.events <- loopCall{Header: event.At(""), f: func() { fn(); close(done) }}
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("loop call did not run")
	}
}

// protoStub is a stubEngine with the protocol methods: what it is asked
// is recorded, what it answers is set by the test.
type protoStub struct {
	stubEngine
	mu       sync.Mutex
	blocked  []string
	supports bool
	sent     []client.OutMessage
	states   []string // "to state" of SendChatState
	shown    []string // "to id" of SendDisplayed
}

func (e *protoStub) SendMessage(m client.OutMessage) (event.Message, error) {
	e.mu.Lock()
	e.sent = append(e.sent, m)
	id := fmt.Sprintf("out-%d", len(e.sent))
	e.mu.Unlock()
	now := time.Now()
	return event.Message{Header: event.Header{Time: now, Account: e.Account()}, Outgoing: true, From: e.Account() + "/x",
		To: m.To, Peer: bare(m.To), ID: id, OriginID: id, Type: "chat", Body: m.Body, Stamp: now, Replaces: m.Replaces}, nil
}

func (e *protoStub) Ping(context.Context, string) (time.Duration, error) {
	return time.Millisecond, nil
}
func (e *protoStub) DiscoInfo(context.Context, string, string) (client.DiscoInfo, error) {
	return client.DiscoInfo{}, nil
}
func (e *protoStub) DiscoItems(context.Context, string, string) ([]client.DiscoItem, error) {
	return nil, nil
}
func (e *protoStub) Version(context.Context, string) (client.SoftwareVersion, error) {
	return client.SoftwareVersion{}, nil
}
func (e *protoStub) Time(context.Context, string) (client.EntityTime, error) {
	return client.EntityTime{}, nil
}
func (e *protoStub) LastActivity(context.Context, string) (client.LastActivity, error) {
	return client.LastActivity{}, nil
}
func (e *protoStub) Block(context.Context, ...string) error   { return nil }
func (e *protoStub) Unblock(context.Context, ...string) error { return nil }
func (e *protoStub) Blocklist(context.Context) ([]string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.blocked...), nil
}
func (e *protoStub) GetVCard(context.Context, string) (client.VCard, error) {
	return client.VCard{}, nil
}
func (e *protoStub) SetVCard(context.Context, client.VCard) error { return nil }
func (e *protoStub) Supports(string, string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.supports
}
func (e *protoStub) SendChatState(to, state string) error {
	e.mu.Lock()
	e.states = append(e.states, to+" "+state)
	e.mu.Unlock()
	return nil
}
func (e *protoStub) SendDisplayed(to, id string) error {
	e.mu.Lock()
	e.shown = append(e.shown, to+" "+id)
	e.mu.Unlock()
	return nil
}

// withStub runs an offline App whose account connects to stub; it
// returns once the stub is online and its blocklist fetched.
func withStub(t *testing.T, stub *protoStub) *fixture {
	t.Helper()
	const me = "me@example.org"
	if len(stub.blocked) == 0 { // so that the fetch at login shows a line to wait for
		stub.blocked = []string{"nobody@example.invalid"}
	}
	made := make(chan struct{})
	f := offline(t, func(o *Options) {
		o.Passwords = map[string]string{me: "x"}
		o.NewEngine = func(_ client.Config, out chan<- event.Event, gone <-chan struct{}) (Engine, error) {
			stub.out, stub.gone = out, gone
			close(made)
			return stub, nil
		}
	})
	f.app.Queue("/connect")
	<-made
	stub.emit(event.ConnState{Header: event.At(me), State: event.Online, JID: me + "/x"})
	f.view.expect(t, "the blocklist fetched at login", isInfo("blocklist: "))
	return f
}
