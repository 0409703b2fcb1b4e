package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ErrUserExists is returned by CreateUser for an account that exists.
var ErrUserExists = errors.New("user exists")

// CreateUser creates the account user with password, as SetUser does, but
// fails with ErrUserExists rather than reset an existing account's
// password (for in-band registration, where the caller is a stranger).
func (s *Store) CreateUser(ctx context.Context, user, password string) error {
	u, err := canonicalUser(user)
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	if password == "" {
		return fmt.Errorf("create user %s: empty password", u)
	}
	creds, err := newCredentials(password, max(s.Iterations, 1))
	if err != nil {
		return fmt.Errorf("create user %s: %w", u, err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := userID(ctx, tx, u); err == nil {
			return ErrUserExists
		} else if !errors.Is(err, ErrNoUser) {
			return err
		}
		return putCredentials(ctx, tx, u, creds)
	})
	if err != nil {
		return fmt.Errorf("create user %s: %w", u, err)
	}
	return nil
}
