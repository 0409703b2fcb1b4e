package servertest

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// portWait bounds how long a start waits for its ports to be free again
// after a stop.
const portWait = 5 * time.Second

// Daemon is the lifecycle of one test server process: start it (retrying
// while its ports are still held after a stop), wait until it serves,
// stop, kill or restart it on the same ports and data, and remove its temp
// folder. A harness fills in the fields and embeds it in its Server.
type Daemon struct {
	Name         string        // the server, for messages ("prosody")
	Dir          string        // the temp folder Stop removes
	Ports        []int         // the ports that must be free before a start
	StartTimeout time.Duration // how long a start may take to serve
	StopTimeout  time.Duration // how long SIGTERM may take before SIGKILL
	// KillOnStop makes Stop kill the server at once: its data is thrown
	// away, so a graceful shutdown would only cost time.
	KillOnStop bool
	// LogFiles are read during a start: what the start appended to them
	// is passed to Failed and Probe.
	LogFiles []string
	// Spawn starts the process once; attempt counts the tries from 0.
	Spawn func(attempt int) (*Process, error)
	// Failed, when not nil, returns an error when what the start logged
	// says it failed, wrapping ErrPortBusy when a port was taken (then
	// the start is tried again).
	Failed func(logged string) error
	// Probe returns nil once the server serves.
	Probe func(logged string) error
	// Logs returns the last n lines of the server's logs.
	Logs func(n int) string

	mu   sync.Mutex
	proc *Process // nil when not running
}

// Boot is the first start: on failure the temp folder is removed.
func (d *Daemon) Boot() error {
	if err := d.Launch(); err != nil {
		os.RemoveAll(d.Dir)
		return err
	}
	return nil
}

// Launch starts the server and waits until it serves, up to three times
// while a port is still taken.
func (d *Daemon) Launch() error {
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		if err := WaitPortsFree(portWait, d.Ports...); err != nil {
			lastErr = err
			continue
		}
		marks := markLogs(d.LogFiles)
		p, err := d.Spawn(attempt)
		if err != nil {
			return err
		}
		if lastErr = d.waitReady(p, marks); lastErr == nil {
			d.mu.Lock()
			d.proc = p
			d.mu.Unlock()
			return nil
		}
		p.Kill()
		if !errors.Is(lastErr, ErrPortBusy) {
			break
		}
	}
	return fmt.Errorf("start %s: %w\n%s", d.Name, lastErr, d.Logs(30))
}

// waitReady polls until the server serves, its log says it failed, it
// exits or StartTimeout passes.
func (d *Daemon) waitReady(p *Process, marks logMarks) error {
	deadline := time.Now().Add(d.StartTimeout)
	for {
		logged := marks.since(d.LogFiles)
		if d.Failed != nil {
			if err := d.Failed(logged); err != nil {
				return err
			}
		}
		if p.Exited() {
			return fmt.Errorf("%s exited during start: %v", d.Name, p.Err())
		}
		err := d.Probe(logged)
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready after %v: %w", d.Name, d.StartTimeout, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// Stop ends the server (see KillOnStop) and removes its temp folder. It is
// safe to call more than once.
func (d *Daemon) Stop() error {
	err := d.halt(d.KillOnStop)
	if rmErr := os.RemoveAll(d.Dir); rmErr != nil && err == nil {
		err = fmt.Errorf("remove %s: %w", d.Dir, rmErr)
	}
	return err
}

// Restart stops the server gracefully (SIGTERM, so it closes its files)
// and starts it again on the same ports and data, so accounts survive and
// clients can reconnect to the same address.
func (d *Daemon) Restart() error {
	if err := d.halt(false); err != nil {
		return fmt.Errorf("restart: %w", err)
	}
	if err := d.Launch(); err != nil {
		return fmt.Errorf("restart: %w", err)
	}
	return nil
}

// Kill ends the server at once with SIGKILL, as if it vanished. The data
// stays, so Restart brings it back.
func (d *Daemon) Kill() { _ = d.halt(true) }

func (d *Daemon) halt(hard bool) error {
	d.mu.Lock()
	p := d.proc
	d.proc = nil
	d.mu.Unlock()
	if p == nil {
		return nil
	}
	if hard {
		p.Kill()
		return nil
	}
	return p.Stop(d.StopTimeout)
}

// Running reports whether the server process is up (it may still be
// starting or stopping).
func (d *Daemon) Running() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.proc != nil && !d.proc.Exited()
}

// Pid is the server's process id, 0 when it is not running.
func (d *Daemon) Pid() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.proc == nil {
		return 0
	}
	return d.proc.Pid()
}

// Booted boots a server a harness has just prepared (an error from
// preparing it is passed through) and returns it, or the zero S and the
// error.
func Booted[S interface {
	comparable
	Boot() error
}](s S, err error) (S, error) {
	var zero S
	if err != nil {
		return zero, err
	}
	if err := s.Boot(); err != nil {
		return zero, err
	}
	return s, nil
}
