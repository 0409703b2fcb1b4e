package ui

import (
	"errors"
	"testing"

	"chat/app"
	"chat/client"
	"chat/command"
	"chat/event"
	"chat/history"
	"chat/state"
)

// syncHost is a host for benchmarks, where the loop's half and tview's
// half run in turn on one goroutine: handle and line do what the loop does
// for an event and a line, synchronously. Tests use the real App (rig).
type syncHost struct {
	u       *UI
	st      *state.State
	peer    string
	cmds    *command.Table[*app.App]
	history map[string][]history.Message // peer → stored messages, oldest first
}

func newSyncHost(tb testing.TB, u *UI) *syncHost {
	h := &syncHost{u: u, st: state.New(), history: map[string][]history.Message{}}
	h.st.Account(me)
	var err error
	if h.cmds, err = command.New(u.Commands()...); err != nil {
		tb.Fatal(err)
	}
	return h
}

func (h *syncHost) handle(ev event.Event) {
	h.st.Apply(ev)
	h.u.Show(ev)
}

func (h *syncHost) line(l string) {
	if err := h.cmds.Run(nil, l); err != nil && !errors.Is(err, command.ErrNotCommand) {
		h.handle(event.Error{Header: event.At(me), Context: "command", Text: err.Error()})
	}
}

func (h *syncHost) Queue(l string)                     { h.line(l) }
func (h *syncHost) State() *state.State                { return h.st }
func (h *syncHost) Current() string                    { return me }
func (h *syncHost) SetCurrent(string) bool             { return true }
func (h *syncHost) Peer() string                       { return h.peer }
func (h *syncHost) SetPeer(j string)                   { h.peer = j }
func (h *syncHost) Commands() *command.Table[*app.App] { return h.cmds }

func (h *syncHost) OwnPresence(string) (client.Presence, bool) { return client.Presence{}, false }

func (h *syncHost) History(_, peer string, before int64, n int, done func([]history.Message, error)) {
	all := h.history[peer]
	end := len(all)
	if before != 0 {
		end = 0
		for i, m := range all {
			if m.ID == before {
				end = i
			}
		}
	}
	done(append([]history.Message(nil), all[max(0, end-n):end]...), nil)
}
