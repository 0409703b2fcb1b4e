package httpupload

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// ServeHTTP takes a slot's PUT and serves GET and HEAD of uploaded files.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	token, name, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if !ok || !validToken(token) || name == "" || SafeName(name) != name {
		http.NotFound(w, r)
		return
	}
	switch r.Method {
	case http.MethodPut:
		s.put(w, r, token, name)
	case http.MethodGet, http.MethodHead:
		s.get(w, r, token, name)
	default:
		w.Header().Set("Allow", "GET, HEAD, PUT")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func (s *Service) put(w http.ResponseWriter, r *http.Request, token, name string) {
	sl := s.take(token, name)
	if sl == nil {
		http.Error(w, "no such slot, or it has been used", http.StatusForbidden)
		return
	}
	if r.ContentLength != sl.size {
		http.Error(w, fmt.Sprintf("the slot is for %d bytes", sl.size), http.StatusBadRequest)
		return
	}
	if err := s.store(token, name, sl, http.MaxBytesReader(w, r.Body, sl.size)); err != nil {
		s.cfg.Logf("httpupload: put %s for %s: %v", name, sl.owner, err)
		http.Error(w, "upload failed", http.StatusBadRequest)
		return
	}
	s.cfg.Logf("httpupload: %s uploaded %d bytes", sl.owner, sl.size)
	w.WriteHeader(http.StatusCreated)
}

// store writes the body to dir/token/name through a .part file.
func (s *Service) store(token, name string, sl *slot, body io.Reader) (err error) {
	dir := filepath.Join(s.cfg.Dir, token)
	if err := os.Mkdir(dir, 0o700); err != nil {
		return fmt.Errorf("make slot folder: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	part := filepath.Join(dir, ".part")
	f, err := os.OpenFile(part, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	n, err := io.Copy(f, body)
	if err == nil && n != sl.size {
		err = fmt.Errorf("got %d of %d bytes", n, sl.size)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, ".type"), []byte(sl.ctype), 0o600); err != nil {
		return fmt.Errorf("write type: %w", err)
	}
	return os.Rename(part, filepath.Join(dir, name))
}

func (s *Service) get(w http.ResponseWriter, r *http.Request, token, name string) {
	dir := filepath.Join(s.cfg.Dir, token)
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			s.cfg.Logf("httpupload: open %s: %v", name, err)
		}
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	ctype, _ := os.ReadFile(filepath.Join(dir, ".type"))
	h := w.Header()
	h.Set("Content-Type", safeType(string(ctype)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(w, r, name, st.ModTime(), f)
}

// safeType keeps a declared media type a browser will not run.
func safeType(t string) string {
	mt, _, err := mime.ParseMediaType(t)
	if err != nil {
		return "application/octet-stream"
	}
	switch {
	case mt == "text/plain", strings.HasPrefix(mt, "image/") && mt != "image/svg+xml",
		strings.HasPrefix(mt, "audio/"), strings.HasPrefix(mt, "video/"):
		return mt
	}
	return "application/octet-stream"
}
