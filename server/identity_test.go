package server

import (
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chat/internal/certs"
)

// TestKeepCertificateReused: a second start with the same data dir serves
// the same certificate, so pinned fingerprints stay valid; the directory
// ends up 0700 and the files 0600 whatever they were.
func TestKeepCertificateReused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "server")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	first, note, err := KeepCertificate(dir, "localhost")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(note, "new certificate") {
		t.Errorf("first start: note %q, want one saying a certificate was made", note)
	}
	for _, f := range []string{CertFile, KeyFile} {
		if err := os.Chmod(filepath.Join(dir, f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	second, note, err := KeepCertificate(dir, "localhost")
	if err != nil {
		t.Fatal(err)
	}
	if note != "" {
		t.Errorf("second start: note %q, want none", note)
	}
	if a, b := fingerprint(first), fingerprint(second); a != b {
		t.Fatalf("fingerprint changed across starts: %s, then %s", a, b)
	}
	wantMode(t, dir, 0o700)
	wantMode(t, filepath.Join(dir, CertFile), 0o600)
	wantMode(t, filepath.Join(dir, KeyFile), 0o600)
}

// TestKeepCertificateRenewed: an expired certificate, or one for another
// domain, is replaced, and the note says why.
func TestKeepCertificateRenewed(t *testing.T) {
	t.Run("expired", func(t *testing.T) {
		dir := t.TempDir()
		old := expiredCertificate(t, "localhost")
		if err := saveCertificate(old, filepath.Join(dir, CertFile), filepath.Join(dir, KeyFile)); err != nil {
			t.Fatal(err)
		}
		cert, note, err := KeepCertificate(dir, "localhost")
		if err != nil {
			t.Fatal(err)
		}
		if fingerprint(cert) == fingerprint(old) || !strings.Contains(note, "expires") {
			t.Fatalf("expired certificate kept (note %q)", note)
		}
		again, _, err := KeepCertificate(dir, "localhost")
		if err != nil || fingerprint(again) != fingerprint(cert) {
			t.Fatalf("the renewed certificate was not saved: %v", err)
		}
	})
	t.Run("other domain", func(t *testing.T) {
		dir := t.TempDir()
		a, _, err := KeepCertificate(dir, "a.example")
		if err != nil {
			t.Fatal(err)
		}
		b, note, err := KeepCertificate(dir, "b.example")
		if err != nil {
			t.Fatal(err)
		}
		if fingerprint(a) == fingerprint(b) || !strings.Contains(note, "not for b.example") {
			t.Fatalf("certificate for a.example kept for b.example (note %q)", note)
		}
	})
}

// TestKeepCertificateUnreadable: a damaged pair is an error, not quietly
// replaced by a certificate nobody pinned.
func TestKeepCertificateUnreadable(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := KeepCertificate(dir, "localhost"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, KeyFile), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := KeepCertificate(dir, "localhost"); err == nil {
		t.Fatal("a damaged key was accepted")
	}
}

func expiredCertificate(t *testing.T, domain string) tls.Certificate {
	t.Helper()
	now := time.Now()
	c, err := certs.Issue(&x509.Certificate{
		Subject:   pkix.Name{CommonName: domain},
		NotBefore: now.AddDate(-1, 0, -1),
		NotAfter:  now.AddDate(0, 0, -1),
		DNSNames:  []string{domain},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{c.DER}, PrivateKey: c.Key, Leaf: c.Cert}
}

func fingerprint(c tls.Certificate) string { return certs.Fingerprint(c.Certificate[0]) }

func wantMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s: mode %#o, want %#o", filepath.Base(path), got, want)
	}
}
