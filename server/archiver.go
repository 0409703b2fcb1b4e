package server

import (
	"chat/server/store"
)

// The archive is written by one goroutine in batches, one transaction
// per batch, so that archiving does not cost each routed message a
// commit of its own. A reader hands a message over and goes on (waiting
// only when archiveQueue messages are already waiting); a query first
// waits until everything handed over before it is committed, so that a
// user always finds in the archive what was routed before the query.

// archiveQueue bounds the messages waiting to be archived.
const archiveQueue = 4096

type archiveJob struct {
	owners []string
	msgs   []store.Archived
	synced chan struct{} // closed once the jobs before it are committed
}

type archiver struct {
	srv  *Server
	jobs chan archiveJob
	stop chan struct{}
	done chan struct{}
}

func newArchiver(srv *Server) *archiver {
	a := &archiver{srv: srv, jobs: make(chan archiveJob, archiveQueue),
		stop: make(chan struct{}), done: make(chan struct{})}
	go a.run()
	return a
}

// add hands messages over for archiving.
func (a *archiver) add(owners []string, msgs []store.Archived) {
	select {
	case a.jobs <- archiveJob{owners: owners, msgs: msgs}:
	case <-a.stop:
	}
}

// sync waits until what was handed over before is committed.
func (a *archiver) sync() {
	c := make(chan struct{})
	select {
	case a.jobs <- archiveJob{synced: c}:
	case <-a.stop:
		return
	}
	select {
	case <-c:
	case <-a.done:
	}
}

// close commits what is waiting and stops the goroutine.
func (a *archiver) close() {
	close(a.stop)
	<-a.done
}

func (a *archiver) run() {
	defer close(a.done)
	for {
		select {
		case j := <-a.jobs:
			a.commit(append([]archiveJob{j}, a.waiting(511)...))
		case <-a.stop:
			a.commit(a.waiting(len(a.jobs)))
			return
		}
	}
}

// waiting takes up to n jobs already queued, without waiting.
func (a *archiver) waiting(n int) []archiveJob {
	var out []archiveJob
	for len(out) < n {
		select {
		case j := <-a.jobs:
			out = append(out, j)
		default:
			return out
		}
	}
	return out
}

func (a *archiver) commit(jobs []archiveJob) {
	var owners []string
	var msgs []store.Archived
	for _, j := range jobs {
		owners = append(owners, j.owners...)
		msgs = append(msgs, j.msgs...)
	}
	if len(msgs) > 0 {
		ctx, cancel := durableCtx()
		if err := a.srv.store.Archive(ctx, owners, msgs); err != nil {
			a.srv.logf("archive %d messages: %v", len(msgs), err)
		}
		cancel()
	}
	for _, j := range jobs {
		if j.synced != nil {
			close(j.synced)
		}
	}
}
