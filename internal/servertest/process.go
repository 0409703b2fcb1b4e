package servertest

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"time"
)

// Process is one server child running in its own process group, killed by
// the kernel if the test binary dies first.
type Process struct {
	name string
	cmd  *exec.Cmd
	done chan struct{} // closed once the child has been reaped
	err  error         // exit status; read only after done is closed
}

// StartProcess starts name with args in dir, in its own process group,
// output appended to outFile. A nil env keeps the test binary's.
func StartProcess(dir, outFile string, env []string, name string, args ...string) (*Process, error) {
	out, err := os.OpenFile(outFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", outFile, err)
	}
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = sysProcAttr()
	p := &Process{name: name, cmd: cmd, done: make(chan struct{})}
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

// Exited reports whether the child has exited and been reaped.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Err is the child's exit status; nil until it has exited.
func (p *Process) Err() error {
	if !p.Exited() {
		return nil
	}
	return p.err
}

// Stop sends SIGTERM to the group, then SIGKILL if the child outlives
// timeout. Once the child is gone, any helper left in its group is killed.
func (p *Process) Stop(timeout time.Duration) error {
	if p.Exited() {
		return nil
	}
	if err := terminateGroup(p.cmd.Process); err != nil && !p.Exited() {
		p.Kill()
		return fmt.Errorf("send SIGTERM to %s: %w", p.name, err)
	}
	select {
	case <-p.done:
		killGroup(p.cmd.Process)
		return nil
	case <-time.After(timeout):
		p.Kill()
		return fmt.Errorf("%s ignored SIGTERM for %v and was killed", p.name, timeout)
	}
}

// Kill sends SIGKILL to the group and waits for the child to be reaped.
func (p *Process) Kill() {
	if !p.Exited() {
		killGroup(p.cmd.Process)
	}
	<-p.done
}

// Pid is the child's process id (also its process group id on Linux).
func (p *Process) Pid() int { return p.cmd.Process.Pid }
