package ejabberdtest

import (
	"crypto/tls"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"chat/internal/servertest"
)

// launch starts ejabberd on the server's ports and data and waits until it
// serves. The client ports may still be held briefly after a stop, so it
// retries; the Erlang distribution port is picked anew each try.
func (s *Server) launch() error {
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		if err := servertest.WaitPortsFree(startTimeout/4, s.c2sPort, s.tlsPort, s.httpPort); err != nil {
			lastErr = err
			continue
		}
		distPort, err := s.pickDistPort(attempt)
		if err != nil {
			return err
		}
		if err := s.writeCtlConfig(distPort); err != nil {
			return err
		}
		mark := s.marks()
		p, err := servertest.StartProcess(s.dir, s.outFile, s.env(), s.erl, s.erlArgs(distPort)...)
		if err != nil {
			return err
		}
		if lastErr = s.waitReady(p, mark); lastErr == nil {
			s.mu.Lock()
			s.proc, s.distPort = p, distPort
			s.mu.Unlock()
			return nil
		}
		p.Kill()
		if !errors.Is(lastErr, servertest.ErrPortBusy) {
			break
		}
	}
	return fmt.Errorf("start ejabberd: %w\n%s", lastErr, s.LogTail(30))
}

// pickDistPort keeps the port from writeFiles for the first try and asks
// for a fresh one after a failure.
func (s *Server) pickDistPort(attempt int) (int, error) {
	s.mu.Lock()
	port := s.distPort
	s.mu.Unlock()
	if attempt == 0 && port != 0 {
		return port, nil
	}
	ports, err := servertest.FreePorts(1)
	if err != nil {
		return 0, err
	}
	return ports[0], nil
}

// logMarks are the sizes of the log and the output file before a start, so
// only what this start wrote is searched for errors.
type logMarks struct{ log, out int64 }

func (s *Server) marks() logMarks {
	return logMarks{log: fileSize(s.logFile), out: fileSize(s.outFile)}
}

func fileSize(path string) int64 {
	info, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return info.Size()
}

// since returns what was appended to both files after m.
func (s *Server) since(m logMarks) string {
	read := func(path string, off int64) string {
		data, err := os.ReadFile(path)
		if err != nil || int64(len(data)) < off {
			return string(data)
		}
		return string(data[off:])
	}
	return read(s.logFile, m.log) + read(s.outFile, m.out)
}

// waitReady waits until ejabberd says it started and both client ports and
// the HTTP API answer.
func (s *Server) waitReady(p *servertest.Process, m logMarks) error {
	deadline := time.Now().Add(startTimeout)
	for {
		text := s.since(m)
		if strings.Contains(text, "eaddrinuse") || strings.Contains(text, "already in use") {
			return fmt.Errorf("ejabberd could not listen: %w", servertest.ErrPortBusy)
		}
		if p.Exited() {
			return fmt.Errorf("ejabberd exited during start: %v", p.Err())
		}
		if strings.Contains(text, "Failed to start ejabberd") {
			return errors.New("ejabberd failed to start (see its log)")
		}
		var err error
		if strings.Contains(text, " is started in the node ") {
			err = s.probe()
			if err == nil {
				return nil
			}
		} else {
			err = errors.New("ejabberd has not logged that it started")
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("ejabberd not ready after %v: %w", startTimeout, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// probe checks that the STARTTLS port and the direct TLS port (with a
// handshake against the test CA) both answer a stream open with features,
// and that the HTTP API answers.
func (s *Server) probe() error {
	if err := servertest.ProbeStream(s.Addr(), domain, nil); err != nil {
		return err
	}
	cfg := &tls.Config{RootCAs: s.certs.pool, ServerName: domain}
	if err := servertest.ProbeStream(s.DirectTLSAddr(), domain, cfg); err != nil {
		return fmt.Errorf("direct TLS port: %w", err)
	}
	if _, err := s.api("status", map[string]string{}); err != nil {
		return fmt.Errorf("http api: %w", err)
	}
	return nil
}

// Stop kills ejabberd's process group at once (its data is thrown away, so
// a graceful Erlang shutdown, which takes seconds, buys nothing) and
// removes its temp folder. It is safe to call more than once.
func (s *Server) Stop() error {
	err := s.halt(true)
	if rmErr := os.RemoveAll(s.dir); rmErr != nil && err == nil {
		err = fmt.Errorf("remove %s: %w", s.dir, rmErr)
	}
	return err
}

// Restart stops ejabberd gracefully (SIGTERM; Mnesia closes its files) and
// starts it again on the same ports, node name and data, so accounts and
// rosters survive and clients can reconnect to the same address.
func (s *Server) Restart() error {
	if err := s.halt(false); err != nil {
		return fmt.Errorf("restart: %w", err)
	}
	if err := s.launch(); err != nil {
		return fmt.Errorf("restart: %w", err)
	}
	return nil
}

// Kill ends ejabberd at once with SIGKILL, as if the server vanished. The
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
		p.Kill()
		return nil
	}
	return p.Stop(stopTimeout)
}

// Running reports whether the server process is up (it may still be
// starting or stopping).
func (s *Server) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.proc != nil && !s.proc.Exited()
}

// LogTail returns the last n lines of ejabberd's log, and of the VM's
// stdout and stderr when they are not empty, for failure messages.
func (s *Server) LogTail(n int) string {
	var b strings.Builder
	b.WriteString("--- ejabberd log (" + s.logFile + ") ---\n")
	b.WriteString(servertest.Tail(s.logFile, n))
	if out := vmOnly(servertest.Tail(s.outFile, n)); out != "" {
		b.WriteString("--- erl stdout/stderr (less what the log has) ---\n")
		b.WriteString(out)
	}
	return b.String()
}

// logLine matches the start of a line the console logger copies from the
// log; continuation lines of such an entry are indented.
var logLine = regexp.MustCompile(`^(\d{4}-\d\d-\d\d |\s)`)

// vmOnly keeps the lines of the VM's output that are not log entries
// (Erlang's own reports, dets repairs, crashes before logging starts).
func vmOnly(out string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(out, "\n") {
		if strings.TrimSpace(line) != "" && !logLine.MatchString(line) {
			b.WriteString(line)
		}
	}
	return b.String()
}
