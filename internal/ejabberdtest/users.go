package ejabberdtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"chat/internal/servertest"
)

// api calls a mod_http_api command (an ejabberdctl command by another
// road) on the loopback HTTP port and returns the JSON reply.
func (s *Server) api(command string, args any) ([]byte, error) {
	body, err := json.Marshal(args)
	if err != nil {
		return nil, fmt.Errorf("encode %s arguments: %w", command, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	url := "http://" + s.APIAddr() + "/api/" + command
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("api %s: %w", command, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("api %s: %w", command, err)
	}
	defer resp.Body.Close()
	reply, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("api %s: read reply: %w", command, err)
	}
	if resp.StatusCode != http.StatusOK {
		return reply, fmt.Errorf("api %s: %s: %s", command, resp.Status, strings.TrimSpace(string(reply)))
	}
	return reply, nil
}

// AddUser creates the account user@Domain(), or sets a new password when it
// exists already. It uses the HTTP API (milliseconds, where ejabberdctl
// boots a VM per call) and works while the server runs.
func (s *Server) AddUser(user, pass string) error {
	_, err := s.api("register", map[string]string{"user": user, "host": domain, "password": pass})
	if err == nil {
		return nil
	}
	if !strings.Contains(err.Error(), "already registered") && !strings.Contains(err.Error(), "409") {
		return fmt.Errorf("register %s@%s: %w", user, domain, err)
	}
	if _, err := s.api("change_password", map[string]string{"user": user, "host": domain, "newpass": pass}); err != nil {
		return fmt.Errorf("change password of %s@%s: %w", user, domain, err)
	}
	return nil
}

// NewUser creates a fresh account for one test (see servertest.FreshUser)
// and returns its bare JID and password.
func (s *Server) NewUser(t testing.TB) (jid, pass string) {
	t.Helper()
	user, pass := servertest.FreshUser(t, s.users.Add(1))
	if err := s.AddUser(user, pass); err != nil {
		t.Fatalf("ejabberdtest: %v\n%s", err, s.LogTail(20))
	}
	return user + "@" + domain, pass
}
