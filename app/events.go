package app

import (
	"context"

	"chat/event"
)

// handle applies one event from an engine: state, then storage, then the
// view.
func (a *App) handle(ev event.Event) {
	ev, note, ok := a.protoBefore(ev)
	if !ok {
		return
	}
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
	if note != "" {
		a.info(ev.Head().Account, "%s", note)
	}
	a.protoAfter(ev)
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

// dispatch applies an event from an engine (or the test source). While an
// account's roster cache loads, its events are held back and applied
// after it, in order, so that no presence is applied to a roster about to
// be replaced.
func (a *App) dispatch(ev event.Event) {
	acct := ev.Head().Account
	if q, ok := a.held[acct]; ok {
		a.held[acct] = append(q, ev)
		return
	}
	if r, ok := ev.(event.Roster); ok && r.Unchanged {
		a.held[acct] = nil
		a.loadRoster(r)
		return
	}
	a.handle(ev)
}

// rosterLane orders one account's roster cache reads and writes.
func rosterLane(account string) string { return "roster " + account }

// loadRoster reads the cached roster on a worker (the server said ours is
// current); the loop applies it, then the events held meanwhile.
func (a *App) loadRoster(r event.Roster) {
	store := a.opts.Store
	a.work(rosterLane(r.Account), func(ctx context.Context) result {
		ctx, cancel := storeCtx(ctx)
		defer cancel()
		ver, items, err := store.LoadRoster(ctx, r.Account)
		return func() { a.rosterLoaded(r, ver, items, err) }
	})
}

func (a *App) rosterLoaded(r event.Roster, ver string, items []event.RosterItem, err error) {
	held := a.held[r.Account]
	delete(a.held, r.Account)
	a.state.Apply(r)
	if err != nil {
		a.errorf(r.Account, "load cached roster", err)
	} else {
		a.state.Account(r.Account).SetRoster(ver, items)
	}
	a.show(r)
	a.after(r)
	for i, ev := range held {
		a.dispatch(ev)
		if _, again := a.held[r.Account]; again { // another cache load: the rest wait for it
			a.held[r.Account] = append(a.held[r.Account], held[i+1:]...)
			return
		}
	}
}

// saveRoster writes a full roster to the cache on a worker.
func (a *App) saveRoster(r event.Roster) {
	if r.Unchanged {
		return // loaded by dispatch
	}
	store := a.opts.Store
	a.work(rosterLane(r.Account), func(ctx context.Context) result {
		ctx, cancel := storeCtx(ctx)
		defer cancel()
		if err := store.SaveRoster(ctx, r.Account, r.Version, r.Items); err != nil {
			return func() { a.errorf(r.Account, "save roster", err) }
		}
		return nil
	})
}

func (a *App) savePush(p event.RosterPush) {
	store := a.opts.Store
	a.work(rosterLane(p.Account), func(ctx context.Context) result {
		ctx, cancel := storeCtx(ctx)
		defer cancel()
		if err := store.ApplyRosterPush(ctx, p.Account, p.Version, p.Item); err != nil {
			return func() { a.errorf(p.Account, "save roster change", err) }
		}
		return nil
	})
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
			a.askAgain(c)
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
// so that `echo '/msg bob hi' | chat` sends once we are online; typed
// lines (Options.Interactive) run at once.
func (a *App) line(l string) {
	if !a.ready && !a.opts.Interactive {
		a.waiting = append(a.waiting, l)
		return
	}
	a.run(l)
}

func (a *App) errorf(account, context string, err error) {
	a.show(event.Error{Header: event.At(account), Context: context, Text: err.Error()})
}
