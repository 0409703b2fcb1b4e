package ejabberdtest

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"time"
)

// process is one running Erlang VM (erl execs erlexec, which execs
// beam.smp, so the pid we started is the VM's).
type process struct {
	cmd  *exec.Cmd
	done chan struct{} // closed once the child has been reaped
	err  error         // exit status; read only after done is closed
}

// startProcess starts name with args and env in its own process group,
// output appended to outFile.
func startProcess(dir, outFile string, env []string, name string, args ...string) (*process, error) {
	out, err := os.OpenFile(outFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", outFile, err)
	}
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = sysProcAttr()
	p := &process{cmd: cmd, done: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		// Pdeathsig fires when the thread that forked the child exits, so
		// this goroutine keeps its thread until the child is gone.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		defer out.Close()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		p.err = cmd.Wait()
		close(p.done)
	}()
	if err := <-started; err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	return p, nil
}

func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop sends SIGTERM to the group (the VM then stops its applications, so
// Mnesia is closed cleanly), then SIGKILL if it outlives timeout.
func (p *process) stop(timeout time.Duration) error {
	if p.exited() {
		return nil
	}
	if err := terminateGroup(p.cmd.Process); err != nil && !p.exited() {
		p.kill()
		return fmt.Errorf("send SIGTERM to ejabberd: %w", err)
	}
	select {
	case <-p.done:
		killGroup(p.cmd.Process) // any helper (erl_child_setup) left over
		return nil
	case <-time.After(timeout):
		p.kill()
		return fmt.Errorf("ejabberd ignored SIGTERM for %v and was killed", timeout)
	}
}

// kill sends SIGKILL to the group and waits for the child to be reaped.
func (p *process) kill() {
	if !p.exited() {
		killGroup(p.cmd.Process)
	}
	<-p.done
}
