package client

import (
	"crypto/tls"
	"slices"
	"testing"
)

func TestUsableMechanismsUnderTLS13NeedTLSExporter(t *testing.T) {
	offered := []string{"PLAIN", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-1"}
	cases := []struct {
		version uint16
		cb      []string
		want    string
	}{
		{tls.VersionTLS12, nil, "SCRAM-SHA-1-PLUS"},
		{tls.VersionTLS13, nil, "SCRAM-SHA-1"},
		{tls.VersionTLS13, []string{"tls-unique"}, "SCRAM-SHA-1"},
		{tls.VersionTLS13, []string{"tls-unique", "tls-exporter"}, "SCRAM-SHA-1-PLUS"},
	}
	for _, c := range cases {
		got := pickMechanism(usableMechanisms(slices.Clone(offered), c.version, c.cb))
		if got != c.want {
			t.Errorf("TLS %x, cb %v: picked %s, want %s", c.version, c.cb, got, c.want)
		}
	}
}
