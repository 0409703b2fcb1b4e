package app

import (
	"context"
	"time"
)

// Slow work (password sources, the roster cache, history pages and
// searches) runs on workers, as aerc runs its workers: the loop starts a
// job with work, the job runs on its own goroutine with the loop's
// context, and what it returns is a function the loop runs when it next
// looks at its queue. So the loop keeps applying events and drawing while
// a password_command sleeps or SQLite is busy.
//
// Jobs in the same lane run one after another, in the order started (the
// roster writes of one account); jobs in different lanes run at once.
// Every job is counted until the loop has run its result, and Run waits
// for them (running their results) before it returns.

// result is what a job hands back: run on the loop.
type result func()

// workerWait bounds how long Run waits for workers once the loop has
// stopped. A job blocked where no context reaches (a terminal prompt, a
// keyring call) is left behind rather than keep the program from
// exiting.
const workerWait = 2 * time.Second

// work starts job on a worker. Loop only. lane "" means a lane of its own.
func (a *App) work(lane string, job func(ctx context.Context) result) {
	var prev <-chan struct{}
	done := make(chan struct{})
	if lane != "" {
		prev = a.lanes[lane]
		a.lanes[lane] = done
	}
	ctx := a.workCtx
	a.running++
	go func() {
		if prev != nil {
			<-prev // lane jobs are bounded (store calls with a deadline)
		}
		r := job(ctx)
		close(done)
		if r == nil {
			r = func() {}
		}
		a.deliver(r)
	}()
}

// deliver hands a job's result to the loop, which counts the job as ended
// when it runs it; once Run has given up on its workers it is dropped.
func (a *App) deliver(r result) {
	select {
	case a.results <- r:
	case <-a.gone:
	}
}

// finish runs a job's result on the loop.
func (a *App) finish(r result) {
	a.running--
	r()
}

// waitWorkers runs the results of the jobs still going, waiting for them
// within workerWait once the loop has stopped; it reports whether every
// job ended.
func (a *App) waitWorkers() bool {
	deadline := time.After(workerWait)
	for a.running > 0 {
		select {
		case r := <-a.results:
			a.finish(r)
		case <-deadline:
			return false
		}
	}
	return true
}

// storeCtx is the context of a store call: it outlives the loop's (a
// roster save started just before a signal still completes) but is
// bounded.
func storeCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
}
