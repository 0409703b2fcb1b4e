package app

import (
	"context"
	"time"

	"chat/event"
	"chat/history"
)

// handle applies one event from an engine: state, then storage, then the
// view.
func (a *App) handle(ev event.Event) {
	a.state.Apply(ev)
	switch e := ev.(type) {
	case event.Message:
		a.store(e)
	case event.Roster:
		a.saveRoster(e)
	case event.RosterPush:
		a.savePush(e)
	}
	a.show(ev)
	a.after(ev) // may run queued lines: after the event is shown
}

// after reacts to events that release queued script lines: they run once
// the first login has got its roster (or failed), so that `-c '/roster'`
// sees the contacts.
func (a *App) after(ev event.Event) {
	switch e := ev.(type) {
	case event.ConnState:
		a.connState(e)
	case event.Roster:
		a.setReady()
	case event.Error:
		if e.Context == "fetch roster" {
			a.setReady()
		}
	}
}

// store queues a message for history. Error messages are not history.
func (a *App) store(m event.Message) {
	if m.Type == "error" || m.Body == "" {
		return
	}
	a.writer.Append(history.Message{
		Account: m.Account, Peer: m.Peer, Outgoing: m.Outgoing, Stamp: m.Stamp, Received: m.Time,
		From: m.From, Type: m.Type, Thread: m.Thread, StanzaID: m.StanzaID, OriginID: m.OriginID, Body: m.Body, XHTML: m.XHTML,
	})
}

func (a *App) saveRoster(r event.Roster) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	acct := a.state.Account(r.Account)
	if r.Unchanged {
		ver, items, err := a.opts.Store.LoadRoster(ctx, r.Account)
		if err != nil {
			a.errorf(r.Account, "load cached roster", err)
			return
		}
		acct.SetRoster(ver, items)
		return
	}
	if err := a.opts.Store.SaveRoster(ctx, r.Account, r.Version, r.Items); err != nil {
		a.errorf(r.Account, "save roster", err)
	}
}

func (a *App) savePush(p event.RosterPush) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.opts.Store.ApplyRosterPush(ctx, p.Account, p.Version, p.Item); err != nil {
		a.errorf(p.Account, "save roster change", err)
	}
}

// connState releases queued script lines once the first connection
// attempt has ended, and records a failed first login as the exit code.
func (a *App) connState(c event.ConnState) {
	switch {
	case c.State == event.Online:
		a.savePasswordIfAsked(c.Account)
	case c.State == event.Reconnecting, c.State == event.Offline && c.Fatal:
		if c.Fatal {
			a.forget(c.Account)
		}
		if !a.ready {
			a.code = ExitLogin
		}
		a.setReady()
	}
}

func (a *App) setReady() {
	if a.ready {
		return
	}
	a.ready = true
	lines := a.waiting
	a.waiting = nil
	for _, l := range lines {
		if a.quit {
			return
		}
		a.run(l)
	}
}

// line handles input: held back until the first connection attempt ends,
// so that `-c '/msg bob hi'` is sent once we are online.
func (a *App) line(l string) {
	if !a.ready {
		a.waiting = append(a.waiting, l)
		return
	}
	a.run(l)
}

func (a *App) errorf(account, context string, err error) {
	a.show(event.Error{Header: event.At(account), Context: context, Text: err.Error()})
}
