// Package s5b is XEP-0065 SOCKS5 bytestreams on top of package socks5: the
// <query xmlns='http://jabber.org/protocol/bytestreams'/> payloads (offer,
// streamhost-used, activate, a proxy's address), and the initiator's and
// target's connection flows, direct and mediated.
//
// It builds and parses payloads and opens connections; it does not send
// IQs (the caller's engine does, with the payloads built here) and it never
// reads the stream data itself.
package s5b

import (
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"

	"chat/filetransfer/internal/bounded"

	"mellium.im/xmpp/jid"
)

// NS is the XEP-0065 namespace.
const NS = "http://jabber.org/protocol/bytestreams"

// Limits of ParseQuery.
const (
	MaxQuery       = 16 << 10
	MaxStreamHosts = 16
	maxHostLen     = 255
)

// StreamHost is one address offered for a bytestream.
type StreamHost struct {
	JID  jid.JID
	Host string
	Port int
}

// Addr is host:port for dialling.
func (h StreamHost) Addr() string { return joinHostPort(h.Host, h.Port) }

// Query is a parsed bytestreams query. Which fields are set depends on the
// request: an offer has SID and StreamHosts, a reply Used, an activation
// SID and Activate, a proxy's disco answer one StreamHost.
type Query struct {
	SID         string
	Mode        string
	StreamHosts []StreamHost
	Used        jid.JID
	Activate    jid.JID
}

type wireHost struct {
	JID  string `xml:"jid,attr"`
	Host string `xml:"host,attr"`
	Port string `xml:"port,attr"`
}

type wireUsed struct {
	JID string `xml:"jid,attr"`
}

// Payload is a bytestreams query to send, built by Offer, Used, Activate,
// ProxyRequest or ProxyAnswer; encode it with Marshal or encoding/xml.
type Payload struct {
	XMLName  xml.Name   `xml:"http://jabber.org/protocol/bytestreams query"`
	SID      string     `xml:"sid,attr,omitempty"`
	Mode     string     `xml:"mode,attr,omitempty"`
	Hosts    []wireHost `xml:"streamhost"`
	Used     *wireUsed  `xml:"streamhost-used"`
	Activate string     `xml:"activate,omitempty"`
}

// Offer is the initiator's set payload listing streamhosts.
func Offer(sid string, hosts []StreamHost) Payload {
	q := Payload{SID: sid, Mode: "tcp"}
	for _, h := range hosts {
		q.Hosts = append(q.Hosts, wireHost{h.JID.String(), h.Host, strconv.Itoa(h.Port)})
	}
	return q
}

// Used is the target's result payload naming the streamhost it connected to.
func Used(sid string, host jid.JID) Payload {
	return Payload{SID: sid, Used: &wireUsed{host.String()}}
}

// Activate is the initiator's set payload, sent to a proxy, that starts the
// relay to target.
func Activate(sid string, target jid.JID) Payload {
	return Payload{SID: sid, Activate: target.String()}
}

// ProxyRequest is the get payload asking a proxy for its address.
func ProxyRequest() Payload { return Payload{} }

// ProxyAnswer is a proxy's result payload giving its address.
func ProxyAnswer(host StreamHost) Payload {
	return Payload{Hosts: []wireHost{{host.JID.String(), host.Host, strconv.Itoa(host.Port)}}}
}

// Marshal encodes a payload built by this package.
func Marshal(q Payload) ([]byte, error) { return xml.Marshal(q) }

// ParseQuery parses a bytestreams query of at most MaxQuery bytes with at
// most MaxStreamHosts streamhosts, each with a valid JID, a host and a port.
func ParseQuery(data []byte) (Query, error) {
	var w Payload
	if err := bounded.Decode(data, MaxQuery, NS, "query", &w); err != nil {
		return Query{}, fmt.Errorf("s5b: %w", err)
	}
	if len(w.Hosts) > MaxStreamHosts {
		return Query{}, fmt.Errorf("s5b: %d streamhosts, limit %d", len(w.Hosts), MaxStreamHosts)
	}
	if w.Mode != "" && w.Mode != "tcp" {
		return Query{}, fmt.Errorf("s5b: mode %q not supported", w.Mode)
	}
	q := Query{SID: w.SID, Mode: w.Mode}
	for _, wh := range w.Hosts {
		h, err := parseHost(wh)
		if err != nil {
			return Query{}, err
		}
		q.StreamHosts = append(q.StreamHosts, h)
	}
	var err error
	if w.Used != nil {
		if q.Used, err = jid.Parse(w.Used.JID); err != nil {
			return Query{}, fmt.Errorf("s5b: streamhost-used: %w", err)
		}
	}
	if w.Activate != "" {
		if q.Activate, err = jid.Parse(w.Activate); err != nil {
			return Query{}, fmt.Errorf("s5b: activate: %w", err)
		}
	}
	return q, nil
}

func parseHost(wh wireHost) (StreamHost, error) {
	j, err := jid.Parse(wh.JID)
	if err != nil {
		return StreamHost{}, fmt.Errorf("s5b: streamhost jid: %w", err)
	}
	if wh.Host == "" || len(wh.Host) > maxHostLen {
		return StreamHost{}, errors.New("s5b: streamhost without a usable host")
	}
	p, err := bounded.Port(wh.Port)
	if err != nil {
		return StreamHost{}, fmt.Errorf("s5b: streamhost: %w", err)
	}
	return StreamHost{JID: j, Host: wh.Host, Port: p}, nil
}
