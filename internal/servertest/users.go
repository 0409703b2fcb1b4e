package servertest

import (
	"fmt"
	"testing"
)

// FreshUser names the nth fresh account of a server for test t and makes
// it a password. The local part carries n, part of the test name and a
// random suffix, so accounts never collide and are easy to find in a log.
func FreshUser(t testing.TB, n int64) (user, pass string) {
	return fmt.Sprintf("u%d-%s-%s", n, Slug(t.Name(), 24), RandomHex(3)), RandomHex(12)
}
