package ejabberdtest

import (
	"errors"
	"sync"
	"testing"

	"chat/internal/servertest"
)

// RequireEnv names the variable that turns a missing ejabberd from a skip
// into a failure; scripts/test sets it to 1.
const RequireEnv = "CHAT_REQUIRE_EJABBERD"

var harness = servertest.Harness{Pkg: "ejabberdtest", Server: "ejabberd", Env: RequireEnv, Unavailable: ErrUnavailable}

// Main runs a test package against one shared server. Call it from TestMain:
//
//	var srv *ejabberdtest.Server
//	func TestMain(m *testing.M) { os.Exit(ejabberdtest.Main(m, ejabberdtest.Options{}, &srv)) }
//
// When ejabberd is not installed, *srv is left nil, a loud notice is
// printed and the tests run (each should call Require, which skips) —
// unless CHAT_REQUIRE_EJABBERD=1, when that is a failure. Any other start
// error is always a failure.
func Main(m *testing.M, opts Options, srv **Server) int {
	return servertest.Serve(harness, m, srv, func() (*Server, error) { return Start(opts) })
}

// Require skips t when s is nil because Main found no ejabberd, and
// returns s.
func Require(t testing.TB, s *Server) *Server {
	t.Helper()
	return servertest.Require(harness, t, s)
}

// Lazy is a server shared by a test package that starts it on first use,
// for packages whose TestMain already serves something else. Call Stop
// after m.Run. The zero value starts a server with default Options.
type Lazy struct {
	Options Options

	quiet bool // no notice on the terminal (for this package's own tests)
	once  sync.Once
	srv   *Server
	err   error
}

// Get returns the shared server, starting it on the first call. When
// ejabberd is not installed it skips t (fails it when
// CHAT_REQUIRE_EJABBERD=1); any other start error fails t.
func (l *Lazy) Get(t testing.TB) *Server {
	t.Helper()
	l.once.Do(func() {
		l.srv, l.err = Start(l.Options)
		if harness.Skippable(l.err) && !l.quiet {
			servertest.Shout(harness.Notice(l.err))
		}
	})
	switch {
	case l.err == nil:
		return l.srv
	case harness.Skippable(l.err):
		t.Skipf("ejabberdtest: SKIP: %v; set %s=1 to fail instead", l.err, RequireEnv)
	default:
		t.Fatalf("ejabberdtest: cannot start ejabberd: %v", l.err)
	}
	return nil
}

// Stop stops the server if Get started one; it is safe to call more than
// once and when Get was never called.
func (l *Lazy) Stop() error {
	l.once.Do(func() { l.err = errors.New("ejabberdtest: Lazy stopped before use") })
	if l.srv == nil {
		return nil
	}
	return l.srv.Stop()
}
