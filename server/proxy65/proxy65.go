// Package proxy65 is the embedded server's XEP-0065 SOCKS5 bytestreams
// proxy at a domain of its own (proxy.<domain>): disco, the streamhost
// address query and activate, on top of package socks5's Relay, so that
// two clients that cannot reach each other can still send a file.
//
// It takes serialised stanzas the server has checked and stamped with the
// sender's real address (Handle) and answers through the send function
// given to Start. It must not import package server or the chat client.
package proxy65

import (
	"errors"
	"fmt"
	"net"
	"strconv"

	"chat/filetransfer/s5b"
	"chat/filetransfer/socks5"
	"chat/server/svc"

	"mellium.im/xmpp/jid"
)

// Config describes the service.
type Config struct {
	Domain string // the service's JID
	Listen string // host:port for SOCKS5 (default 127.0.0.1:0)
	// Host is the address announced in the streamhost (default: the
	// listener's IP).
	Host string
	Logf func(format string, args ...any)
}

// Service is one running proxy.
type Service struct {
	cfg   Config
	relay *socks5.Relay
	ln    net.Listener
	host  s5b.StreamHost
	send  func([]byte) error
	done  chan struct{}
}

// New listens for SOCKS5 connections; Start begins serving them.
func New(cfg Config) (*Service, error) {
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:0"
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	self, err := jid.Parse(cfg.Domain)
	if err != nil {
		return nil, fmt.Errorf("proxy65: domain %q: %w", cfg.Domain, err)
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("proxy65: listen on %s: %w", cfg.Listen, err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	host := cfg.Host
	if host == "" {
		host = addr.IP.String()
	}
	return &Service{cfg: cfg, relay: socks5.NewRelay(), ln: ln, done: make(chan struct{}),
		host: s5b.StreamHost{JID: self, Host: host, Port: addr.Port}}, nil
}

// Addr is the SOCKS5 listener's address.
func (s *Service) Addr() net.Addr { return s.ln.Addr() }

// Start serves SOCKS5 connections; send routes the service's stanzas.
func (s *Service) Start(send func([]byte) error) {
	s.send = send
	go func() {
		defer close(s.done)
		if err := s.relay.Serve(s.ln); err != nil {
			s.cfg.Logf("proxy65: %v", err)
		}
	}()
}

// Close stops listening and ends the relays.
func (s *Service) Close() {
	s.ln.Close()
	s.relay.Close()
	if s.send != nil {
		<-s.done
	}
}

var info = svc.DiscoInfo("proxy", "bytestreams", "SOCKS5 bytestreams proxy",
	[]string{"http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items", s5b.NS}, nil)

// Handle answers one stanza; it does not block.
func (s *Service) Handle(raw []byte) {
	q, err := svc.Parse(raw)
	if err != nil || q.Kind != "iq" {
		if err == nil && q.Kind == "message" && q.Type != "error" {
			s.reply(svc.Error(q, "cancel", "service-unavailable", nil))
		}
		return
	}
	if !q.IsRequest() {
		return
	}
	if out := svc.Handled(q, info); out != nil {
		s.reply(out)
		return
	}
	if q.Payload.Space != s5b.NS {
		s.reply(svc.Error(q, "cancel", "service-unavailable", nil))
		return
	}
	s.reply(s.bytestreams(q))
}

func (s *Service) bytestreams(q svc.IQ) []byte {
	if q.Type == "get" {
		b, err := s5b.Marshal(s5b.ProxyAnswer(s.host))
		if err != nil {
			return svc.Error(q, "wait", "internal-server-error", nil)
		}
		return svc.Result(q, b)
	}
	pq, err := s5b.ParseQuery(q.Inner)
	if err != nil {
		return svc.Error(q, "modify", "bad-request", nil)
	}
	from, err := jid.Parse(q.From)
	if err != nil {
		return svc.Error(q, "modify", "bad-request", nil)
	}
	dst, err := s5b.ActivateDst(pq, from)
	if err != nil {
		return svc.Error(q, "modify", "bad-request", nil)
	}
	if err := s.relay.Activate(dst); err != nil {
		if errors.Is(err, socks5.ErrRefused) {
			return svc.Error(q, "cancel", "item-not-found", nil)
		}
		return svc.Error(q, "wait", "internal-server-error", nil)
	}
	s.cfg.Logf("proxy65: activated %s for %s", strconv.Quote(pq.SID), from)
	return svc.Result(q, nil)
}

func (s *Service) reply(b []byte) {
	if s.send == nil {
		return
	}
	if err := s.send(b); err != nil {
		s.cfg.Logf("proxy65: send: %v", err)
	}
}
