package server

import (
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"net"
	"time"

	"chat/internal/certs"
)

// GenerateCertificate makes a self-signed ECDSA P-256 certificate valid for
// a year, for domain and for localhost, 127.0.0.1 and ::1. KeepCertificate
// keeps one across restarts.
func GenerateCertificate(domain string) (tls.Certificate, error) {
	names := []string{domain}
	if domain != "localhost" {
		names = append(names, "localhost")
	}
	now := time.Now()
	c, err := certs.Issue(&x509.Certificate{
		Subject:               pkix.Name{CommonName: domain, Organization: []string{"chat test server"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(1, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              names,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}, nil)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{c.DER}, PrivateKey: c.Key, Leaf: c.Cert}, nil
}

// certPEM encodes a certificate chain as PEM blocks.
func certPEM(chain [][]byte) []byte {
	var out []byte
	for _, der := range chain {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	return out
}

// serverTLS builds the TLS configuration: TLS 1.2 or later, no
// renegotiation, ALPN xmpp-client for clients that ask.
func serverTLS(cert tls.Certificate) (*tls.Config, error) {
	if len(cert.Certificate) == 0 {
		return nil, errors.New("TLS certificate has no chain")
	}
	return &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS12,
		NextProtos:   []string{"xmpp-client"},
	}, nil
}
