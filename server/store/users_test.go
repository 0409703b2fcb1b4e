package store

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"mellium.im/sasl"
)

func TestSetUpdateDeleteUser(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	addUser(t, s, "Bob@LocalHost", "pw1")
	addUser(t, s, "alice@localhost", "pw1")
	addUser(t, s, "bob@localhost", "pw2") // same account, canonical form
	users, err := s.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"alice@localhost", "bob@localhost"}; !slices.Equal(users, want) {
		t.Fatalf("Users = %q, want %q", users, want)
	}
	if ok, err := s.CheckPassword(ctx, "bob@localhost", "pw2"); !ok || err != nil {
		t.Errorf("updated password refused: %v, %v", ok, err)
	}
	if ok, _ := s.CheckPassword(ctx, "bob@localhost", "pw1"); ok {
		t.Error("old password still accepted after update")
	}
	if err := s.DeleteUser(ctx, "BOB@localhost"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser(ctx, "bob@localhost"); !errors.Is(err, ErrNoUser) {
		t.Errorf("second delete = %v, want ErrNoUser", err)
	}
	users, _ = s.Users(ctx)
	if !slices.Equal(users, []string{"alice@localhost"}) {
		t.Errorf("Users after delete = %q", users)
	}
}

func TestSetUserRefusesEmptyPasswordAndBadIterations(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	if err := s.SetUser(ctx, "alice@localhost", ""); err == nil {
		t.Error("empty password accepted")
	}
	s.Iterations = 0
	if err := s.SetUser(ctx, "alice@localhost", "pw"); err == nil {
		t.Error("iteration count 0 accepted")
	}
	if users, _ := s.Users(ctx); len(users) != 0 {
		t.Errorf("users created by failed calls: %q", users)
	}
}

func TestCredentialsFreshPerMechanismAndCall(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	addUser(t, s, "alice@localhost", "pw")
	salt1, sp1, it1, err := s.SaltedCredentials(ctx, "alice@localhost", "SCRAM-SHA-1")
	if err != nil {
		t.Fatal(err)
	}
	salt256, sp256, _, err := s.SaltedCredentials(ctx, "alice@localhost", "SCRAM-SHA-256")
	if err != nil {
		t.Fatal(err)
	}
	if len(salt1) != saltLen || len(salt256) != saltLen || it1 != testIterations {
		t.Fatalf("salt lengths %d, %d, iterations %d", len(salt1), len(salt256), it1)
	}
	if bytes.Equal(salt1, salt256) {
		t.Error("SCRAM-SHA-1 and SCRAM-SHA-256 share a salt")
	}
	if len(sp1) != sha1.Size || len(sp256) != sha256.Size {
		t.Errorf("salted password lengths %d, %d", len(sp1), len(sp256))
	}
	addUser(t, s, "alice@localhost", "pw")
	again, spAgain, _, _ := s.SaltedCredentials(ctx, "alice@localhost", "SCRAM-SHA-256")
	if bytes.Equal(again, salt256) || bytes.Equal(spAgain, sp256) {
		t.Error("SetUser with the same password reused the salt")
	}
}

func TestSaltedCredentialsMatchPBKDF2(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	s.Iterations = 17
	addUser(t, s, "alice@localhost", "pässwörd")
	for _, tc := range []struct {
		mech string
		h    func() hash.Hash
	}{
		{"SCRAM-SHA-1", sha1.New},
		{"SCRAM-SHA-1-PLUS", sha1.New},
		{"SCRAM-SHA-256", sha256.New},
		{"scram-sha-256-plus", sha256.New},
	} {
		salt, sp, iter, err := s.SaltedCredentials(ctx, "alice@localhost", tc.mech)
		if err != nil {
			t.Fatalf("%s: %v", tc.mech, err)
		}
		// mellium's own PBKDF2 (golang.org/x/crypto) as an independent check.
		want := sasl.SCRAMSaltPassword(tc.h, []byte("pässwörd"), salt, int(iter))
		if iter != 17 || !bytes.Equal(sp, want) {
			t.Errorf("%s: iterations %d, salted password differs from PBKDF2", tc.mech, iter)
		}
	}
	if _, _, _, err := s.SaltedCredentials(ctx, "alice@localhost", "PLAIN"); err == nil {
		t.Error("credentials returned for PLAIN")
	}
}

func TestPasswordNeverStored(t *testing.T) {
	s, path := openTest(t)
	const pw = "correct horse battery staple"
	addUser(t, s, "alice@localhost", pw)
	s.Close()
	files, _ := filepath.Glob(path + "*")
	if len(files) == 0 {
		t.Fatal("no database files")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(pw)) {
			t.Errorf("%s holds the password in clear", filepath.Base(f))
		}
	}
}

func TestCheckPassword(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	addUser(t, s, "alice@localhost", "secret")
	for pw, want := range map[string]bool{"secret": true, "Secret": false, "secret ": false, "": false} {
		got, err := s.CheckPassword(ctx, "Alice@localhost", pw)
		if err != nil || got != want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", pw, got, err, want)
		}
	}
}

// fetcher adapts the store to mellium's server side the way the server
// does: the SCRAM username is the localpart of an account at localhost.
func fetcher(s *Store) sasl.SaltedCredentialsFetcher {
	return func(username, _ []byte, mech string) ([]byte, []byte, int64, error) {
		salt, sp, iter, err := s.SaltedCredentials(context.Background(), string(username)+"@localhost", mech)
		if err != nil {
			return nil, nil, 0, sasl.ErrAuthn
		}
		return salt, sp, iter, nil
	}
}

// scramLogin runs a full SCRAM exchange between a mellium client holding
// user and password and a mellium server reading the store.
func scramLogin(s *Store, mech sasl.Mechanism, user, password string) error {
	client := sasl.NewClient(mech, sasl.Credentials(func() ([]byte, []byte, []byte) {
		return []byte(user), []byte(password), nil
	}))
	server := sasl.NewServer(mech, nil, sasl.SaltedCredentials(fetcher(s)))
	_, resp, err := client.Step(nil)
	if err != nil {
		return fmt.Errorf("client start: %w", err)
	}
	for range 4 {
		serverMore, challenge, err := server.Step(resp)
		if err != nil {
			return fmt.Errorf("server: %w", err)
		}
		clientMore, next, err := client.Step(challenge)
		if err != nil {
			return fmt.Errorf("client: %w", err)
		}
		if !serverMore && !clientMore {
			return nil
		}
		resp = next
	}
	return errors.New("exchange did not finish")
}

func TestSCRAMRoundTrip(t *testing.T) {
	s, _ := openTest(t)
	addUser(t, s, "alice@localhost", "secret")
	for _, mech := range []sasl.Mechanism{sasl.ScramSha1, sasl.ScramSha256} {
		if err := scramLogin(s, mech, "alice", "secret"); err != nil {
			t.Errorf("%s with the right password: %v", mech.Name, err)
		}
		err := scramLogin(s, mech, "alice", "wrong")
		if err == nil || !strings.HasPrefix(err.Error(), "server:") {
			t.Errorf("%s with a wrong password: %v, want a server refusal", mech.Name, err)
		}
		if err := scramLogin(s, mech, "nobody", "secret"); err == nil {
			t.Errorf("%s with an unknown user succeeded", mech.Name)
		}
	}
}
