package servertest

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestSweepStaleKeepsLiveAndFresh(t *testing.T) {
	tmp := t.TempDir()
	old := time.Now().Add(-2 * StaleAfter)
	mk := func(name, pid string, mtime time.Time) string {
		dir := filepath.Join(tmp, "x-"+name)
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if pid != "" {
			if err := os.WriteFile(filepath.Join(dir, "x.pid"), []byte(pid+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chtimes(dir, mtime, mtime); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	stale := mk("stale", "", old)
	live := mk("live", strconv.Itoa(os.Getpid()), old)
	fresh := mk("fresh", "", time.Now())
	SweepStale(tmp, "x-", "x.pid")
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale dir kept: %v", err)
	}
	for _, dir := range []string{live, fresh} {
		if _, err := os.Stat(dir); err != nil {
			t.Errorf("%s swept: %v", dir, err)
		}
	}
}

func TestTailKeepsLastLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log")
	if err := os.WriteFile(path, []byte("a\nb\nc\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := Tail(path, 2); got != "b\nc\n" {
		t.Errorf("Tail = %q, want %q", got, "b\nc\n")
	}
	if !LogHas(path, "b\nc") || LogHas(path, "zz") {
		t.Error("LogHas wrong")
	}
}

func TestSlug(t *testing.T) {
	if got := Slug("TestFoo/Bar_1", 8); got != "testfoob" {
		t.Errorf("Slug = %q", got)
	}
	if got := RandomHex(3); len(got) != 6 {
		t.Errorf("RandomHex(3) = %q", got)
	}
}

func TestWaitPortsFreeReportsBusy(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	if err := WaitPortsFree(0, port); !errors.Is(err, ErrPortBusy) {
		t.Errorf("busy port: %v, want ErrPortBusy", err)
	}
	ports, err := FreePorts(2)
	if err != nil || len(ports) != 2 || ports[0] == ports[1] {
		t.Fatalf("FreePorts = %v, %v", ports, err)
	}
	if err := WaitPortsFree(time.Second, ports...); err != nil {
		t.Errorf("free ports: %v", err)
	}
}

func TestProcessStopAndKill(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	p, err := StartProcess(dir, out, nil, "sh", "-c", "echo hi; exec sleep 60")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; !LogHas(out, "hi"); i++ { // wait for the output, not a time
		if p.Exited() || i > 1000 {
			t.Fatalf("no output captured: %q", Tail(out, 5))
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := p.Stop(10 * time.Second); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if !p.Exited() || p.Err() == nil {
		t.Errorf("after Stop: exited %v, err %v", p.Exited(), p.Err())
	}
	p, err = StartProcess(dir, out, nil, "sleep", "60")
	if err != nil {
		t.Fatal(err)
	}
	p.Kill()
	if !p.Exited() {
		t.Error("Kill returned before the child was reaped")
	}
}

func TestSkipsWhenUnavailable(t *testing.T) {
	unavailable := errors.New("not installed")
	h := Harness{Pkg: "xtest", Server: "x", Env: "SERVERTEST_REQUIRE_X", Unavailable: unavailable}
	t.Setenv(h.Env, "")
	if !h.Skippable(unavailable) || h.Skippable(errors.New("other")) {
		t.Error("Skippable wrong without Env")
	}
	ok := t.Run("inner", func(t *testing.T) {
		h.Skip(t)
		t.Error("Skip returned")
	})
	if !ok {
		t.Error("inner test failed instead of skipping")
	}
	t.Setenv(h.Env, "1")
	if h.Skippable(unavailable) {
		t.Error("Skippable with Env=1")
	}
}

func TestFreshUserNamesDiffer(t *testing.T) {
	a, pa := FreshUser(t, 1)
	b, pb := FreshUser(t, 1)
	if a == b || pa == pb || !strings.HasPrefix(a, "u1-testfreshusernamesdiffer"[:18]) || len(pa) != 24 {
		t.Errorf("FreshUser = %q %q, %q %q", a, pa, b, pb)
	}
}
