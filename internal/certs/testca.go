package certs

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"
)

// CAFiles are a test CA and a server certificate it signed, written as PEM
// files for a test server to load.
type CAFiles struct {
	CAFile   string // ca.pem: the CA certificate
	CertFile string // server.crt: the server certificate
	KeyFile  string // server.key: the server's PKCS #8 private key
	Pool     *x509.CertPool
	LeafDER  []byte // the server certificate
}

// WriteCA makes a CA named caName and a server certificate for domain
// (plus 127.0.0.1 and ::1) signed by it, both valid for 30 days, and
// writes them with mode 0600 into dir as ca.pem, server.crt and
// server.key.
func WriteCA(dir, caName, domain string) (*CAFiles, error) {
	now := time.Now()
	ca, err := Issue(&x509.Certificate{
		Subject:               pkix.Name{CommonName: caName},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(30 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}, nil)
	if err != nil {
		return nil, fmt.Errorf("CA: %w", err)
	}
	leaf, err := Issue(&x509.Certificate{
		Subject:     pkix.Name{CommonName: domain},
		NotBefore:   now.Add(-time.Hour),
		NotAfter:    now.Add(30 * 24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:    []string{domain},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}, ca)
	if err != nil {
		return nil, fmt.Errorf("server certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(leaf.Key)
	if err != nil {
		return nil, fmt.Errorf("marshal server key: %w", err)
	}
	f := &CAFiles{
		CAFile:   filepath.Join(dir, "ca.pem"),
		CertFile: filepath.Join(dir, "server.crt"),
		KeyFile:  filepath.Join(dir, "server.key"),
		Pool:     x509.NewCertPool(),
		LeafDER:  leaf.DER,
	}
	f.Pool.AddCert(ca.Cert)
	err = writePEM([]pemFile{
		{f.CAFile, "CERTIFICATE", ca.DER},
		{f.CertFile, "CERTIFICATE", leaf.DER},
		{f.KeyFile, "PRIVATE KEY", keyDER},
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// pemFile is one PEM block to write to path.
type pemFile struct {
	path, typ string
	der       []byte
}

func writePEM(files []pemFile) error {
	for _, f := range files {
		data := pem.EncodeToMemory(&pem.Block{Type: f.typ, Bytes: f.der})
		if err := os.WriteFile(f.path, data, 0o600); err != nil {
			return fmt.Errorf("write %s: %w", f.path, err)
		}
	}
	return nil
}
