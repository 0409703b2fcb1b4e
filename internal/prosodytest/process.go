package prosodytest

import (
	"crypto/tls"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"chat/internal/servertest"
)

// launch starts prosody on the server's ports and waits until it serves.
// The ports may still be held briefly after a stop, so it retries.
func (s *Server) launch() error {
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		if err := servertest.WaitPortsFree(startTimeout/2, s.c2sPort, s.tlsPort); err != nil {
			lastErr = err
			continue
		}
		p, err := servertest.StartProcess(s.dir, s.outFile, nil, s.prosody, "-F", "--config", s.cfgFile)
		if err != nil {
			return err
		}
		if lastErr = s.waitReady(p); lastErr == nil {
			s.mu.Lock()
			s.proc = p
			s.mu.Unlock()
			return nil
		}
		p.Kill()
		if !errors.Is(lastErr, servertest.ErrPortBusy) {
			break
		}
	}
	return fmt.Errorf("start prosody: %w\n%s", lastErr, s.LogTail(30))
}

// waitReady waits until both client ports accept and the c2s port answers
// an XMPP stream open with its features.
func (s *Server) waitReady(p *servertest.Process) error {
	deadline := time.Now().Add(startTimeout)
	for {
		if p.Exited() {
			return fmt.Errorf("prosody exited during start: %v", p.Err())
		}
		if servertest.LogHas(s.logFile, "Failed to open server port") {
			return fmt.Errorf("prosody could not listen: %w", servertest.ErrPortBusy)
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
	if err := servertest.ProbeStream(s.Addr(), domain, nil); err != nil {
		return err
	}
	cfg := &tls.Config{RootCAs: s.certs.Pool, ServerName: domain}
	if err := servertest.ProbeStream(s.DirectTLSAddr(), domain, cfg); err != nil {
		return fmt.Errorf("direct TLS port: %w", err)
	}
	return nil
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
		p.Kill()
		return nil
	}
	return p.Stop(stopTimeout)
}

// LogTail returns the last n lines of Prosody's log, and of its stdout and
// stderr when they are not empty, for failure messages.
func (s *Server) LogTail(n int) string {
	var b strings.Builder
	b.WriteString("--- prosody log (" + s.logFile + ") ---\n")
	b.WriteString(servertest.Tail(s.logFile, n))
	if out := servertest.Tail(s.outFile, n); strings.TrimSpace(out) != "" {
		b.WriteString("--- prosody stdout/stderr ---\n")
		b.WriteString(out)
	}
	return b.String()
}
