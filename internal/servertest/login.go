package servertest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"testing"
	"time"

	"mellium.im/sasl"
	"mellium.im/xmpp"
	"mellium.im/xmpp/jid"
)

// Server is what the shared checks need of a started test server; the
// servers of prosodytest and ejabberdtest both have it.
type Server interface {
	Addr() string          // STARTTLS client port
	DirectTLSAddr() string // XEP-0368 direct TLS port
	Domain() string
	CAFile() string
	CertPool() *x509.CertPool
	Fingerprint() string
	Dir() string
	NewUser(t testing.TB) (jid, pass string)
	AddUser(user, pass string) error
	Restart() error
	Kill()
	Stop() error
	Running() bool
	Pid() int
	LogTail(n int) string
}

// TLSConfig trusts s's test CA for its domain.
func TLSConfig(s Server) *tls.Config {
	return &tls.Config{RootCAs: s.CertPool(), ServerName: s.Domain()}
}

// Login opens a client session to addr (STARTTLS, or direct TLS), logs in
// as bare with one of mechs and binds a resource, then closes it. It
// returns the bound full JID.
func Login(cfg *tls.Config, direct bool, addr, bare, pass string, mechs ...sasl.Mechanism) (jid.JID, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	origin, err := jid.Parse(bare)
	if err != nil {
		return jid.JID{}, err
	}
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return jid.JID{}, err
	}
	defer conn.Close()
	var rw net.Conn = conn
	var feats []xmpp.StreamFeature
	if direct {
		rw = tls.Client(conn, cfg)
	} else {
		feats = append(feats, xmpp.StartTLS(cfg))
	}
	feats = append(feats, xmpp.SASL("", pass, mechs...), xmpp.BindResource())
	sess, err := xmpp.NewClientSession(ctx, origin, rw, feats...)
	if err != nil {
		return jid.JID{}, err
	}
	full := sess.LocalAddr()
	return full, sess.Close()
}

// login logs in to s's STARTTLS port.
func login(s Server, bare, pass string, mechs ...sasl.Mechanism) error {
	_, err := Login(TLSConfig(s), false, s.Addr(), bare, pass, mechs...)
	return err
}

// PlainFeatures opens a stream to s's STARTTLS port and returns the
// features offered before TLS.
func PlainFeatures(t testing.TB, s Server) *Features {
	t.Helper()
	conn, err := net.DialTimeout("tcp", s.Addr(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	f, err := OpenStream(conn, s.Domain())
	if err != nil {
		t.Fatalf("open stream: %v\n%s", err, s.LogTail(20))
	}
	return f
}

// AfterStartTLS upgrades a stream to s's STARTTLS port with cfg and
// returns the TLS connection (closed when t ends) and the features offered
// on it.
func AfterStartTLS(t testing.TB, s Server, cfg *tls.Config) (*tls.Conn, *Features) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", s.Addr(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	tc, f, err := StartTLS(conn, s.Domain(), cfg)
	if err != nil {
		t.Fatalf("starttls: %v\n%s", err, s.LogTail(20))
	}
	return tc, f
}
