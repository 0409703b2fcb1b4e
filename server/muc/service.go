package muc

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"chat/server/store"

	"mellium.im/xmpp/jid"
)

// maxText bounds a room's name, description, password and subject, in
// bytes.
const maxText = 1024

// Store keeps persistent rooms; *store.Store is one.
type Store interface {
	Rooms(ctx context.Context) ([]store.Room, error)
	PutRoom(ctx context.Context, r store.Room) error
	DeleteRoom(ctx context.Context, room string) error
}

// Config describes a service. Zero limits get the defaults given.
type Config struct {
	Domain string               // the service's domain, e.g. conference.localhost
	Store  Store                // nil: nothing survives a restart
	Logf   func(string, ...any) // nil: silent

	MaxRooms        int // rooms in all (default 1000)
	MaxOccupants    int // occupants in one room (default 400)
	MaxHistory      int // messages kept per room for new occupants (default 50)
	MaxHistoryBytes int // their serialised size per room (default 64 KiB)
	MaxAffiliations int // affiliations per room (default 1000)
	QueueSize       int // stanzas waiting to be handled (default 1024)
}

func (c *Config) applyDefaults() {
	num := func(n *int, v int) {
		if *n <= 0 {
			*n = v
		}
	}
	num(&c.MaxRooms, 1000)
	num(&c.MaxOccupants, 400)
	num(&c.MaxHistory, 50)
	num(&c.MaxHistoryBytes, 64<<10)
	num(&c.MaxAffiliations, 1000)
	num(&c.QueueSize, 1024)
	if c.Logf == nil {
		c.Logf = func(string, ...any) {}
	}
}

// Service is one running MUC service.
type Service struct {
	cfg    Config
	domain jid.JID
	send   func([]byte) error
	now    func() time.Time

	ready atomic.Pointer[func([]byte) error] // send, once started: for Handle's goroutines
	queue chan []byte
	stop  chan struct{}
	done  chan struct{}
	once  sync.Once

	// Owned by the service goroutine.
	rooms map[string]*room // bare room JID → room
	seq   uint64           // for stanza-ids and forwarded IQ ids
	iqs   iqTable
}

// New makes a service and loads the persistent rooms from cfg.Store. It
// handles nothing until Start.
func New(cfg Config) (*Service, error) {
	cfg.applyDefaults()
	d, err := jid.New("", cfg.Domain, "")
	if err != nil {
		return nil, fmt.Errorf("muc service domain %q: %w", cfg.Domain, err)
	}
	s := &Service{cfg: cfg, domain: d, now: time.Now, queue: make(chan []byte, cfg.QueueSize),
		stop: make(chan struct{}), done: make(chan struct{}), rooms: map[string]*room{}}
	s.iqs.init()
	if err := s.load(); err != nil {
		return nil, err
	}
	return s, nil
}

// Domain returns the service's domain in canonical form.
func (s *Service) Domain() string { return s.domain.String() }

// Start begins handling stanzas on a goroutine of its own; send delivers
// what the service writes.
func (s *Service) Start(send func(raw []byte) error) {
	s.send = send
	s.ready.Store(&send)
	go s.run()
}

// Handle queues a stanza addressed to the service or one of its rooms. It
// never blocks: when the queue is full the stanza is dropped (and the
// sender told, unless it was an error).
func (s *Service) Handle(raw []byte) {
	select {
	case s.queue <- raw:
	case <-s.stop:
	default:
		s.cfg.Logf("muc: queue full, dropped a stanza")
		s.overflow(raw)
	}
}

// Close stops the service and waits for its goroutine. Persistent rooms
// are already stored: every change is written when it is made.
func (s *Service) Close() {
	s.once.Do(func() { close(s.stop) })
	if s.ready.Load() != nil {
		<-s.done
	}
}

func (s *Service) run() {
	defer close(s.done)
	for {
		select {
		case <-s.stop:
			return
		case raw := <-s.queue:
			s.handle(raw)
		}
	}
}

// overflow answers a stanza the service has no room to queue.
func (s *Service) overflow(raw []byte) {
	send := s.ready.Load()
	st, err := readStanza(raw)
	if err != nil || send == nil || st.typ == "error" || (st.kind == "iq" && st.typ == "result") {
		return
	}
	e := mk(nsClient, st.kind, "type", "error", "id", st.id, "from", st.to.String(), "to", st.from.String()).
		add(stanzaError("wait", "resource-constraint", "the chat service is busy"))
	if err := (*send)(e.bytes()); err != nil {
		s.cfg.Logf("muc: send: %v", err)
	}
}

// write serialises and sends one stanza.
func (s *Service) write(e *el) {
	if err := s.send(e.bytes()); err != nil {
		s.cfg.Logf("muc: send: %v", err)
	}
}

// nextID returns a fresh identifier for stanza-ids.
func (s *Service) nextID() string {
	s.seq++
	return fmt.Sprintf("%x-%d", s.now().UnixNano(), s.seq)
}

// storeCtx bounds one store call.
func (s *Service) storeCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 10*time.Second)
}

// load reads the persistent rooms.
func (s *Service) load() error {
	if s.cfg.Store == nil {
		return nil
	}
	ctx, cancel := s.storeCtx()
	defer cancel()
	rooms, err := s.cfg.Store.Rooms(ctx)
	if err != nil {
		return fmt.Errorf("muc: load rooms: %w", err)
	}
	for _, r := range rooms {
		j, err := jid.Parse(r.JID)
		if err != nil || j.Domainpart() != s.domain.Domainpart() || j.Localpart() == "" {
			continue // another service's, or damaged
		}
		s.rooms[j.String()] = restore(j, r)
	}
	return nil
}

// save writes a persistent room, or removes a room that no longer is.
func (s *Service) save(r *room) {
	if s.cfg.Store == nil {
		return
	}
	ctx, cancel := s.storeCtx()
	defer cancel()
	var err error
	switch {
	case r.cfg.persistent && !r.destroyed:
		err = s.cfg.Store.PutRoom(ctx, r.record())
		r.stored = err == nil
	case r.stored:
		err = s.cfg.Store.DeleteRoom(ctx, r.jid.String())
		r.stored = err != nil
	}
	if err != nil {
		s.cfg.Logf("muc: save room %s: %v", r.jid, err)
	}
}
