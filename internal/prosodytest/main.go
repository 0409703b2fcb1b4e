package prosodytest

import (
	"errors"
	"fmt"
	"os"
	"testing"
)

// RequireEnv names the variable that turns a missing Prosody from a skip
// into a failure; CI sets it to 1.
const RequireEnv = "CHAT_REQUIRE_PROSODY"

// Main runs a test package against one shared server. Call it from TestMain:
//
//	var srv *prosodytest.Server
//	func TestMain(m *testing.M) { os.Exit(prosodytest.Main(m, prosodytest.Options{}, &srv)) }
//
// When Prosody is not installed, *srv is left nil, a loud notice is printed
// and the tests run (each should call Require, which skips) — unless
// CHAT_REQUIRE_PROSODY=1, when that is a failure. Any other start error is
// always a failure.
func Main(m *testing.M, opts Options, srv **Server) int {
	s, err := Start(opts)
	if err != nil {
		*srv = nil
		if errors.Is(err, ErrUnavailable) && os.Getenv(RequireEnv) != "1" {
			notice := skipNotice(err)
			shout(notice)
			code := m.Run()
			fmt.Fprint(os.Stderr, notice)
			return code
		}
		fmt.Fprintf(os.Stderr, "prosodytest: FAIL: cannot start prosody: %v\n", err)
		return 1
	}
	*srv = s
	code := m.Run()
	if err := s.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "prosodytest: stop: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

func skipNotice(err error) string {
	return fmt.Sprintf("\n"+
		"!!! prosodytest: SKIPPING every test that needs a real XMPP server !!!\n"+
		"!!! reason: %v\n"+
		"!!! set %s=1 to make this a failure (CI does)\n\n", err, RequireEnv)
}

// shout prints msg on stderr and, since `go test ./...` hides the output
// of passing packages, also on the controlling terminal when there is one.
func shout(msg string) {
	fmt.Fprint(os.Stderr, msg)
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		fmt.Fprint(tty, msg)
		tty.Close()
	}
}

// Require skips t when s is nil because Main found no Prosody, and returns s.
func Require(t testing.TB, s *Server) *Server {
	t.Helper()
	if s == nil {
		t.Skip("prosodytest: SKIP: prosody is not installed (apt-get install prosody); " +
			"set " + RequireEnv + "=1 to fail instead")
	}
	return s
}
