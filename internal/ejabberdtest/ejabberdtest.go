// Package ejabberdtest starts a real ejabberd XMPP server (the Debian
// package) for integration tests: one instance per test package, on free
// loopback ports, with a throwaway CA, certificate, config, Mnesia spool,
// log folder, Erlang node name and cookie.
//
// ejabberd runs in the foreground as the current user (root included): the
// harness starts erl directly, not through ejabberdctl, so the Debian
// script's switch to the ejabberd user does not apply, and the system's
// /etc/ejabberd and /var/lib/ejabberd are never read or written. Erlang
// distribution listens on a private loopback port without epmd, so no
// daemon outlives the server.
//
// Use Main from TestMain (or Lazy for a second server in a package that
// already has a TestMain), Require in each test, and NewUser for a fresh
// account per test. The package is for tests only: it must never be
// imported by non-test code, never listen on anything but loopback, and
// never leave an ejabberd process or temp folder behind.
package ejabberdtest

import (
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"chat/internal/certs"
	"chat/internal/servertest"
)

// ErrUnavailable is returned (wrapped) by Start when ejabberd is not
// installed; callers skip their integration tests with that reason.
var ErrUnavailable = errors.New("ejabberd is not installed (apt-get install ejabberd)")

const (
	domain    = "localhost"
	mucDomain = "conference.localhost"
	// dirPrefix names the temp folder, so stale ones can be swept.
	dirPrefix = "ejabberdtest-"
	// startTimeout bounds how long Start waits for the ports to answer; a
	// cold start takes about a second on two cores.
	startTimeout = 30 * time.Second
	// stopTimeout bounds how long a graceful stop may take before SIGKILL;
	// the Erlang VM needs a few seconds to shut down.
	stopTimeout = 15 * time.Second
)

// Options tunes the server; the zero value is a sensible default.
type Options struct {
	// PasswordFormat is ejabberd's auth_password_format: "scram" (default;
	// offers SCRAM-SHA-1, its -PLUS variant and PLAIN) or "plain".
	PasswordFormat string
	// ScramHash is auth_scram_hash for the scram format: "sha" (default),
	// "sha256" or "sha512".
	ScramHash string
	// MaxTLS12 caps both client ports at TLS 1.2 (the default allows TLS
	// 1.3, as Debian's stock config does). ejabberd 23.01 offers SCRAM-SHA-1-PLUS
	// whatever the TLS version but only knows the tls-unique channel
	// binding, which TLS 1.3 lacks: a client that sends tls-exporter (as
	// mellium does on TLS 1.3) is refused with "Invalid channel binding".
	MaxTLS12 bool
	// Modules are loaded, with default options, on top of the defaults.
	Modules []string
	// ExtraConfig is YAML appended at the top level of ejabberd.yml. It
	// must not repeat a key the harness writes (see config.go).
	ExtraConfig string
}

// Server is one running (or stopped) ejabberd instance. Stop, Restart,
// Kill and Running come from servertest.Daemon (see daemon for what each
// does to the VM).
type Server struct {
	servertest.Daemon
	erl, ctl, erlLibs string
	dir, cfgDir       string
	cfgFile, logFile  string
	outFile, pidFile  string
	spoolDir          string
	node              string
	c2sPort, tlsPort  int
	httpPort          int
	certs             *certs.CAFiles
	users             atomic.Int64

	mu       sync.Mutex
	distPort int // Erlang distribution port of the node
}

// Start makes a temp folder, certificates and a config, starts ejabberd and
// waits until its ports answer. It wraps ErrUnavailable when ejabberd is not
// installed.
func Start(opts Options) (*Server, error) { return servertest.Booted(prepare(opts)) }

