package ejabberdtest

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
)

// RequireEnv names the variable that turns a missing ejabberd from a skip
// into a failure; scripts/test sets it to 1.
const RequireEnv = "CHAT_REQUIRE_EJABBERD"

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
		fmt.Fprintf(os.Stderr, "ejabberdtest: FAIL: cannot start ejabberd: %v\n", err)
		return 1
	}
	*srv = s
	code := m.Run()
	if err := s.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "ejabberdtest: stop: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

func skipNotice(err error) string {
	return fmt.Sprintf("\n"+
		"!!! ejabberdtest: SKIPPING every test that needs a real ejabberd !!!\n"+
		"!!! reason: %v\n"+
		"!!! set %s=1 to make this a failure (scripts/test does)\n\n", err, RequireEnv)
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

// Require skips t when s is nil because Main found no ejabberd, and
// returns s.
func Require(t testing.TB, s *Server) *Server {
	t.Helper()
	if s == nil {
		t.Skip("ejabberdtest: SKIP: ejabberd is not installed (apt-get install ejabberd); " +
			"set " + RequireEnv + "=1 to fail instead")
	}
	return s
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
		if errors.Is(l.err, ErrUnavailable) && os.Getenv(RequireEnv) != "1" && !l.quiet {
			shout(skipNotice(l.err))
		}
	})
	switch {
	case l.err == nil:
		return l.srv
	case errors.Is(l.err, ErrUnavailable) && os.Getenv(RequireEnv) != "1":
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
