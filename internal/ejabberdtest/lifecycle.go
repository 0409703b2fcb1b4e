package ejabberdtest

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"chat/internal/servertest"
)

// daemon is the lifecycle of this server's Erlang VM. Stop kills it at
// once (its data is thrown away, so a graceful Erlang shutdown, which
// takes seconds, buys nothing); Restart stops it gracefully (SIGTERM;
// Mnesia closes its files) and starts it on the same ports, node name and
// data, so accounts and rosters survive.
func (s *Server) daemon() servertest.Daemon {
	return servertest.Daemon{
		Name: "ejabberd", Dir: s.dir, Ports: []int{s.c2sPort, s.tlsPort, s.httpPort},
		StartTimeout: startTimeout, StopTimeout: stopTimeout, KillOnStop: true,
		LogFiles: []string{s.logFile, s.outFile},
		Spawn:    s.spawn,
		Failed:   failed,
		Probe: func(logged string) error {
			if !strings.Contains(logged, " is started in the node ") {
				return errors.New("ejabberd has not logged that it started")
			}
			return s.probe()
		},
		Logs: s.LogTail,
	}
}

// spawn starts the VM once. The Erlang distribution port is picked anew
// after a failed try.
func (s *Server) spawn(attempt int) (*servertest.Process, error) {
	distPort, err := s.pickDistPort(attempt)
	if err != nil {
		return nil, err
	}
	if err := s.writeCtlConfig(distPort); err != nil {
		return nil, err
	}
	return servertest.StartProcess(s.dir, s.outFile, s.env(), s.erl, s.erlArgs(distPort)...)
}

// pickDistPort keeps the port from writeFiles for the first try and asks
// for a fresh one after a failure.
func (s *Server) pickDistPort(attempt int) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if attempt > 0 || s.distPort == 0 {
		ports, err := servertest.FreePorts(1)
		if err != nil {
			return 0, err
		}
		s.distPort = ports[0]
	}
	return s.distPort, nil
}

// failed reads what a start logged for a sign that it failed.
func failed(logged string) error {
	if strings.Contains(logged, "eaddrinuse") || strings.Contains(logged, "already in use") {
		return fmt.Errorf("ejabberd could not listen: %w", servertest.ErrPortBusy)
	}
	if strings.Contains(logged, "Failed to start ejabberd") {
		return errors.New("ejabberd failed to start (see its log)")
	}
	return nil
}

// probe checks that both client ports and the HTTP API answer.
func (s *Server) probe() error {
	if err := servertest.ProbeClientPorts(s.Addr(), s.DirectTLSAddr(), domain, s.certs.Pool); err != nil {
		return err
	}
	if _, err := s.api("status", map[string]string{}); err != nil {
		return fmt.Errorf("http api: %w", err)
	}
	return nil
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