func prepare(opts Options) (*Server, error) {
	erl, err := exec.LookPath("erl")
	if err != nil {
		return nil, fmt.Errorf("find erl: %w (%v)", ErrUnavailable, err)
	}
	ctl, err := findCtl()
	if err != nil {
		return nil, err
	}
	libs, err := erlLibs(ctl)
	if err != nil {
		return nil, err
	}
	servertest.SweepStale(os.TempDir(), dirPrefix, pidName)
	dir, err := os.MkdirTemp("", dirPrefix)
	if err != nil {
		return nil, fmt.Errorf("make temp dir: %w", err)
	}
	s := &Server{
		erl: erl, ctl: ctl, erlLibs: libs,
		dir:      dir,
		cfgDir:   filepath.Join(dir, "etc"),
		logFile:  filepath.Join(dir, "log", "ejabberd.log"),
		outFile:  filepath.Join(dir, "stdout.log"),
		pidFile:  filepath.Join(dir, pidName),
		spoolDir: filepath.Join(dir, "spool"),
		node:     "ejabberdtest-" + servertest.RandomHex(4) + "@localhost",
	}
	s.cfgFile = filepath.Join(s.cfgDir, "ejabberd.yml")
	if err := s.writeFiles(opts); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.Daemon = s.daemon()
	return s, nil
}

func (s *Server) writeFiles(opts Options) error {
	for _, d := range []string{s.cfgDir, s.spoolDir, filepath.Dir(s.logFile)} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fmt.Errorf("make %s: %w", d, err)
		}
	}
	cf, err := certs.WriteCA(s.cfgDir, "ejabberdtest CA", domain)
	if err != nil {
		return fmt.Errorf("write certificates: %w", err)
	}
	s.certs = cf
	ports, err := servertest.FreePorts(4)
	if err != nil {
		return err
	}
	s.c2sPort, s.tlsPort, s.httpPort, s.distPort = ports[0], ports[1], ports[2], ports[3]
	cfg, err := renderConfig(configParams{
		certFiles: []string{cf.CertFile, cf.KeyFile, cf.CAFile},
		domain:    domain,
		mucDomain: mucDomain,
		c2sPort:   s.c2sPort,
		tlsPort:   s.tlsPort,
		httpPort:  s.httpPort,
		opts:      opts,
	})
	if err != nil {
		return err
	}
	if err := os.WriteFile(s.cfgFile, []byte(cfg), 0o600); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	return s.writeErlangFiles()
}

// findCtl finds ejabberdctl on PATH, or where Debian puts it (/usr/sbin is
// not on a normal user's PATH).
func findCtl() (string, error) {
	ctl, err := exec.LookPath("ejabberdctl")
	if err == nil {
		return ctl, nil
	}
	const debian = "/usr/sbin/ejabberdctl"
	if _, statErr := os.Stat(debian); statErr == nil {
		return debian, nil
	}
	return "", fmt.Errorf("find ejabberdctl: %w (%v)", ErrUnavailable, err)
}

// Addr is the STARTTLS client port, "127.0.0.1:PORT".
func (s *Server) Addr() string { return servertest.HostPort(s.c2sPort) }

// DirectTLSAddr is the XEP-0368 direct TLS client port.
func (s *Server) DirectTLSAddr() string { return servertest.HostPort(s.tlsPort) }

// APIAddr is the loopback HTTP port serving mod_http_api under /api.
func (s *Server) APIAddr() string { return servertest.HostPort(s.httpPort) }

// Domain is the XMPP domain of the virtual host ("localhost").
func (s *Server) Domain() string { return domain }

// MUCDomain is the multi-user chat service ("conference.localhost").
func (s *Server) MUCDomain() string { return mucDomain }

// Node is the Erlang node name of the server.
func (s *Server) Node() string { return s.node }

// CAFile is the path of the PEM CA certificate that signed the server's.
func (s *Server) CAFile() string { return s.certs.CAFile }

// CertPool holds the test CA, for tls.Config.RootCAs.
func (s *Server) CertPool() *x509.CertPool { return s.certs.Pool }

// Fingerprint is the SHA-256 of the server certificate, as AB:CD:...
func (s *Server) Fingerprint() string { return certs.Fingerprint(s.certs.LeafDER) }

// Dir is the server's temp folder (config, certificates, spool, logs).
func (s *Server) Dir() string { return s.dir }
