package server

import (
	"context"
	"crypto/tls"
	"fmt"
	"time"

	"chat/server/store"

	"mellium.im/xmpp/jid"
)

// Config describes one server. Zero values get the defaults given.
type Config struct {
	Listen string // "host:port" to listen on (default 127.0.0.1:5222)
	Domain string // the domain served (default localhost)

	// Store holds accounts, rosters and offline messages. If nil, a store
	// is opened in DataDir (server.db) and closed by Close; if DataDir is
	// empty too, in a temporary directory removed by Close.
	Store   *store.Store
	DataDir string

	// MUCDomain is the multi-user chat service's domain: default
	// conference.<Domain>, "-" for no service.
	MUCDomain string

	// ProxyDomain is the XEP-0065 SOCKS5 proxy's domain (default
	// proxy.<Domain>, "-" for none); ProxyListen its SOCKS5 address
	// (default 127.0.0.1:0).
	ProxyDomain, ProxyListen string
	// UploadDomain is the XEP-0363 HTTP upload service's domain (default
	// upload.<Domain>, "-" for none), with files under DataDir/upload (or
	// the temporary directory); UploadListen its HTTP address (default
	// 127.0.0.1:0) and UploadMaxSize the largest file (default 100 MiB).
	UploadDomain, UploadListen string
	UploadMaxSize              int64

	// AllowRegister lets clients create accounts in band (XEP-0077), at
	// most RegisterBurst (default 3) per address per RegisterWindow
	// (default 1h).
	AllowRegister  bool
	RegisterBurst  int
	RegisterWindow time.Duration

	// Users are created (or their passwords reset) at start: localpart or
	// bare JID → password.
	Users map[string]string

	// Certificate is the TLS certificate; if it is zero a self-signed one
	// is generated at start for Domain (see GenerateCertificate).
	Certificate tls.Certificate

	// Logf receives one line per notable event (connections, logins,
	// drops). Nil means silent.
	Logf func(format string, args ...any)

	MaxConns         int           // open connections in all (default 1000)
	MaxConnsPerIP    int           // open connections from one address (default 600)
	MaxStanza        int           // bytes in one stanza (default 256 KiB)
	MaxDepth         int           // element nesting in one stanza (default 64)
	MaxPreAuth       int           // open connections not logged in, in all; past it the least worth keeping is closed (default 128)
	MaxPreAuthPerIP  int           // the same, from one address (default 16)
	AuthTimeout      time.Duration // from connect to logged in (default 10s)
	HandshakeTimeout time.Duration // from connect to bound resource (default 30s)
	WriteTimeout     time.Duration // one write to a client (default 30s)
	QueueSize        int           // stanzas waiting for one client; a sender waits for room past it (default 512)
	QueueBytes       int           // bytes waiting for (or being written to) one client; a sender waits for room past it (default 8 MiB)
	MaxQueuedBytes   int           // bytes waiting for all clients; past it the one with most waiting is dropped (default 128 MiB)
	SendWait         time.Duration // how long a sender waits for room in a full queue whose writer makes no progress before that client is dropped (default 5s)
	ResumeTimeout    time.Duration // how long a broken stream-management session may be resumed (default 5m)
	MaxAuthFailures  int           // failed SASL attempts on one connection before it is closed (default 3)
	// A failed login makes the next attempt on the same account, and from
	// the same address, wait AuthFailureDelay; each further failure doubles
	// the wait up to AuthFailureMaxDelay. A success resets the account.
	AuthFailureDelay    time.Duration // default 500ms; negative: no waiting
	AuthFailureMaxDelay time.Duration // default 5s

	// loginWait, if set, replaces the throttle's sleep (for tests).
	loginWait func(ctx context.Context, d time.Duration) error
}

func (c *Config) applyDefaults() {
	str := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	num := func(n *int, v int) {
		if *n <= 0 {
			*n = v
		}
	}
	dur := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	str(&c.Listen, "127.0.0.1:5222")
	str(&c.Domain, "localhost")
	num(&c.MaxConns, 1000)
	num(&c.MaxConnsPerIP, 600)
	num(&c.MaxStanza, 256<<10)
	num(&c.MaxDepth, 64)
	num(&c.MaxPreAuth, 128)
	num(&c.MaxPreAuthPerIP, 16)
	num(&c.QueueSize, 512)
	num(&c.QueueBytes, 8<<20)
	num(&c.MaxQueuedBytes, 128<<20)
	num(&c.MaxAuthFailures, 3)
	num(&c.RegisterBurst, 3)
	dur(&c.RegisterWindow, time.Hour)
	dur(&c.AuthTimeout, 10*time.Second)
	dur(&c.HandshakeTimeout, 30*time.Second)
	dur(&c.WriteTimeout, 30*time.Second)
	dur(&c.SendWait, 5*time.Second)
	dur(&c.ResumeTimeout, 5*time.Minute)
	if c.AuthFailureDelay == 0 {
		c.AuthFailureDelay = 500 * time.Millisecond
	}
	dur(&c.AuthFailureMaxDelay, 5*time.Second)
	if c.Logf == nil {
		c.Logf = func(string, ...any) {}
	}
}

// normalizeDomain checks the configured domain and returns its canonical
// form.
func normalizeDomain(d string) (string, error) {
	j, err := jid.New("", d, "")
	if err != nil {
		return "", fmt.Errorf("domain %q: %w", d, err)
	}
	return j.Domainpart(), nil
}

// userJID turns a localpart or bare JID of this domain into the canonical
// bare JID the store is keyed by.
func userJID(domain, name string) (jid.JID, error) {
	local := name
	if j, err := jid.Parse(name); err == nil && j.Localpart() != "" {
		if j.Domainpart() != domain {
			return jid.JID{}, fmt.Errorf("user %q is not of domain %s", name, domain)
		}
		local = j.Localpart()
	}
	j, err := jid.New(local, domain, "")
	if err != nil || j.Localpart() == "" {
		return jid.JID{}, fmt.Errorf("user %q: not a valid localpart", name)
	}
	return j, nil
}
