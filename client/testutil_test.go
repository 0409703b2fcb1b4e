package client

import (
	"crypto/x509"
	"encoding/xml"
	"strings"
)

func emptyPool() *x509.CertPool { return x509.NewCertPool() }

func xmlDecoder(s string) *xml.Decoder { return xml.NewDecoder(strings.NewReader(s)) }
