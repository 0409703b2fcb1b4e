package servertest

import (
	"errors"
	"fmt"
	"os"
	"testing"
)

// Harness names one server harness for its skip and failure messages.
type Harness struct {
	Pkg     string // the harness package, e.g. "prosodytest"
	Server  string // the server, e.g. "prosody"
	Install string // how to install it; "" for "apt-get install " + Server
	Env     string // the variable that turns a missing server into a failure
	// Unavailable is the error Start wraps when the server is not
	// installed.
	Unavailable error
}

// Stopper is a started server.
type Stopper interface{ Stop() error }

// Required reports whether Env asks for a missing server to fail.
func (h Harness) Required() bool { return os.Getenv(h.Env) == "1" }

// Skippable reports whether err only says the server is not installed and
// Env does not ask for that to fail.
func (h Harness) Skippable(err error) bool {
	return errors.Is(err, h.Unavailable) && !h.Required()
}

// Main runs m against the server start returns, stopping it afterwards.
// When start fails with Unavailable (and Env is not 1) a loud notice is
// printed and the tests run anyway, each expected to skip; any other start
// error is a failure.
func (h Harness) Main(m *testing.M, start func() (Stopper, error)) int {
	s, err := start()
	if err != nil {
		if h.Skippable(err) {
			notice := h.Notice(err)
			Shout(notice)
			code := m.Run()
			fmt.Fprint(os.Stderr, notice)
			return code
		}
		fmt.Fprintf(os.Stderr, "%s: FAIL: cannot start %s: %v\n", h.Pkg, h.Server, err)
		return 1
	}
	code := m.Run()
	if err := s.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: stop: %v\n", h.Pkg, err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// Notice is the loud message saying the server's tests are skipped.
func (h Harness) Notice(err error) string {
	return fmt.Sprintf("\n"+
		"!!! %s: SKIPPING every test that needs a real %s !!!\n"+
		"!!! reason: %v\n"+
		"!!! set %s=1 to make this a failure (scripts/test does)\n\n",
		h.Pkg, h.Server, err, h.Env)
}

func (h Harness) install() string {
	if h.Install != "" {
		return h.Install
	}
	return "apt-get install " + h.Server
}

// Skip skips t because Main found no server.
func (h Harness) Skip(t testing.TB) {
	t.Helper()
	t.Skipf("%s: SKIP: %s is not installed (%s); set %s=1 to fail instead",
		h.Pkg, h.Server, h.install(), h.Env)
}

// Shout prints msg on stderr and, since `go test ./...` hides the output
// of passing packages, also on the controlling terminal when there is one.
func Shout(msg string) {
	fmt.Fprint(os.Stderr, msg)
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		fmt.Fprint(tty, msg)
		tty.Close()
	}
}

// Serve is a harness's Main for servers of type S: it runs m against the
// server start returns, set in *srv (left zero when the server is not
// installed, so that Require skips), and stops it afterwards.
func Serve[S interface {
	comparable
	Stopper
}](h Harness, m *testing.M, srv *S, start func() (S, error)) int {
	var zero S
	*srv = zero
	return h.Main(m, func() (Stopper, error) {
		s, err := start()
		if err != nil {
			return nil, err
		}
		*srv = s
		return s, nil
	})
}

// Require skips t when s is zero because Serve found no server, and
// returns s.
func Require[S comparable](h Harness, t testing.TB, s S) S {
	t.Helper()
	var zero S
	if s == zero {
		h.Skip(t)
	}
	return s
}
