package main

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"chat/internal/prosodytest"
)

// asChatEnv, set to 1, makes this test binary run as chat itself. The
// tests run the program that way instead of a separate `go build`, so
// that under `go test -cover` what the program does in them counts in
// the package's coverage: the Go runtime writes a test binary's counters
// to GOCOVERDIR when it exits without finishing a test run, and the
// coverage report merges every counter file in -test.gocoverdir that
// belongs to this very binary (one built apart has other meta-data and is
// left out of the report).
const asChatEnv = "CHAT_TEST_RUN_AS_CHAT"

var srv *prosodytest.Server

func TestMain(m *testing.M) {
	if os.Getenv(asChatEnv) == "1" {
		os.Unsetenv(asChatEnv)
		main()
	}
	os.Exit(prosodytest.Main(m, prosodytest.Options{}, &srv))
}

// chatBin returns the path of a `chat` command for t: a small script that
// runs this test binary as chat, with GOCOVERDIR pointing at the coverage
// folder of this test run when it is measured.
func chatBin(t testing.TB) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatalf("find the test binary: %v", err)
	}
	env := asChatEnv + "=1"
	if testing.CoverMode() != "" {
		dir := coverDir()
		if dir == "" { // run without one: the program's runs are not counted
			dir = t.TempDir()
		}
		env += " GOCOVERDIR=" + shellQuote(dir)
	}
	bin := filepath.Join(t.TempDir(), "chat")
	script := "#!/bin/sh\n" + env + " exec " + shellQuote(self) + ` "$@"` + "\n"
	if err := os.WriteFile(bin, []byte(script), 0o700); err != nil {
		t.Fatalf("write %s: %v", bin, err)
	}
	return bin
}

// coverDir is where `go test -cover` merges counter files from (its
// -test.gocoverdir); "" when the test binary was run without one.
func coverDir() string {
	if f := flag.Lookup("test.gocoverdir"); f != nil {
		return f.Value.String()
	}
	return ""
}

// shellQuote quotes s for sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// TestProgramIsThisBinaryAndCounted runs the chat command the tests use
// and, under -cover, checks that its run left counters where the package's
// coverage report reads them.
func TestProgramIsThisBinaryAndCounted(t *testing.T) {
	counters := func() []string {
		m, _ := filepath.Glob(filepath.Join(coverDir(), "covcounters.*"))
		return m
	}
	before := len(counters())
	cmd := exec.Command(chatBin(t), "--no-such-flag")
	out, err := cmd.CombinedOutput()
	if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 2 {
		t.Fatalf("chat --no-such-flag: %v, want exit 2\n%s", err, out)
	}
	if !strings.Contains(string(out), "flag provided but not defined: -no-such-flag") {
		t.Errorf("not chat's flag error:\n%s", out)
	}
	if testing.CoverMode() != "" && coverDir() != "" && len(counters()) == before {
		t.Errorf("the run wrote no coverage counters to %s", coverDir())
	}
}
