package server

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"chat/internal/certs"
	"chat/server/muc"
	"chat/server/store"
)

// Server is one running XMPP server for one domain.
type Server struct {
	cfg      Config
	domain   string
	store    *store.Store
	tls      *tls.Config
	cert     tls.Certificate
	reg      *registry
	locks    *userLocks
	throttle *loginThrottle
	secret   [32]byte     // keys the decoy SCRAM salts of unknown users
	queued   atomic.Int64 // bytes in all sessions' queues (see queue.go)

	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc

	ownStore bool   // opened by New, closed by Close
	tmpDir   string // made by New, removed by Close

	mu     sync.Mutex
	ln     net.Listener
	conns  map[*conn]bool // open connections → bound
	perIP  map[string]int
	pre    preAuth // the connections not logged in yet (see admit.go)
	closed bool
	wg     sync.WaitGroup

	comps components
	muc   *muc.Service // the chat room service, or nil

	archiver *archiver           // writes the message archive (archiver.go)
	resumes  resumes             // stream-management sessions by resumption id
	offMu    sync.Mutex          // guards offOwner
	offOwner map[string]*session // account → the session delivering its offline messages
	ext      extState            // the services of ext.go
	files    fileServices        // the proxy and upload services (services.go)

	regThrottle regThrottle // in-band registrations per address (register.go)
}

// New prepares a server: it opens the store, creates the configured users
// and makes a certificate if none is given. It does not listen yet.
func New(cfg Config) (*Server, error) {
	cfg.applyDefaults()
	domain, err := normalizeDomain(cfg.Domain)
	if err != nil {
		return nil, err
	}
	srv := &Server{cfg: cfg, domain: domain, reg: newRegistry(), locks: newUserLocks(),
		throttle: newLoginThrottle(cfg.AuthFailureDelay, cfg.AuthFailureMaxDelay),
		conns:    map[*conn]bool{}, perIP: map[string]int{}, pre: preAuth{perIP: map[string]int{}},
		offOwner: map[string]*session{}}
	srv.ctx, srv.cancel = context.WithCancel(context.Background())
	if cfg.loginWait != nil {
		srv.throttle.sleep = cfg.loginWait
	}
	_, _ = rand.Read(srv.secret[:])
	srv.comps.routes = map[string]Component{}
	srv.ext.init()
	if err := srv.openStore(); err != nil {
		return nil, err
	}
	if err := srv.setup(); err != nil {
		srv.releaseStore()
		return nil, err
	}
	srv.archiver = newArchiver(srv)
	if err := srv.startMUC(); err != nil {
		srv.archiver.close()
		srv.releaseStore()
		return nil, err
	}
	if err := srv.startFileServices(); err != nil {
		srv.stopFileServices()
		srv.stopMUC()
		srv.archiver.close()
		srv.releaseStore()
		return nil, err
	}
	return srv, nil
}

func (srv *Server) openStore() error {
	if srv.cfg.Store != nil {
		srv.store = srv.cfg.Store
		return nil
	}
	dir := srv.cfg.DataDir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "chat-server-")
		if err != nil {
			return fmt.Errorf("make temporary data directory: %w", err)
		}
		dir, srv.tmpDir = tmp, tmp
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("make data directory %s: %w", dir, err)
	}
	st, err := store.Open(filepath.Join(dir, "server.db"))
	if err != nil {
		srv.releaseStore()
		return fmt.Errorf("open server store in %s: %w", dir, err)
	}
	srv.store, srv.ownStore = st, true
	return nil
}

func (srv *Server) releaseStore() {
	if srv.ownStore && srv.store != nil {
		srv.store.Close()
	}
	if srv.tmpDir != "" {
		os.RemoveAll(srv.tmpDir)
	}
}

func (srv *Server) setup() error {
	for name, pass := range srv.cfg.Users {
		if err := srv.AddUser(srv.ctx, name, pass); err != nil {
			return err
		}
	}
	cert := srv.cfg.Certificate
	if len(cert.Certificate) == 0 {
		var err error
		if cert, err = GenerateCertificate(srv.domain); err != nil {
			return err
		}
	}
	cfg, err := serverTLS(cert)
	if err != nil {
		return err
	}
	srv.cert, srv.tls = cert, cfg
	return nil
}

