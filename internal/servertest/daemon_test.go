package servertest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// shDaemon is a Daemon whose server is a shell that logs its start and
// then sleeps; script runs before that, with $1 the attempt number.
func shDaemon(t *testing.T, script string) (*Daemon, *int) {
	dir, err := os.MkdirTemp(t.TempDir(), "daemon-")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	spawns := new(int)
	d := &Daemon{
		Name: "sh", Dir: dir, StartTimeout: 30 * time.Second, StopTimeout: 10 * time.Second,
		LogFiles: []string{out},
		Spawn: func(attempt int) (*Process, error) {
			*spawns++
			return StartProcess(dir, out, nil, "sh", "-c", script+"\necho started; exec sleep 60", "sh", string(rune('0'+attempt)))
		},
		Failed: func(logged string) error {
			if strings.Contains(logged, "address in use") {
				return ErrPortBusy
			}
			return nil
		},
		Probe: func(logged string) error {
			if !strings.Contains(logged, "started") {
				return errors.New("not started")
			}
			return nil
		},
		Logs: func(n int) string { return Tail(out, n) },
	}
	t.Cleanup(func() { d.Stop() })
	return d, spawns
}

func TestDaemonLifecycle(t *testing.T) {
	d, _ := shDaemon(t, "")
	if err := d.Boot(); err != nil {
		t.Fatal(err)
	}
	first := d.Pid()
	if !d.Running() || first == 0 {
		t.Fatalf("after Boot: running %v, pid %d", d.Running(), first)
	}
	if err := d.Restart(); err != nil {
		t.Fatal(err)
	}
	if d.Pid() == first || !d.Running() {
		t.Errorf("Restart kept pid %d (running %v)", first, d.Running())
	}
	d.Kill()
	if d.Running() || d.Pid() != 0 {
		t.Error("running after Kill")
	}
	if err := d.Restart(); err != nil {
		t.Fatalf("Restart after Kill: %v", err)
	}
	if err := d.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(d.Dir); !errors.Is(err, os.ErrNotExist) || d.Running() {
		t.Errorf("after Stop: dir %v, running %v", err, d.Running())
	}
	if err := d.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
}

// TestDaemonRetriesOnlyABusyPort: a start whose log says a port is taken
// is tried again (and only what that try logged counts); one that exits
// for another reason is not, and Boot removes the folder.
func TestDaemonRetriesOnlyABusyPort(t *testing.T) {
	d, spawns := shDaemon(t, `if [ "$1" = 0 ]; then echo address in use; exec sleep 60; fi`)
	if err := d.Boot(); err != nil {
		t.Fatalf("Boot after a busy port: %v", err)
	}
	if *spawns != 2 {
		t.Errorf("%d spawns, want 2", *spawns)
	}
	d, spawns = shDaemon(t, "echo broken; exit 3")
	err := d.Boot()
	if err == nil || !strings.Contains(err.Error(), "exited during start") || !strings.Contains(err.Error(), "broken") {
		t.Errorf("Boot of a server that exits: %v", err)
	}
	if *spawns != 1 {
		t.Errorf("%d spawns of a server that exits, want 1", *spawns)
	}
	if _, err := os.Stat(d.Dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Boot left its folder after failing: %v", err)
	}
}

func TestServeAndRequire(t *testing.T) {
	h := Harness{Pkg: "xtest", Server: "x", Env: "SERVERTEST_REQUIRE_X", Unavailable: errors.New("x missing")}
	var none *Daemon
	got := Observe(t, func(tb testing.TB) { Require(h, tb, none) })
	if !got.Skipped {
		t.Errorf("Require of a nil server: %+v, want a skip", got)
	}
	d := &Daemon{}
	if Require(h, t, d) != d {
		t.Error("Require did not return the server")
	}
}
