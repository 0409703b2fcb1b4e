package server

import (
	"errors"
	"fmt"
	"sort"
	"sync"

	"mellium.im/xmpp/jid"
)

// Component serves a domain of its own inside the server, such as a
// multi-user chat service (conference.localhost) or a file transfer proxy.
type Component interface {
	// HandleStanza receives a stanza addressed to the component's domain
	// or a JID in it. It is called on the sender's reader goroutine, so it
	// must not block: queue the work.
	HandleStanza(st Stanza)
}

// Stanza is a routed stanza as a component receives it. From is the
// sender's validated JID, already stamped into Raw.
type Stanza struct {
	Kind     string // message, presence or iq
	Type, ID string
	From, To jid.JID
	Raw      []byte // the whole stanza, serialised
}

// components is the route table: domain → component.
type components struct {
	mu     sync.RWMutex
	routes map[string]Component
}

func (c *components) get(domain string) Component {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.routes[domain]
}

func (c *components) domains() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]string, 0, len(c.routes))
	for d := range c.routes {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// Register routes domain to comp. It returns the function comp uses to
// send a stanza (serialised XML) to local users: its from must be in the
// domain, and it is routed like a stanza from a client.
func (srv *Server) Register(domain string, comp Component) (send func(raw []byte) error, err error) {
	d, err := normalizeDomain(domain)
	if err != nil {
		return nil, err
	}
	if d == srv.domain {
		return nil, fmt.Errorf("register component: %s is the server's own domain", d)
	}
	srv.comps.mu.Lock()
	defer srv.comps.mu.Unlock()
	if srv.comps.routes[d] != nil {
		return nil, fmt.Errorf("register component: %s is taken", d)
	}
	srv.comps.routes[d] = comp
	return func(raw []byte) error { return srv.fromComponent(d, raw) }, nil
}

// Unregister removes a component's route.
func (srv *Server) Unregister(domain string) {
	d, err := normalizeDomain(domain)
	if err != nil {
		return
	}
	srv.comps.mu.Lock()
	delete(srv.comps.routes, d)
	srv.comps.mu.Unlock()
}

// toComponent hands a stanza to the component serving to's domain.
func (srv *Server) toComponent(n *node, to jid.JID) {
	comp := srv.comps.get(to.Domainpart())
	if comp == nil {
		return
	}
	st := Stanza{Kind: n.name.Local, Type: n.get("type"), ID: n.get("id"), To: to, Raw: n.bytes()}
	st.From, _ = jid.Parse(n.get("from"))
	comp.HandleStanza(st)
}

// fromComponent routes a stanza sent by the component of domain d.
func (srv *Server) fromComponent(d string, raw []byte) error {
	n, err := parseStanza(raw)
	if err != nil {
		return fmt.Errorf("component %s: parse stanza: %w", d, err)
	}
	if !isStanza(n) {
		return fmt.Errorf("component %s: <%s/> is not a stanza", d, n.name.Local)
	}
	from, err := jid.Parse(n.get("from"))
	if err != nil || from.Domainpart() != d {
		return fmt.Errorf("component %s: from %q is not in its domain", d, n.get("from"))
	}
	to, err := jid.Parse(n.get("to"))
	if err != nil {
		return fmt.Errorf("component %s: bad to %q", d, n.get("to"))
	}
	switch srv.classify(to) {
	case toUser:
	case toComponent:
		srv.toComponent(n, to)
		return nil
	default:
		return errors.New("component " + d + ": can only send to local users and components")
	}
	st := &stanza{n: n, kind: n.name.Local, typ: n.get("type"), id: n.get("id"), from: from, to: to, hasTo: true}
	if srv.blocks(to.Bare().String(), from) && st.typ != "error" {
		return nil // XEP-0191: a blocked room or service is not heard from
	}
	switch st.kind {
	case "message":
		srv.messageToUser(st)
	case "presence":
		srv.presenceTo(to, n)
	case "iq":
		srv.deliverFull(to, n)
	}
	return nil
}
