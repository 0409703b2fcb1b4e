package client

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"

	"mellium.im/xmpp/dial"
)

// dialServer opens the TCP (or direct TLS) connection for c: to the
// configured host:port if there is one, else by DNS SRV records for
// _xmpps-client and _xmpp-client with a fallback to the domain itself.
func dialServer(ctx context.Context, c *Config, tlsCfg *tls.Config) (net.Conn, error) {
	nd := net.Dialer{Resolver: c.Resolver}
	if c.Server != "" {
		if c.DirectTLS {
			td := tls.Dialer{NetDialer: &nd, Config: withALPN(tlsCfg)}
			conn, err := td.DialContext(ctx, "tcp", c.Server)
			if err != nil {
				return nil, fmt.Errorf("dial %s (direct TLS): %w", c.Server, err)
			}
			return conn, nil
		}
		conn, err := nd.DialContext(ctx, "tcp", c.Server)
		if err != nil {
			return nil, fmt.Errorf("dial %s: %w", c.Server, err)
		}
		return conn, nil
	}
	d := dial.Dialer{Dialer: nd, TLSConfig: withALPN(tlsCfg)}
	conn, err := d.Dial(ctx, "tcp", c.JID)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", c.JID.Domainpart(), err)
	}
	return conn, nil
}

// withALPN returns a copy of cfg announcing the xmpp-client protocol, as
// XEP-0368 asks of direct TLS connections.
func withALPN(cfg *tls.Config) *tls.Config {
	c := cfg.Clone()
	c.NextProtos = []string{"xmpp-client"}
	return c
}
