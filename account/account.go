package account

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"

	"mellium.im/xmpp/jid"
)

// Account is one [[account]] table of the config file. It has no password
// field on purpose: see Secrets.
type Account struct {
	// JID is the account's bare JID (user@domain).
	JID string `toml:"jid"`
	// Server is a host:port that overrides DNS SRV lookup; "" means SRV.
	Server string `toml:"server,omitempty"`
	// DirectTLS connects with TLS from the first byte (XEP-0368) instead of
	// STARTTLS.
	DirectTLS bool `toml:"direct_tls,omitempty"`
	// TLSCA is a PEM file of extra CA or server certificates to trust.
	TLSCA string `toml:"tls_ca,omitempty"`
	// Pins are SHA-256 certificate fingerprints accepted even when the
	// chain does not verify; see NormalizeFingerprint for the format.
	Pins []string `toml:"pins,omitempty"`
	// PasswordCommand is a shell command line that prints the password.
	PasswordCommand string `toml:"password_command,omitempty"`
	// Resource is the requested resourcepart; "" lets the server choose.
	Resource string `toml:"resource,omitempty"`
	// Priority is the presence priority, -128..127.
	Priority int `toml:"priority,omitempty"`
	// AutoConnect says whether to connect at start; nil means true. Use
	// AutoConnectEnabled to read it.
	AutoConnect *bool `toml:"autoconnect,omitempty"`
}

// AutoConnectEnabled reports whether the account connects at start
// (true unless autoconnect = false is written).
func (a *Account) AutoConnectEnabled() bool {
	return a.AutoConnect == nil || *a.AutoConnect
}

// SetAutoConnect sets the autoconnect flag explicitly.
func (a *Account) SetAutoConnect(on bool) {
	a.AutoConnect = &on
}

// Bare returns the account's JID normalised to its bare form.
func (a *Account) Bare() (jid.JID, error) {
	j, err := jid.Parse(a.JID)
	if err != nil {
		return jid.JID{}, fmt.Errorf("jid %q: %w", a.JID, err)
	}
	return j.Bare(), nil
}

// Validate checks one account's fields.
func (a *Account) Validate() error {
	if a.JID == "" {
		return errors.New("jid is empty")
	}
	j, err := jid.Parse(a.JID)
	if err != nil {
		return fmt.Errorf("jid %q does not parse: %w", a.JID, err)
	}
	if j.Localpart() == "" {
		return fmt.Errorf("jid %q has no user part (want user@domain)", a.JID)
	}
	if j.Resourcepart() != "" {
		return fmt.Errorf("jid %q must be bare (put %q in resource = instead)", a.JID, j.Resourcepart())
	}
	if a.Server != "" {
		if err := checkHostPort(a.Server); err != nil {
			return fmt.Errorf("server %q: %w", a.Server, err)
		}
	}
	for _, p := range a.Pins {
		if !validFingerprint(NormalizeFingerprint(p)) {
			return fmt.Errorf("pin %q is not a SHA-256 fingerprint (64 hex digits, colons optional)", p)
		}
	}
	if a.Priority < -128 || a.Priority > 127 {
		return fmt.Errorf("priority %d out of range -128..127", a.Priority)
	}
	return nil
}

// checkHostPort accepts "host:port" and "[v6]:port" with port 1..65535.
func checkHostPort(s string) error {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return fmt.Errorf("want host:port: %w", err)
	}
	if host == "" {
		return errors.New("want host:port: host is empty")
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("want host:port: port %q is not 1..65535", port)
	}
	return nil
}

// NormalizeJID parses s and returns its bare JID in canonical form (PRECIS
// case mapping of the localpart, lower-cased domainpart). Any resource is
// dropped.
func NormalizeJID(s string) (string, error) {
	j, err := jid.Parse(s)
	if err != nil {
		return "", fmt.Errorf("jid %q: %w", s, err)
	}
	return j.Bare().String(), nil
}

// NormalizeFingerprint returns s as lower-case hex with no separators:
// colons, spaces and dashes are dropped, so "AB:CD", "ab cd" and "abcd" are
// equal. It does not check the length; Account.Validate does.
func NormalizeFingerprint(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ':', ' ', '-', '\t':
			return -1
		}
		return r
	}, strings.ToLower(s))
}

// validFingerprint reports whether s (already normalised) is 32 bytes of hex.
func validFingerprint(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == 32
}

// Pin adds fingerprint (normalised) to the account's pins unless an equal
// pin is already there.
func (a *Account) Pin(fingerprint string) {
	if a.Pinned(fingerprint) {
		return
	}
	a.Pins = append(a.Pins, NormalizeFingerprint(fingerprint))
}

// Pinned reports whether fingerprint matches one of the account's pins,
// ignoring case and separators.
func (a *Account) Pinned(fingerprint string) bool {
	want := NormalizeFingerprint(fingerprint)
	for _, p := range a.Pins {
		if NormalizeFingerprint(p) == want {
			return true
		}
	}
	return false
}
