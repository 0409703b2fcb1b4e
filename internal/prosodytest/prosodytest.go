// Package prosodytest starts a real Prosody XMPP server (the Debian package)
// for integration tests: one instance per test package, on free loopback
// ports, with a throwaway CA, certificate, config, data and log folder.
//
// Use Main from TestMain, Require in each test, and NewUser for a fresh
// account per test. The package is for tests only: it must never be imported
// by non-test code, never listen on anything but loopback, and never leave a
// Prosody process or temp folder behind.
package prosodytest

import (
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"time"

	"chat/internal/certs"
	"chat/internal/servertest"
)

// ErrUnavailable is returned (wrapped) by Start when the prosody binaries are
// not installed; callers skip their integration tests with that reason.
var ErrUnavailable = errors.New("prosody is not installed (apt-get install prosody)")

const (
	domain    = "localhost"
	mucDomain = "conference.localhost"
	// dirPrefix names the temp folder, so stale ones can be swept.
	dirPrefix = "prosodytest-"
	// pidName is the pidfile Prosody writes in the temp folder.
	pidName = "prosody.pid"
	// startTimeout bounds how long Start waits for the ports to accept.
	startTimeout = 10 * time.Second
	// stopTimeout bounds how long Stop waits after SIGTERM before SIGKILL.
	stopTimeout = 5 * time.Second
)

// Options tunes the server; the zero value is a sensible default.
type Options struct {
	// Auth is the Prosody authentication provider: "internal_hashed"
	// (default; offers SCRAM-SHA-1 and PLAIN) or "internal_plain" (also
	// offers SCRAM-SHA-256).
	Auth string
	// Modules are loaded on top of the default module list.
	Modules []string
	// ExtraConfig is Lua appended to the global section of the config,
	// after the defaults, so it can override them (for example
	// "allow_registration = true" with Modules {"register"}).
	ExtraConfig string
}

// Server is one running (or stopped) Prosody instance. Its Stop (SIGTERM,
// then SIGKILL after a few seconds; the temp folder removed), Restart (on
// the same ports and data) and Kill (SIGKILL, data kept) come from
// servertest.Daemon.
type Server struct {
	servertest.Daemon
	prosody, prosodyctl string
	dir, cfgFile        string
	logFile, outFile    string
	c2sPort, tlsPort    int
	certs               *certs.CAFiles
	users               atomic.Int64
}

// Start makes a temp folder, certificates and a config, starts Prosody and
// waits until its ports accept connections. It wraps ErrUnavailable when
// Prosody is not installed.
func Start(opts Options) (*Server, error) { return servertest.Booted(prepare(opts)) }

func prepare(opts Options) (*Server, error) {
	prosody, err := exec.LookPath("prosody")
	if err != nil {
		return nil, fmt.Errorf("find prosody: %w (%v)", ErrUnavailable, err)
	}
	prosodyctl, err := exec.LookPath("prosodyctl")
	if err != nil {
		return nil, fmt.Errorf("find prosodyctl: %w (%v)", ErrUnavailable, err)
	}
	auth := opts.Auth
	if auth == "" {
		auth = "internal_hashed"
	}
	servertest.SweepStale(os.TempDir(), dirPrefix, pidName)
	dir, err := os.MkdirTemp("", dirPrefix)
	if err != nil {
		return nil, fmt.Errorf("make temp dir: %w", err)
	}
	s := &Server{
		prosody:    prosody,
		prosodyctl: prosodyctl,
		dir:        dir,
		cfgFile:    filepath.Join(dir, "prosody.cfg.lua"),
		logFile:    filepath.Join(dir, "prosody.log"),
		outFile:    filepath.Join(dir, "stdout.log"),
	}
	if err := s.writeFiles(auth, opts); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.Daemon = s.daemon()
	return s, nil
}

func (s *Server) writeFiles(auth string, opts Options) error {
	dataDir := filepath.Join(s.dir, "data")
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return fmt.Errorf("make data dir: %w", err)
	}
	cf, err := certs.WriteCA(s.dir, "prosodytest CA", domain)
	if err != nil {
		return fmt.Errorf("write certificates: %w", err)
	}
	s.certs = cf
	ports, err := servertest.FreePorts(2)
	if err != nil {
		return err
	}
	s.c2sPort, s.tlsPort = ports[0], ports[1]
	cfg := renderConfig(configParams{
		dir: s.dir, dataDir: dataDir, logFile: s.logFile,
		pidFile:  filepath.Join(s.dir, pidName),
		certFile: cf.CertFile, keyFile: cf.KeyFile,
		domain: domain, mucDomain: mucDomain,
		c2sPort: s.c2sPort, tlsPort: s.tlsPort,
		auth: auth, modules: opts.Modules, extra: opts.ExtraConfig,
	})
	if err := os.WriteFile(s.cfgFile, []byte(cfg), 0o600); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	return nil
}

// Addr is the STARTTLS client port, "127.0.0.1:PORT".
func (s *Server) Addr() string { return servertest.HostPort(s.c2sPort) }

// DirectTLSAddr is the XEP-0368 direct TLS client port.
func (s *Server) DirectTLSAddr() string { return servertest.HostPort(s.tlsPort) }

// Domain is the XMPP domain of the virtual host ("localhost").
func (s *Server) Domain() string { return domain }

// MUCDomain is the multi-user chat service ("conference.localhost").
func (s *Server) MUCDomain() string { return mucDomain }

// CAFile is the path of the PEM CA certificate that signed the server's.
func (s *Server) CAFile() string { return s.certs.CAFile }

// CertPool holds the test CA, for tls.Config.RootCAs.
func (s *Server) CertPool() *x509.CertPool { return s.certs.Pool }

// Fingerprint is the SHA-256 of the server certificate, as AB:CD:...
func (s *Server) Fingerprint() string { return certs.Fingerprint(s.certs.LeafDER) }

// Dir is the server's temp folder (config, certificates, data, logs).
func (s *Server) Dir() string { return s.dir }
