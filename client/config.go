package client

import (
	"fmt"
	"net"
	"time"

	"mellium.im/xmpp/jid"
)

// Config describes one account's connection.
type Config struct {
	JID       jid.JID // bare JID of the account; a resourcepart here is the resource to request
	Password  string
	Server    string // "host:port" to connect to instead of DNS SRV lookups
	DirectTLS bool   // with Server: TLS from the first byte (XEP-0368) instead of STARTTLS
	TLS       TLSPolicy
	Resolver  *net.Resolver // for the SRV lookups; nil = the system's
	Priority  int

	// RosterVersion returns the version of the roster we hold, or "" for
	// none; it is asked at every login. Nil means no versioning.
	RosterVersion func() string

	PingInterval time.Duration // idle time before a keepalive ping (default 60s)
	PingTimeout  time.Duration // how long a ping may take (default 15s)
	IQTimeout    time.Duration // how long any other request waits for its answer (default 60s)
	DialTimeout  time.Duration // dial, TLS, SASL and bind together (default 30s)
	MinBackoff   time.Duration // first reconnect wait (default 1s)
	MaxBackoff   time.Duration // longest reconnect wait (default 5m)
	MaxStanza    int           // bytes of one stanza, markup included, before it is dropped (default 1 MiB)
	MaxDepth     int           // levels of elements nested inside one stanza before it is dropped (default 64)
	SMBuffer     int           // bytes of sent stanzas kept until the server confirms them (XEP-0198); when full, writing waits for acks (default 4 MiB)

	// Lang is the user's language (a BCP 47 tag such as "de-AT"): of a
	// message sent in several languages, the version shown. Empty means
	// the one from LC_ALL, LC_MESSAGES or LANG.
	Lang string

	// What we tell peers about ourselves (disco#info lists only what is
	// answered). ClientType is our XEP-0030 identity type, "console"
	// (default) or "pc".
	ClientType       string
	HideVersion      bool // do not answer XEP-0092 software version queries
	HideTime         bool // do not answer XEP-0202 entity time queries
	HideLastActivity bool // do not answer XEP-0012 last activity queries
	NoReceipts       bool // do not answer XEP-0184 receipt requests
	NoMarkers        bool // SendDisplayed sends nothing (XEP-0333)

	// Discloses, if set, says whether the full JID from may learn that we
	// are here and active: receipts, last activity, time and version are
	// answered only when it returns true (XEP-0184 §8, XEP-0012 §9), say
	// to contacts with a presence subscription. Our own account is always
	// answered. Nil answers everyone.
	Discloses func(from string) bool

	// CapsStore keeps peers' caps across runs; nil keeps them in memory
	// only (bounded).
	CapsStore CapsStore
}

func (c *Config) applyDefaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.PingInterval, 60*time.Second)
	def(&c.PingTimeout, 15*time.Second)
	def(&c.IQTimeout, time.Minute)
	def(&c.DialTimeout, 30*time.Second)
	def(&c.MinBackoff, time.Second)
	def(&c.MaxBackoff, 5*time.Minute)
	if c.MaxStanza <= 0 {
		c.MaxStanza = 1 << 20
	}
	if c.SMBuffer <= 0 {
		c.SMBuffer = 4 << 20
	}
	if c.MaxDepth <= 0 {
		c.MaxDepth = 64
	}
	if c.ClientType == "" {
		c.ClientType = "console"
	}
	if c.Lang == "" {
		c.Lang = defaultLang()
	}
}

func (c *Config) validate() error {
	if c.JID.Localpart() == "" || c.JID.Domainpart() == "" {
		return fmt.Errorf("account %q: need a JID of the form user@domain", c.JID)
	}
	return nil
}
