package server

import (
	"fmt"
	"path/filepath"

	"chat/server/httpupload"
	"chat/server/proxy65"
)

// The file transfer services that plug into the route table as components,
// as the chat room service does (muc.go): a XEP-0065 SOCKS5 proxy at
// proxy.<domain> and XEP-0363 HTTP upload at upload.<domain>.

type proxyComponent struct{ svc *proxy65.Service }

func (c proxyComponent) HandleStanza(st Stanza) { c.svc.Handle(st.Raw) }

type uploadComponent struct{ svc *httpupload.Service }

func (c uploadComponent) HandleStanza(st Stanza) { c.svc.Handle(st.Raw) }

// fileServices are the running services, for Close.
type fileServices struct {
	proxy  *proxy65.Service
	upload *httpupload.Service
}

// serviceDomain resolves a configured service domain: "" is
// prefix.<domain>, "-" none.
func (srv *Server) serviceDomain(d, prefix string) string {
	switch d {
	case "-":
		return ""
	case "":
		return prefix + "." + srv.domain
	}
	return d
}

// startFileServices starts the proxy and the upload service.
func (srv *Server) startFileServices() error {
	if d := srv.serviceDomain(srv.cfg.ProxyDomain, "proxy"); d != "" {
		p, err := proxy65.New(proxy65.Config{Domain: d, Listen: srv.cfg.ProxyListen, Logf: srv.cfg.Logf})
		if err != nil {
			return fmt.Errorf("start the bytestreams proxy: %w", err)
		}
		send, err := srv.Register(d, proxyComponent{p})
		if err != nil {
			p.Close()
			return fmt.Errorf("start the bytestreams proxy: %w", err)
		}
		p.Start(send)
		srv.files.proxy = p
	}
	d := srv.serviceDomain(srv.cfg.UploadDomain, "upload")
	dir := srv.cfg.DataDir
	if dir == "" {
		dir = srv.tmpDir
	}
	if d == "" || dir == "" {
		return nil
	}
	u, err := httpupload.New(httpupload.Config{Domain: d, Dir: filepath.Join(dir, "upload"),
		Listen: srv.cfg.UploadListen, MaxSize: srv.cfg.UploadMaxSize, Logf: srv.cfg.Logf})
	if err != nil {
		return fmt.Errorf("start the upload service: %w", err)
	}
	send, err := srv.Register(d, uploadComponent{u})
	if err != nil {
		u.Close()
		return fmt.Errorf("start the upload service: %w", err)
	}
	u.Start(send)
	srv.files.upload = u
	return nil
}

func (srv *Server) stopFileServices() {
	if srv.files.proxy != nil {
		srv.files.proxy.Close()
	}
	if srv.files.upload != nil {
		srv.files.upload.Close()
	}
}
