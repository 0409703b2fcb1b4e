package servertest

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
)

// Outcome is how a helper run by Observe ended.
type Outcome struct {
	Failed, Skipped bool
	Log             string // what it logged, failed or skipped with
}

// Observe runs f with a testing.TB that records a failure or a skip
// instead of passing it on to t, and reports how f ended. It is for
// testing the harnesses' own skip-or-fail decisions. As with a real test,
// Fatal and Skip end f's goroutine; TempDir, Cleanup, Setenv and the rest
// go to t.
func Observe(t testing.TB, f func(testing.TB)) Outcome {
	t.Helper()
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out
}

// recorder is a testing.TB whose failures and skips are only recorded.
type recorder struct {
	testing.TB
	mu  sync.Mutex
	out Outcome
}

func (r *recorder) note(failed, skipped bool, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.out.Failed = r.out.Failed || failed
	r.out.Skipped = r.out.Skipped || skipped
	r.out.Log += fmt.Sprintln(args...)
}

func (r *recorder) Helper()         {}
func (r *recorder) Log(args ...any) { r.note(false, false, args...) }
func (r *recorder) Logf(format string, args ...any) {
	r.note(false, false, fmt.Sprintf(format, args...))
}
func (r *recorder) Error(args ...any) { r.note(true, false, args...) }
func (r *recorder) Errorf(format string, args ...any) {
	r.note(true, false, fmt.Sprintf(format, args...))
}
func (r *recorder) Fail()    { r.note(true, false) }
func (r *recorder) FailNow() { r.note(true, false); runtime.Goexit() }
func (r *recorder) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out.Failed
}
func (r *recorder) Fatal(args ...any) { r.note(true, false, args...); runtime.Goexit() }
func (r *recorder) Fatalf(format string, args ...any) {
	r.note(true, false, fmt.Sprintf(format, args...))
	runtime.Goexit()
}
func (r *recorder) Skip(args ...any) { r.note(false, true, args...); runtime.Goexit() }
func (r *recorder) Skipf(format string, args ...any) {
	r.note(false, true, fmt.Sprintf(format, args...))
	runtime.Goexit()
}
func (r *recorder) SkipNow() { r.note(false, true); runtime.Goexit() }
func (r *recorder) Skipped() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out.Skipped
}