// AddUser creates an account (a localpart or a bare JID of the domain) or
// resets its password.
func (srv *Server) AddUser(ctx context.Context, name, password string) error {
	u, err := userJID(srv.domain, name)
	if err != nil {
		return err
	}
	if err := srv.store.SetUser(ctx, u.String(), password); err != nil {
		return fmt.Errorf("create user %s: %w", u, err)
	}
	return nil
}

// Domain returns the domain served, in canonical form.
func (srv *Server) Domain() string { return srv.domain }

// Fingerprint returns the SHA-256 of the leaf certificate, AB:CD:… form.
func (srv *Server) Fingerprint() string { return certs.Fingerprint(srv.cert.Certificate[0]) }

// CertPEM returns the certificate chain as PEM, for clients to trust.
func (srv *Server) CertPEM() []byte { return certPEM(srv.cert.Certificate) }

// Listen opens the listening socket (Config.Listen) if it is not open yet.
func (srv *Server) Listen() error {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.closed {
		return errors.New("server closed")
	}
	if srv.ln != nil {
		return nil
	}
	ln, err := net.Listen("tcp", srv.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", srv.cfg.Listen, err)
	}
	srv.ln = ln
	return nil
}

// Addr returns the listening address, or nil before Listen.
func (srv *Server) Addr() net.Addr {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.ln == nil {
		return nil
	}
	return srv.ln.Addr()
}

// ListenAndServe listens (if not yet) and serves until ctx is done or
// Close is called; then it closes the server.
func (srv *Server) ListenAndServe(ctx context.Context) error { return srv.Serve(ctx) }

// Serve accepts connections until ctx is done or Close is called, listening
// first if Listen was not called. It returns nil after a Close.
func (srv *Server) Serve(ctx context.Context) error {
	if err := srv.Listen(); err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { srv.Close() })
	defer stop()
	srv.mu.Lock()
	ln := srv.ln
	srv.mu.Unlock()
	srv.logf("serving %s on %s (certificate SHA-256 %s)", srv.domain, ln.Addr(), srv.Fingerprint())
	delay := 5 * time.Millisecond
	for {
		raw, err := ln.Accept()
		if err != nil {
			if srv.ctx.Err() != nil {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, os.ErrDeadlineExceeded) || isTemporary(err) {
				time.Sleep(delay) // e.g. out of file descriptors: wait rather than spin
				delay = min(2*delay, time.Second)
				continue
			}
			return fmt.Errorf("accept: %w", err)
		}
		delay = 5 * time.Millisecond
		srv.admit(raw)
	}
}

func isTemporary(err error) bool {
	t, ok := err.(interface{ Temporary() bool })
	return ok && t.Temporary()
}

func remoteIP(c net.Conn) string {
	host, _, err := net.SplitHostPort(c.RemoteAddr().String())
	if err != nil {
		return c.RemoteAddr().String()
	}
	return host
}

// Close stops listening, ends every session with a system-shutdown stream
// error, waits for the connections to finish and closes the store if New
// opened it.
func (srv *Server) Close() error {
	srv.mu.Lock()
	if srv.closed {
		srv.mu.Unlock()
		srv.wg.Wait()
		return nil
	}
	srv.closed = true
	srv.cancel()
	if srv.ln != nil {
		srv.ln.Close()
	}
	for c, bound := range srv.conns {
		if !bound {
			c.raw.Close()
		}
	}
	srv.mu.Unlock()
	for _, s := range srv.reg.all() {
		s.end(errStream("system-shutdown", "the server is stopping"), false)
	}
	srv.wg.Wait()
	srv.stopMUC()
	srv.stopFileServices()
	srv.settleDetached()
	srv.archiver.close()
	srv.releaseStore()
	return nil
}

// Sessions returns the number of bound sessions.
func (srv *Server) Sessions() int { return srv.reg.len() }

// Conns returns the number of open connections, bound or not.
func (srv *Server) Conns() int {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	return len(srv.conns)
}

func (srv *Server) logf(format string, args ...any) { srv.cfg.Logf(format, args...) }
