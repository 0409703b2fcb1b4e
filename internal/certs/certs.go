// Package certs holds what the chat client, the embedded server and the
// test servers share about X.509 certificates: the SHA-256 fingerprint in
// the "AB:CD:…" form users see and pin, and making ECDSA P-256
// certificates (self-signed, or a test CA and a server certificate it
// signed).
//
// It must not decide trust (verification and pins belong to package
// client), build TLS configurations or touch the network.
package certs

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
)

// Fingerprint returns the SHA-256 fingerprint of a DER certificate as
// upper-case hex pairs separated by colons (AB:CD:…).
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// Issued is a certificate with its private key.
type Issued struct {
	DER  []byte
	Cert *x509.Certificate // DER parsed
	Key  *ecdsa.PrivateKey
}

// Issue makes a certificate from tmpl with a fresh P-256 key and a random
// serial number, signed by parent, or self-signed when parent is nil.
// tmpl itself is not modified.
func Issue(tmpl *x509.Certificate, parent *Issued) (*Issued, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126))
	if err != nil {
		return nil, fmt.Errorf("generate serial: %w", err)
	}
	t := *tmpl
	t.SerialNumber = serial
	signer, signerKey := &t, key
	if parent != nil {
		signer, signerKey = parent.Cert, parent.Key
	}
	der, err := x509.CreateCertificate(rand.Reader, &t, signer, &key.PublicKey, signerKey)
	if err != nil {
		return nil, fmt.Errorf("create certificate for %s: %w", t.Subject.CommonName, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parse certificate for %s: %w", t.Subject.CommonName, err)
	}
	return &Issued{DER: der, Cert: cert, Key: key}, nil
}
