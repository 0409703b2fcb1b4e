package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"chat/history"
)

// /history and /search: queries of the stored history, run on workers.

func (a *App) cmdHistory(args []string) error {
	if len(args) < 2 && (len(args) == 0 || isNumber(args[0])) {
		if a.peer == "" {
			return errors.New("no conversation open: use /history JID [N]")
		}
		args = append([]string{a.peer}, args...)
	}
	j, err := parseJID(args[0])
	if err != nil {
		return err
	}
	n := 20
	if len(args) == 2 {
		if n, err = strconv.Atoi(args[1]); err != nil || n <= 0 {
			return fmt.Errorf("the count must be a positive number, not %q", args[1])
		}
	}
	peer, acct := bare(j), a.current
	a.query(func(ctx context.Context) ([]history.Message, error) {
		msgs, err := a.opts.Store.Last(ctx, acct, peer, n)
		if err != nil {
			return nil, fmt.Errorf("history of %s: %w", j, err)
		}
		return msgs, nil
	}, func(msgs []history.Message) string {
		return fmt.Sprintf("last %s with %s", plural(len(msgs), "message"), j)
	})
	return nil
}

// searchShown is how many matches /search prints; searchCounted how many
// it counts at most.
const searchShown, searchCounted = 50, 1000

func (a *App) cmdSearch(args []string) error {
	text, acct := args[0], a.current
	total := 0 // set on the worker, read on the loop after it
	a.query(func(ctx context.Context) ([]history.Message, error) {
		msgs, err := a.opts.Store.Search(ctx, acct, text, searchCounted+1)
		if err != nil {
			return nil, fmt.Errorf("search %q: %w", text, err)
		}
		total = len(msgs)
		return msgs[:min(len(msgs), searchShown)], nil
	}, func(msgs []history.Message) string { return searchTitle(len(msgs), total, text) })
	return nil
}

// searchTitle heads /search's output: "3 messages match", or "showing the
// newest 50 of 80 messages matching" when not all are shown.
func searchTitle(shown, total int, text string) string {
	switch {
	case shown == total && total == 1:
		return fmt.Sprintf("1 message matches %q", text)
	case shown == total:
		return fmt.Sprintf("%d messages match %q", total, text)
	case total > searchCounted:
		return fmt.Sprintf("showing the newest %d of more than %d messages matching %q", shown, searchCounted, text)
	}
	return fmt.Sprintf("showing the newest %d of %d messages matching %q", shown, total, text)
}

// query runs a history query on a worker, after committing what is queued
// for writing, and prints the messages under title's heading.
func (a *App) query(q func(context.Context) ([]history.Message, error), title func([]history.Message) string) {
	writer := a.writer
	a.work("", func(ctx context.Context) result {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		msgs, err := flushed(ctx, writer, q)
		return func() {
			if err != nil {
				a.errorf(a.current, "command", err)
				return
			}
			a.showHistory(title(msgs), msgs)
		}
	})
}

// flushed commits the writer's queue, then runs q.
func flushed(ctx context.Context, w *history.Writer, q func(context.Context) ([]history.Message, error)) ([]history.Message, error) {
	if err := w.Flush(ctx); err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	return q(ctx)
}

// showHistory prints messages under title; the conversation is named on
// each line only when they are from several.
func (a *App) showHistory(title string, msgs []history.Message) {
	var b strings.Builder
	b.WriteString(title)
	several := slices.ContainsFunc(msgs, func(m history.Message) bool { return m.Peer != msgs[0].Peer })
	for _, m := range msgs {
		who := "me"
		if !m.Outgoing {
			who, _, _ = strings.Cut(bare(m.From), "@")
		}
		peer := ""
		if several {
			peer = m.Peer + " "
		}
		fmt.Fprintf(&b, "\n  %s %s<%s> %s", m.Stamp.Local().Format("2006-01-02 15:04:05"), peer, who, m.Body)
	}
	a.info(a.current, "%s", b.String())
}

func isNumber(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}
