package prosodytest

import (
	"context"

	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"chat/internal/servertest"
)

// AddUser creates the account user@Domain() with prosodyctl, or sets a new
// password when it exists already. It works while the server runs: the
// account can log in at once, without a restart.
func (s *Server) AddUser(user, pass string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.prosodyctl, "--config", s.cfgFile, "register", user, domain, pass)
	cmd.Dir = s.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("prosodyctl register %s@%s: %w: %s", user, domain, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// NewUser creates a fresh account for one test (see servertest.FreshUser)
// and returns its bare JID and password.
func (s *Server) NewUser(t testing.TB) (jid, pass string) {
	t.Helper()
	user, pass := servertest.FreshUser(t, s.users.Add(1))
	if err := s.AddUser(user, pass); err != nil {
		t.Fatalf("prosodytest: %v", err)
	}
	return user + "@" + domain, pass
}
