package servertest

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Python is Debian's python3, where python3-slixmpp installs slixmpp.
const Python = "/usr/bin/python3"

// Slixmpp runs script (Python using slixmpp, the tests' real third-party
// peer) with args, for at most a minute. Without slixmpp it fails the test
// when peers are required (CHAT_REQUIRE_PEERS=1) and skips it otherwise.
// wait reads the script's output up to the next line starting with prefix
// and returns it (failing, with the script's stderr, if the script ends
// first); done waits for the script to exit and reports a failure.
func Slixmpp(t testing.TB, script string, args ...string) (wait func(prefix string) string, done func()) {
	t.Helper()
	if err := exec.Command(Python, "-c", "import slixmpp").Run(); err != nil {
		NeedPeer(t, "slixmpp", "apt-get install python3-slixmpp", err)
	}
	path := filepath.Join(t.TempDir(), "peer.py")
	if err := os.WriteFile(path, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, Python, append([]string{path}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 32)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	wait = func(prefix string) string {
		t.Helper()
		for l := range lines {
			if strings.HasPrefix(l, prefix) {
				return l
			}
		}
		t.Fatalf("slixmpp ended before %q; stderr:\n%s", prefix, stderr.String())
		return ""
	}
	done = func() {
		t.Helper()
		if err := cmd.Wait(); err != nil {
			t.Errorf("slixmpp: %v; stderr:\n%s", err, stderr.String())
		}
	}
	return wait, done
}
