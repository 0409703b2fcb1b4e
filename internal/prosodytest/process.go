package prosodytest

import (
	"fmt"
	"strings"

	"chat/internal/servertest"
)

// daemon is the lifecycle of this server's prosody process.
func (s *Server) daemon() servertest.Daemon {
	return servertest.Daemon{
		Name: "prosody", Dir: s.dir, Ports: []int{s.c2sPort, s.tlsPort},
		StartTimeout: startTimeout, StopTimeout: stopTimeout,
		LogFiles: []string{s.logFile, s.outFile},
		Spawn: func(int) (*servertest.Process, error) {
			return servertest.StartProcess(s.dir, s.outFile, nil, s.prosody, "-F", "--config", s.cfgFile)
		},
		Failed: func(logged string) error {
			if strings.Contains(logged, "Failed to open server port") {
				return fmt.Errorf("prosody could not listen: %w", servertest.ErrPortBusy)
			}
			return nil
		},
		Probe: func(string) error { return s.probe() },
		Logs:  s.LogTail,
	}
}

// probe checks that both client ports answer. It closes the streams
// politely and waits for Prosody to hang up, so no half-open session
// delays a Stop that comes right after.
func (s *Server) probe() error {
	return servertest.ProbeClientPorts(s.Addr(), s.DirectTLSAddr(), domain, s.certs.Pool)
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
