package server

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Names of the certificate and key kept in a data directory.
const (
	CertFile = "cert.pem"
	KeyFile  = "key.pem"
)

// renewBefore is how long before it expires a kept certificate is
// replaced, so that a server started today still has one tomorrow.
const renewBefore = 24 * time.Hour

// KeepCertificate returns the certificate kept in dir (CertFile and
// KeyFile), so that clients that pinned its fingerprint still trust the
// server after a restart. With none there it makes one (see
// GenerateCertificate) and saves it; it makes a new one too when the one
// kept has expired (or expires within a day) or is not for domain, and
// then note says why, for the operator. A kept pair that cannot be read
// is an error, not silently replaced. dir is made 0700 and the files
// 0600, whatever their modes were.
func KeepCertificate(dir, domain string) (cert tls.Certificate, note string, err error) {
	if err := PrivateDir(dir); err != nil {
		return tls.Certificate{}, "", err
	}
	certPath, keyPath := filepath.Join(dir, CertFile), filepath.Join(dir, KeyFile)
	cert, err = LoadCertificate(certPath, keyPath)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		note = "made a new certificate in " + dir
	case err != nil:
		return tls.Certificate{}, "", fmt.Errorf("%w (remove both files to make a new certificate)", err)
	default:
		if why := unfit(cert.Leaf, domain, time.Now()); why != "" {
			note = "made a new certificate in " + dir + ": the one kept there " + why
		} else {
			return cert, "", chmodPrivate(certPath, keyPath)
		}
	}
	cert, err = GenerateCertificate(domain)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	if err := saveCertificate(cert, certPath, keyPath); err != nil {
		return tls.Certificate{}, "", err
	}
	return cert, note, nil
}

// LoadCertificate reads a PEM certificate chain and its private key.
func LoadCertificate(certPath, keyPath string) (tls.Certificate, error) {
	certPEM, err := os.ReadFile(certPath)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("read certificate: %w", err)
	}
	keyPEM, err := os.ReadFile(keyPath)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("read key: %w", err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("certificate %s with key %s: %w", certPath, keyPath, err)
	}
	return cert, nil
}

// CertificateProblem says what is wrong with cert for serving domain now
// (expired, not yet valid, for another name), or returns "".
func CertificateProblem(cert tls.Certificate, domain string) string {
	return unfit(cert.Leaf, domain, time.Now())
}

func unfit(leaf *x509.Certificate, domain string, now time.Time) string {
	switch {
	case leaf == nil:
		return "has no certificate"
	case now.Add(renewBefore).After(leaf.NotAfter):
		return "expires " + leaf.NotAfter.UTC().Format(time.DateTime) + " UTC"
	case now.Before(leaf.NotBefore):
		return "is not valid before " + leaf.NotBefore.UTC().Format(time.DateTime) + " UTC"
	case leaf.VerifyHostname(domain) != nil:
		return "is not for " + domain
	}
	return ""
}

// saveCertificate writes the chain and key, each 0600, each through a
// temporary file renamed into place so that a crash leaves the old pair or
// the new one.
func saveCertificate(cert tls.Certificate, certPath, keyPath string) error {
	der, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		return fmt.Errorf("encode key: %w", err)
	}
	key := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	if err := writePrivate(keyPath, key); err != nil {
		return err
	}
	return writePrivate(certPath, certPEM(cert.Certificate))
}

func writePrivate(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	defer os.Remove(f.Name())
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	return nil
}

// PrivateDir makes dir (and its parents) if needed and sets its mode to
// 0700 whatever it was, for a directory that holds keys, credentials or
// messages.
func PrivateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("make directory %s: %w", dir, err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("make directory %s private: %w", dir, err)
	}
	return nil
}

func chmodPrivate(paths ...string) error {
	for _, p := range paths {
		if err := os.Chmod(p, 0o600); err != nil {
			return fmt.Errorf("make %s private: %w", p, err)
		}
	}
	return nil
}
