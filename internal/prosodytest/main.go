package prosodytest

import (
	"testing"

	"chat/internal/servertest"
)

// RequireEnv names the variable that turns a missing Prosody from a skip
// into a failure; CI sets it to 1.
const RequireEnv = "CHAT_REQUIRE_PROSODY"

var harness = servertest.Harness{Pkg: "prosodytest", Server: "prosody", Env: RequireEnv, Unavailable: ErrUnavailable}

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
	return servertest.Serve(harness, m, srv, func() (*Server, error) { return Start(opts) })
}

// Require skips t when s is nil because Main found no Prosody, and returns s.
func Require(t testing.TB, s *Server) *Server {
	t.Helper()
	return servertest.Require(harness, t, s)
}
