package store

import (
	"context"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"hash"
	"strings"
)

// saltLen is the length of the random salt of each credential.
const saltLen = 16

// scheme is one SCRAM family: its mechanism name without "-PLUS" and its
// hash.
type scheme struct {
	name string
	hash func() hash.Hash
}

// schemes are the SCRAM mechanisms every account gets credentials for.
var schemes = []scheme{
	{"SCRAM-SHA-1", sha1.New},
	{"SCRAM-SHA-256", sha256.New},
}

// schemeFor maps a SASL mechanism name to its scheme; a "-PLUS" variant
// shares the credentials of the plain one.
func schemeFor(mechanism string) (scheme, error) {
	name := strings.TrimSuffix(strings.ToUpper(mechanism), "-PLUS")
	for _, sc := range schemes {
		if sc.name == name {
			return sc, nil
		}
	}
	return scheme{}, fmt.Errorf("unsupported SASL mechanism %q", mechanism)
}

// credential is what is kept for one scheme: never the password, only
// the salted password RFC 5802 derives it from, with its salt and count.
type credential struct {
	mechanism  string
	salt       []byte
	iterations int
	salted     []byte
}

// saltPassword computes SaltedPassword := Hi(password, salt, iter).
func saltPassword(sc scheme, password string, salt []byte, iter int) ([]byte, error) {
	k, err := pbkdf2.Key(sc.hash, password, salt, iter, sc.hash().Size())
	if err != nil {
		return nil, fmt.Errorf("derive %s key: %w", sc.name, err)
	}
	return k, nil
}

// newCredentials derives a fresh credential, with a new random salt, for
// every scheme.
func newCredentials(password string, iter int) ([]credential, error) {
	out := make([]credential, 0, len(schemes))
	for _, sc := range schemes {
		salt := make([]byte, saltLen)
		if _, err := rand.Read(salt); err != nil {
			return nil, fmt.Errorf("make salt: %w", err)
		}
		salted, err := saltPassword(sc, password, salt, iter)
		if err != nil {
			return nil, err
		}
		out = append(out, credential{sc.name, salt, iter, salted})
	}
	return out, nil
}

// SetUser creates the account user (a bare JID with a localpart) or
// resets its password. The password itself is never stored: each SCRAM
// mechanism gets its own random salt and salted password, derived with
// s.Iterations rounds. The password is used as given, without SASLprep,
// the way mellium.im/sasl clients use it.
func (s *Store) SetUser(ctx context.Context, user, password string) error {
	u, err := canonicalUser(user)
	if err != nil {
		return fmt.Errorf("set user: %w", err)
	}
	if password == "" {
		return fmt.Errorf("set user %s: empty password", u)
	}
	if s.Iterations < 1 {
		return fmt.Errorf("set user %s: iteration count %d below 1", u, s.Iterations)
	}
	creds, err := newCredentials(password, s.Iterations)
	if err != nil {
		return fmt.Errorf("set user %s: %w", u, err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		return putCredentials(ctx, tx, u, creds)
	})
	if err != nil {
		return fmt.Errorf("set user %s: %w", u, err)
	}
	return nil
}

// putCredentials creates the user row if missing and replaces its
// credentials.
func putCredentials(ctx context.Context, tx *sql.Tx, user string, creds []credential) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO users (jid) VALUES (?) ON CONFLICT (jid) DO NOTHING", user)
	if err != nil {
		return err
	}
	id, err := userID(ctx, tx, user)
	if err != nil {
		return err
	}
	for _, c := range creds {
		_, err := tx.ExecContext(ctx, `
INSERT INTO credentials (user_id, mechanism, salt, iterations, salted) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (user_id, mechanism) DO UPDATE SET
	salt = excluded.salt, iterations = excluded.iterations, salted = excluded.salted`,
			id, c.mechanism, c.salt, c.iterations, c.salted)
		if err != nil {
			return err
		}
	}
	return nil
}

// SaltedCredentials returns what a SCRAM server needs to authenticate
// user with mechanism ("SCRAM-SHA-1", "SCRAM-SHA-256", or either with
// "-PLUS"): the salt, the salted password and the iteration count. It
// fits mellium.im/sasl's SaltedCredentialsFetcher once the SASL username
// is mapped to a bare JID. An unknown user gives ErrNoUser.
func (s *Store) SaltedCredentials(ctx context.Context, user, mechanism string) (salt, saltedPassword []byte, iterations int64, err error) {
	c, err := s.credential(ctx, user, mechanism)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("salted credentials of %s: %w", user, err)
	}
	return c.salt, c.salted, int64(c.iterations), nil
}

func (s *Store) credential(ctx context.Context, user, mechanism string) (credential, error) {
	u, err := canonicalUser(user)
	if err != nil {
		return credential{}, err
	}
	sc, err := schemeFor(mechanism)
	if err != nil {
		return credential{}, err
	}
	id, err := userID(ctx, s.db, u)
	if err != nil {
		return credential{}, err
	}
	c := credential{mechanism: sc.name}
	err = s.db.QueryRowContext(ctx,
		"SELECT salt, iterations, salted FROM credentials WHERE user_id = ? AND mechanism = ?",
		id, sc.name).Scan(&c.salt, &c.iterations, &c.salted)
	if errors.Is(err, sql.ErrNoRows) {
		return credential{}, fmt.Errorf("no %s credentials", sc.name)
	}
	return c, err
}

// CheckPassword reports whether password is user's, for SASL PLAIN: it
// recomputes the SCRAM-SHA-256 salted password and compares in constant
// time. An unknown user gives false and ErrNoUser.
func (s *Store) CheckPassword(ctx context.Context, user, password string) (bool, error) {
	c, err := s.credential(ctx, user, "SCRAM-SHA-256")
	if err != nil {
		return false, fmt.Errorf("check password of %s: %w", user, err)
	}
	sc, _ := schemeFor(c.mechanism)
	got, err := saltPassword(sc, password, c.salt, c.iterations)
	if err != nil {
		return false, fmt.Errorf("check password of %s: %w", user, err)
	}
	return hmac.Equal(got, c.salted), nil
}

// DeleteUser removes the account and everything kept for it: its
// credentials, roster, pending requests and offline messages.
func (s *Store) DeleteUser(ctx context.Context, user string) error {
	u, err := canonicalUser(user)
	if err != nil {
		return fmt.Errorf("delete user: %w", err)
	}
	res, err := s.db.ExecContext(ctx, "DELETE FROM users WHERE jid = ?", u)
	if err != nil {
		return fmt.Errorf("delete user %s: %w", u, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("delete user %s: %w", u, ErrNoUser)
	}
	return nil
}

// Users returns every account, sorted.
func (s *Store) Users(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT jid FROM users ORDER BY jid")
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return out, nil
}
