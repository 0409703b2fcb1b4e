package server

import (
	"fmt"

	"chat/server/muc"
)

// mucComponent plugs the multi-user chat service into the route table.
type mucComponent struct{ svc *muc.Service }

func (c mucComponent) HandleStanza(st Stanza) { c.svc.Handle(st.Raw) }

// startMUC starts the multi-user chat service at Config.MUCDomain
// (conference.<domain> unless set; "-" for none), with its persistent
// rooms in the server's store.
func (srv *Server) startMUC() error {
	d := srv.cfg.MUCDomain
	switch d {
	case "-":
		return nil
	case "":
		d = "conference." + srv.domain
	}
	svc, err := muc.New(muc.Config{Domain: d, Store: srv.store, Logf: srv.cfg.Logf})
	if err != nil {
		return fmt.Errorf("start the chat room service: %w", err)
	}
	send, err := srv.Register(svc.Domain(), mucComponent{svc})
	if err != nil {
		return fmt.Errorf("start the chat room service: %w", err)
	}
	svc.Start(send)
	srv.muc = svc
	return nil
}

// stopMUC stops the service, once the sessions have ended.
func (srv *Server) stopMUC() {
	if srv.muc != nil {
		srv.muc.Close()
	}
}
