package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// testIterations keeps PBKDF2 cheap in tests.
const testIterations = 8

// openTest opens a fresh store in a temporary folder with cheap
// credentials, closed when the test ends.
func openTest(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sub", "server.db")
	return reopen(t, path), path
}

// reopen opens the store at path, closed when the test ends.
func reopen(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Iterations = testIterations
	t.Cleanup(func() { s.Close() })
	return s
}

// addUser creates user with password, failing the test on error.
func addUser(t *testing.T, s *Store, user, password string) {
	t.Helper()
	if err := s.SetUser(context.Background(), user, password); err != nil {
		t.Fatal(err)
	}
}

func TestOpenDefaults(t *testing.T) {
	s, path := openTest(t)
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
	fresh, err := Open(filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if fresh.Iterations != DefaultIterations || fresh.MaxOffline != DefaultMaxOffline || fresh.MaxPendingIn != DefaultMaxPendingIn {
		t.Errorf("defaults = %d, %d, %d", fresh.Iterations, fresh.MaxOffline, fresh.MaxPendingIn)
	}
}

func TestReopenKeepsDataAndSchema(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	addUser(t, s, "alice@localhost", "secret")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		s = reopen(t, path)
		users, err := s.Users(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(users) != 1 || users[0] != "alice@localhost" {
			t.Fatalf("users after reopen = %q", users)
		}
		var v int
		if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v != len(migrations) {
			t.Fatalf("user_version = %d, want %d", v, len(migrations))
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "server.db")
	s := reopen(t, path)
	if _, err := s.db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err := Open(path)
	if err == nil {
		s.Close()
		t.Fatal("Open accepted a schema from a newer version")
	}
	if !strings.HasPrefix(err.Error(), "open server store "+path+": ") {
		t.Errorf("error %q does not name the server store", err)
	}
}

func TestInvalidJIDsRejected(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	addUser(t, s, "alice@localhost", "pw")
	for _, bad := range []string{"", "localhost", "alice@localhost/phone", "@localhost", "alice@", "a@b@c"} {
		if err := s.SetUser(ctx, bad, "pw"); !errors.Is(err, ErrInvalidJID) {
			t.Errorf("SetUser(%q) = %v, want ErrInvalidJID", bad, err)
		}
		if _, _, _, err := s.SaltedCredentials(ctx, bad, "SCRAM-SHA-1"); !errors.Is(err, ErrInvalidJID) {
			t.Errorf("SaltedCredentials(%q) = %v, want ErrInvalidJID", bad, err)
		}
		if err := s.StoreOffline(ctx, bad, []byte("<message/>")); !errors.Is(err, ErrInvalidJID) {
			t.Errorf("StoreOffline(%q) = %v, want ErrInvalidJID", bad, err)
		}
	}
	for _, bad := range []string{"", "@localhost", "bob@", "a@b@c"} {
		if _, err := s.PutRosterItem(ctx, "alice@localhost", Item{JID: bad}); !errors.Is(err, ErrInvalidJID) {
			t.Errorf("PutRosterItem(%q) = %v, want ErrInvalidJID", bad, err)
		}
		if err := s.AddPendingIn(ctx, "alice@localhost", bad, []byte("<presence/>")); !errors.Is(err, ErrInvalidJID) {
			t.Errorf("AddPendingIn(%q) = %v, want ErrInvalidJID", bad, err)
		}
	}
	users, err := s.Users(ctx)
	if err != nil || len(users) != 1 {
		t.Fatalf("users = %q, %v; want only alice", users, err)
	}
}

func TestUnknownUser(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	const u = "nobody@localhost"
	checks := map[string]error{
		"DeleteUser":   s.DeleteUser(ctx, u),
		"StoreOffline": s.StoreOffline(ctx, u, []byte("<message/>")),
		"AddPendingIn": s.AddPendingIn(ctx, u, "bob@localhost", []byte("<presence/>")),
	}
	_, checks["Offline"] = s.Offline(ctx, u, 0, 10)
	_, checks["PendingIn"] = s.PendingIn(ctx, u)
	_, _, checks["Roster"] = s.Roster(ctx, u)
	_, _, checks["RosterItem"] = s.RosterItem(ctx, u, "bob@localhost")
	_, checks["RosterVersion"] = s.RosterVersion(ctx, u)
	_, checks["PutRosterItem"] = s.PutRosterItem(ctx, u, Item{JID: "bob@localhost"})
	_, checks["RemoveRosterItem"] = s.RemoveRosterItem(ctx, u, "bob@localhost")
	_, _, _, checks["SaltedCredentials"] = s.SaltedCredentials(ctx, u, "SCRAM-SHA-256")
	_, checks["CheckPassword"] = s.CheckPassword(ctx, u, "pw")
	for name, err := range checks {
		if !errors.Is(err, ErrNoUser) {
			t.Errorf("%s on an unknown user = %v, want ErrNoUser", name, err)
		}
	}
}
