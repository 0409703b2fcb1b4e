// Package httpupload is the embedded server's XEP-0363 HTTP file upload
// service at a domain of its own (upload.<domain>): it hands out slots
// over XMPP and runs the HTTP listener (on loopback by default) that takes
// each slot's one PUT and then serves GET, from files under a directory of
// the server's data dir, with a size limit.
//
// A slot's URL carries 128 random bits, so it cannot be guessed; a slot
// takes one PUT, within Config.SlotTimeout, of exactly the announced size;
// what is uploaded is written to a .part file renamed only when complete.
// Served files get a safe content type (images, audio, video and plain
// text as declared, anything else as application/octet-stream) with
// nosniff and a restrictive content security policy.
//
// It takes serialised stanzas the server has checked and stamped with the
// sender's real address (Handle). It must not import package server or the
// chat client.
package httpupload

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"chat/server/svc"
)

// NS is the XEP-0363 namespace.
const NS = "urn:xmpp:http:upload:0"

// Config describes the service.
type Config struct {
	Domain  string // the service's JID
	Dir     string // where files are kept (made 0700)
	Listen  string // host:port of the HTTP listener (default 127.0.0.1:0)
	BaseURL string // how clients reach the listener (default http://<listener address>)
	MaxSize int64  // largest file (default 100 MiB)
	// SlotTimeout is how long a slot waits for its PUT (default 5 minutes).
	SlotTimeout time.Duration
	// MaxSlotsPerUser bounds the slots one account has waiting (default 16);
	// MaxSlots all of them (default 1024).
	MaxSlotsPerUser, MaxSlots int
	Logf                      func(format string, args ...any)
}

// Service is one running upload service.
type Service struct {
	cfg  Config
	ln   net.Listener
	http *http.Server
	send func([]byte) error
	done chan struct{}
	now  func() time.Time

	mu    sync.Mutex
	slots map[string]*slot // token → slot waiting for its PUT
}

type slot struct {
	owner, name, ctype string
	size               int64
	expires            time.Time
}

func (c *Config) defaults() {
	if c.Listen == "" {
		c.Listen = "127.0.0.1:0"
	}
	if c.MaxSize <= 0 {
		c.MaxSize = 100 << 20
	}
	if c.SlotTimeout <= 0 {
		c.SlotTimeout = 5 * time.Minute
	}
	if c.MaxSlotsPerUser <= 0 {
		c.MaxSlotsPerUser = 16
	}
	if c.MaxSlots <= 0 {
		c.MaxSlots = 1024
	}
	if c.Logf == nil {
		c.Logf = func(string, ...any) {}
	}
}

// New makes the directory and listens; Start begins serving.
func New(cfg Config) (*Service, error) {
	cfg.defaults()
	if cfg.Dir == "" {
		return nil, fmt.Errorf("httpupload: no directory for the files")
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("httpupload: make %s: %w", cfg.Dir, err)
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("httpupload: listen on %s: %w", cfg.Listen, err)
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://" + ln.Addr().String()
	}
	s := &Service{cfg: cfg, ln: ln, done: make(chan struct{}), now: time.Now, slots: map[string]*slot{}}
	s.http = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute}
	return s, nil
}

// URL is the base of the slot URLs.
func (s *Service) URL() string { return s.cfg.BaseURL }

// Start serves HTTP; send routes the service's stanzas.
func (s *Service) Start(send func([]byte) error) {
	s.send = send
	go func() {
		defer close(s.done)
		if err := s.http.Serve(s.ln); err != nil && err != http.ErrServerClosed {
			s.cfg.Logf("httpupload: %v", err)
		}
	}()
}

// Close stops the HTTP listener and the transfers in progress.
func (s *Service) Close() {
	s.http.Close()
	if s.send != nil {
		<-s.done
	}
}

func (s *Service) info() []byte {
	form := fmt.Sprintf("<x xmlns='jabber:x:data' type='result'>"+
		"<field var='FORM_TYPE' type='hidden'><value>%s</value></field>"+
		"<field var='max-file-size'><value>%d</value></field></x>", NS, s.cfg.MaxSize)
	return svc.DiscoInfo("store", "file", "HTTP file upload",
		[]string{"http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items", NS}, []byte(form))
}

// Handle answers one stanza; it does not block.
func (s *Service) Handle(raw []byte) {
	q, err := svc.Parse(raw)
	if err != nil {
		return
	}
	if !q.IsRequest() {
		if q.Kind == "message" && q.Type != "error" {
			s.reply(svc.Error(q, "cancel", "service-unavailable", nil))
		}
		return
	}
	if out := svc.Handled(q, s.info()); out != nil {
		s.reply(out)
		return
	}
	if q.Payload.Space != NS || q.Payload.Local != "request" || q.Type != "get" {
		s.reply(svc.Error(q, "cancel", "service-unavailable", nil))
		return
	}
	s.reply(s.request(q))
}

func (s *Service) reply(b []byte) {
	if s.send == nil {
		return
	}
	if err := s.send(b); err != nil {
		s.cfg.Logf("httpupload: send: %v", err)
	}
}
