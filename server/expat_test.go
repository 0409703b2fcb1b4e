package server

import (
	"bytes"
	"os"
	"os/exec"
	"testing"
)

// expatScript parses standard input with expat and namespace processing,
// as slixmpp does, and prints the error if it is refused.
const expatScript = `
import sys, xml.parsers.expat
p = xml.parsers.expat.ParserCreate(namespace_separator=" ")
try:
    p.Parse(sys.stdin.buffer.read(), True)
except xml.parsers.expat.ExpatError as e:
    print(e)
    sys.exit(1)
`

// expatAccepts fails the test unless python3's expat parses doc, a whole
// document.
func expatAccepts(t *testing.T, doc []byte) {
	t.Helper()
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		if os.Getenv("CHAT_REQUIRE_PEERS") == "1" {
			t.Fatalf("python3 is required here: %v", err)
		}
		t.Skip("python3 is not installed")
	}
	cmd := exec.Command(py, "-c", expatScript)
	cmd.Stdin = bytes.NewReader(doc)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("expat refuses the server's output: %v: %s\n%s", err, out, doc)
	}
}

// TestExpatAgreesWithStrictChecker: what checkStrict refuses, expat
// refuses too (the old writer's duplicate xmlns:nsa), so the Go oracle of
// FuzzConn stands for the parsers of real clients.
func TestExpatAgreesWithStrictChecker(t *testing.T) {
	doc := []byte("<a xmlns:nsa='urn:1' xmlns:nsa='urn:2' nsa:x='1'/>")
	if checkStrict(doc) == nil {
		t.Fatal("checkStrict accepts a namespace declared twice")
	}
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		t.Skip("python3 is not installed")
	}
	cmd := exec.Command(py, "-c", expatScript)
	cmd.Stdin = bytes.NewReader(doc)
	if err := cmd.Run(); err == nil {
		t.Fatal("expat accepts a namespace declared twice")
	}
}
