package certs

import (
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestFingerprintForm(t *testing.T) {
	// SHA-256("abc") is the FIPS 180-2 test vector.
	const want = "BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD"
	if got := Fingerprint([]byte("abc")); got != want {
		t.Errorf("Fingerprint(abc) = %s, want %s", got, want)
	}
}

func TestIssueSelfSignedAndSigned(t *testing.T) {
	now := time.Now()
	tmpl := &x509.Certificate{
		Subject:               pkix.Name{CommonName: "root"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(time.Hour),
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	ca, err := Issue(tmpl, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tmpl.SerialNumber != nil {
		t.Error("Issue modified the template")
	}
	if err := ca.Cert.CheckSignatureFrom(ca.Cert); err != nil {
		t.Errorf("self-signed certificate does not verify against itself: %v", err)
	}
	leaf, err := Issue(&x509.Certificate{
		Subject:   pkix.Name{CommonName: "leaf"},
		NotBefore: now.Add(-time.Hour),
		NotAfter:  now.Add(time.Hour),
		DNSNames:  []string{"example.org"},
	}, ca)
	if err != nil {
		t.Fatal(err)
	}
	if err := leaf.Cert.CheckSignatureFrom(ca.Cert); err != nil {
		t.Errorf("leaf not signed by the CA: %v", err)
	}
	if leaf.Cert.SerialNumber.Cmp(ca.Cert.SerialNumber) == 0 {
		t.Error("CA and leaf share a serial number")
	}
}

func TestWriteCA(t *testing.T) {
	dir := t.TempDir()
	f, err := WriteCA(dir, "test CA", "example.org")
	if err != nil {
		t.Fatal(err)
	}
	pair, err := tls.LoadX509KeyPair(f.CertFile, f.KeyFile)
	if err != nil {
		t.Fatalf("server files do not load: %v", err)
	}
	if string(pair.Certificate[0]) != string(f.LeafDER) {
		t.Error("server.crt is not LeafDER")
	}
	leaf, err := x509.ParseCertificate(f.LeafDER)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"example.org", "127.0.0.1", "::1"} {
		if _, err := leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: f.Pool}); err != nil {
			t.Errorf("leaf does not verify for %s against the pool: %v", name, err)
		}
	}
	caPEM, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(caPEM) {
		t.Fatal("ca.pem holds no certificate")
	}
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: "example.org", Roots: roots}); err != nil {
		t.Errorf("leaf does not verify against ca.pem: %v", err)
	}
	if fi, err := os.Stat(f.KeyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("server.key: %v, %v; want mode 0600", fi, err)
	}
}
