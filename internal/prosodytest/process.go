package prosodytest

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// errPortBusy marks a start that failed because a port was taken.
var errPortBusy = errors.New("port still in use")

// process is one running prosody child.
type process struct {
	cmd  *exec.Cmd
	done chan struct{} // closed once the child has been reaped
	err  error         // exit status; read only after done is closed
}

// startProcess starts name with args in its own process group, output
// appended to outFile.
func startProcess(dir, outFile, name string, args ...string) (*process, error) {
	out, err := os.OpenFile(outFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", outFile, err)
	}
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
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

// stop sends SIGTERM to the group, then SIGKILL if it outlives timeout.
func (p *process) stop(timeout time.Duration) error {
	if p.exited() {
		return nil
	}
	if err := terminateGroup(p.cmd.Process); err != nil && !p.exited() {
		p.kill()
		return fmt.Errorf("send SIGTERM to prosody: %w", err)
	}
	select {
	case <-p.done:
		return nil
	case <-time.After(timeout):
		p.kill()
		return fmt.Errorf("prosody ignored SIGTERM for %v and was killed", timeout)
	}
}

// kill sends SIGKILL to the group and waits for the child to be reaped.
func (p *process) kill() {
	if !p.exited() {
		killGroup(p.cmd.Process)
	}
	<-p.done
}

// launch starts prosody on the server's ports and waits until it serves.
// The ports may still be held briefly after a stop, so it retries.
func (s *Server) launch() error {
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		if err := waitPortsFree(startTimeout/2, s.c2sPort, s.tlsPort); err != nil {
			lastErr = err
			continue
		}
		p, err := startProcess(s.dir, s.outFile, s.prosody, "-F", "--config", s.cfgFile)
		if err != nil {
			return err
		}
		if lastErr = s.waitReady(p); lastErr == nil {
			s.mu.Lock()
			s.proc = p
			s.mu.Unlock()
			return nil
		}
		p.kill()
		if !errors.Is(lastErr, errPortBusy) {
			break
		}
	}
	return fmt.Errorf("start prosody: %w\n%s", lastErr, s.LogTail(30))
}

// waitReady waits until both client ports accept and the c2s port answers
// an XMPP stream open with its features.
func (s *Server) waitReady(p *process) error {
	deadline := time.Now().Add(startTimeout)
	for {
		if p.exited() {
			return fmt.Errorf("prosody exited during start: %v", p.err)
		}
		if logHas(s.logFile, "Failed to open server port") {
			return fmt.Errorf("prosody could not listen: %w", errPortBusy)
		}
		err := s.probe()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("prosody not ready after %v: %w", startTimeout, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// probe checks that the STARTTLS port and the direct TLS port (with a
// handshake against the test CA) both answer a stream open with features.
// It closes both streams politely and waits for Prosody to hang up, so no
// half-open session delays a Stop that comes right after.
func (s *Server) probe() error {
	if err := probeStream(s.Addr(), nil); err != nil {
		return err
	}
	cfg := &tls.Config{RootCAs: s.certs.Pool, ServerName: domain}
	if err := probeStream(s.DirectTLSAddr(), cfg); err != nil {
		return fmt.Errorf("direct TLS port: %w", err)
	}
	return nil
}

func probeStream(addr string, cfg *tls.Config) error {
	raw, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer raw.Close()
	raw.SetDeadline(time.Now().Add(2 * time.Second))
	var conn net.Conn = raw
	if cfg != nil {
		conn = tls.Client(raw, cfg)
	}
	if _, err := openStream(conn, domain); err != nil {
		return err
	}
	if _, err := io.WriteString(conn, "</stream:stream>"); err != nil {
		return fmt.Errorf("close stream: %w", err)
	}
	_, _ = io.Copy(io.Discard, conn) // until Prosody hangs up
	return nil
}

func waitPortsFree(timeout time.Duration, ports ...int) error {
	deadline := time.Now().Add(timeout)
	for _, port := range ports {
		for {
			l, err := net.Listen("tcp", hostPort(port))
			if err == nil {
				l.Close()
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("port %d: %w: %v", port, errPortBusy, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return nil
}

func logHas(path, needle string) bool {
	data, err := os.ReadFile(path)
	return err == nil && bytes.Contains(data, []byte(needle))
}

// Stop ends Prosody (SIGTERM, then SIGKILL after a few seconds) and removes
// its temp folder. It is safe to call more than once.
func (s *Server) Stop() error {
	err := s.halt(false)
	if rmErr := os.RemoveAll(s.dir); rmErr != nil && err == nil {
		err = fmt.Errorf("remove %s: %w", s.dir, rmErr)
	}
	return err
}

// Restart stops Prosody and starts it again on the same ports and data, so
// accounts survive and clients can reconnect to the same address.
func (s *Server) Restart() error {
	if err := s.halt(false); err != nil {
		return fmt.Errorf("restart: %w", err)
	}
	if err := s.launch(); err != nil {
		return fmt.Errorf("restart: %w", err)
	}
	return nil
}

// Kill ends Prosody at once with SIGKILL, as if the server vanished. The
// data stays, so Restart brings it back.
func (s *Server) Kill() { _ = s.halt(true) }

func (s *Server) halt(hard bool) error {
	s.mu.Lock()
	p := s.proc
	s.proc = nil
	s.mu.Unlock()
	if p == nil {
		return nil
	}
	if hard {
		p.kill()
		return nil
	}
	return p.stop(stopTimeout)
}

// LogTail returns the last n lines of Prosody's log, and of its stdout and
// stderr when they are not empty, for failure messages.
func (s *Server) LogTail(n int) string {
	var b strings.Builder
	b.WriteString("--- prosody log (" + s.logFile + ") ---\n")
	b.WriteString(tail(s.logFile, n))
	if out := tail(s.outFile, n); strings.TrimSpace(out) != "" {
		b.WriteString("--- prosody stdout/stderr ---\n")
		b.WriteString(out)
	}
	return b.String()
}

func tail(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(cannot read %s: %v)\n", path, err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	if last := len(lines) - 1; lines[last] == "" {
		lines = lines[:last]
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "")
}
