// Package servertest holds what the real-server test harnesses
// (prosodytest, ejabberdtest) share: the TestMain/Require skip-or-fail
// logic (and the same for third-party peers such as tmux and slixmpp),
// one server process's lifecycle (Daemon: start with retries, stop, kill,
// restart, in its own process group that dies with the test binary),
// free loopback ports, sweeping of stale temp folders, log tails, a raw
// XMPP stream probe (open a stream, read its features, STARTTLS), a login
// helper, and the checks and benchmarks every harness runs on its server.
//
// It knows no server's config, binaries or log format: each harness passes
// in names, paths, ports and functions. It is for tests only, must not
// import the client or the server under test, and must never listen on
// anything but loopback.
package servertest

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
)

// Slug keeps the lowercase letters and digits of name, at most max of them
// (for user names made from test names).
func Slug(name string, max int) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if b.Len() >= max {
			break
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// RandomHex returns n random bytes as 2n hex digits.
func RandomHex(n int) string {
	buf := make([]byte, n)
	_, _ = rand.Read(buf) // crypto/rand.Read never fails on Linux
	return hex.EncodeToString(buf)
}
