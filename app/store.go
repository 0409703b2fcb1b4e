package app

import (
	"context"
	"errors"

	"chat/event"
	"chat/history"
)

// Storing messages never blocks the loop and never grows memory without
// bound. The loop offers each message to the history writer with
// TryAppend. When the writer's queue is full (the disk is slower than the
// network), the message goes to a short backlog and a worker waits for room
// with AppendContext; until the backlog is handed over the loop stops
// taking engine events (keys, commands and worker results still run), so
// the engines' sends block and they stop reading from the server: the
// back-pressure reaches the network, not the loop and not the heap.

// storeLane orders the hand-over of backlogged messages.
const storeLane = "history backlog"

// store queues a message for history. Error messages are not history.
func (a *App) store(m event.Message) {
	if m.Type == "error" || m.Body == "" {
		return
	}
	a.append(history.Message{
		Account: m.Account, Peer: m.Peer, Outgoing: m.Outgoing, Stamp: m.Stamp, Received: m.Time,
		From: m.From, Type: m.Type, Thread: m.Thread, StanzaID: m.StanzaID, OriginID: m.OriginID, Body: m.Body, XHTML: m.XHTML,
		MsgID: m.ID, Replaces: m.Replaces, // Replaces only on a correction the loop accepted (protocol_state.go)
	})
}

// append offers hm to the writer, or to the backlog behind messages that
// are already waiting there (order is kept).
func (a *App) append(hm history.Message) {
	if a.storing {
		a.toBacklog(hm)
		return
	}
	err := a.writer.TryAppend(hm)
	switch {
	case err == nil:
	case errors.Is(err, history.ErrQueueFull):
		a.toBacklog(hm)
		a.handOver()
	default:
		a.show(event.Error{Header: event.At(hm.Account), Context: "history", Text: err.Error()})
	}
}

func (a *App) toBacklog(hm history.Message) {
	a.backlog = append(a.backlog, hm)
	if a.opts.backlogHook != nil {
		a.opts.backlogHook(len(a.backlog))
	}
}

// handOver gives the backlog to a worker that waits for room in the
// writer's queue. Loop only.
func (a *App) handOver() {
	batch := a.backlog
	a.backlog = nil
	a.storing = true
	writer := a.writer
	a.work(storeLane, func(ctx context.Context) result {
		for i, m := range batch {
			if err := writer.AppendContext(ctx, m); err != nil {
				rest := batch[i:]
				return func() { a.storeBacklogDone(rest) }
			}
		}
		return func() { a.storeBacklogDone(nil) }
	})
}

// storeBacklogDone runs on the loop when a hand-over has ended: what the
// worker could not hand over (the loop is stopping) goes back in front of
// the backlog, to be forced in at shutdown.
func (a *App) storeBacklogDone(rest []history.Message) {
	a.storing = false
	if len(rest) > 0 {
		a.backlog = append(rest, a.backlog...)
		if a.quit {
			return
		}
	}
	if len(a.backlog) > 0 {
		a.handOver()
	}
}

// engineEvents is the channel of engine events the loop reads: none while
// a backlog of messages waits for the writer.
func (a *App) engineEvents() <-chan event.Event {
	if a.storing {
		return nil
	}
	return a.events
}

// flushBacklog forces what is still in the backlog into the writer before
// it closes, at shutdown: those messages were shown, so they are saved.
func (a *App) flushBacklog() {
	for _, m := range a.backlog {
		a.writer.Append(m)
	}
	a.backlog = nil
}
