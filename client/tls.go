package client

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"

	"chat/internal/certs"
)

// UntrustedCertError is returned when the server's certificate does not
// verify against the trusted roots and its fingerprint is not pinned.
type UntrustedCertError struct {
	Fingerprint string // SHA-256 of the leaf certificate, AB:CD:… form
	Subject     string
	Err         error // why verification failed
}

func (e *UntrustedCertError) Error() string {
	return fmt.Sprintf("untrusted certificate for %s (SHA-256 %s): %v; trust it with --tls-ca FILE or pin the fingerprint in the account config (pins = [\"%s\"])",
		e.Subject, e.Fingerprint, e.Err, e.Fingerprint)
}

// Fingerprint returns the SHA-256 fingerprint of a DER certificate as
// upper-case hex pairs separated by colons.
func Fingerprint(der []byte) string { return certs.Fingerprint(der) }

// normalizeFingerprint strips separators and upper-cases a fingerprint so
// that "ab:cd" and "ABCD" compare equal.
func normalizeFingerprint(s string) string {
	r := strings.NewReplacer(":", "", " ", "", "-", "")
	return strings.ToUpper(r.Replace(s))
}

// TLSPolicy says which certificates the engine accepts.
type TLSPolicy struct {
	CAFile string   // PEM file of extra trusted certificates, added to the system roots
	Pins   []string // SHA-256 fingerprints accepted even when the chain does not verify
	Roots  *x509.CertPool
}

// config builds the tls.Config for serverName. Verification is done in
// VerifyConnection so that a failure can name the fingerprint and a pin can
// accept a certificate the chain check refuses.
func (p TLSPolicy) config(serverName string) (*tls.Config, error) {
	roots, err := p.roots()
	if err != nil {
		return nil, err
	}
	pins := make(map[string]bool, len(p.Pins))
	for _, pin := range p.Pins {
		pins[normalizeFingerprint(pin)] = true
	}
	return &tls.Config{
		ServerName:         serverName,
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // replaced by VerifyConnection below
		VerifyConnection: func(cs tls.ConnectionState) error {
			return verify(cs, serverName, roots, pins)
		},
	}, nil
}

func (p TLSPolicy) roots() (*x509.CertPool, error) {
	if p.Roots != nil {
		return p.Roots, nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if p.CAFile == "" {
		return pool, nil
	}
	pem, err := os.ReadFile(p.CAFile)
	if err != nil {
		return nil, fmt.Errorf("read TLS CA file: %w", err)
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("TLS CA file %s holds no PEM certificate", p.CAFile)
	}
	return pool, nil
}

func verify(cs tls.ConnectionState, serverName string, roots *x509.CertPool, pins map[string]bool) error {
	if len(cs.PeerCertificates) == 0 {
		return errors.New("server sent no certificate")
	}
	leaf := cs.PeerCertificates[0]
	inter := x509.NewCertPool()
	for _, c := range cs.PeerCertificates[1:] {
		inter.AddCert(c)
	}
	_, err := leaf.Verify(x509.VerifyOptions{DNSName: serverName, Roots: roots, Intermediates: inter})
	if err == nil {
		return nil
	}
	fp := Fingerprint(leaf.Raw)
	if pins[normalizeFingerprint(fp)] {
		return nil
	}
	return &UntrustedCertError{Fingerprint: fp, Subject: serverName, Err: err}
}

// describeTLS returns "TLS 1.3" style text for a connection state.
func describeTLS(cs tls.ConnectionState) string {
	if cs.Version == 0 {
		return "none"
	}
	return tls.VersionName(cs.Version)
}
