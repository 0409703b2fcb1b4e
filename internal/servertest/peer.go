package servertest

import (
	"os"
	"testing"
)

// PeersEnv names the variable that turns a third-party test peer that
// cannot be used (slixmpp, tmux: missing, or failing to start) from a skip
// into a failure; scripts/test sets it to 1.
const PeersEnv = "CHAT_REQUIRE_PEERS"

// PeersRequired reports whether PeersEnv asks for a missing peer to fail.
func PeersRequired() bool { return os.Getenv(PeersEnv) == "1" }

// NeedPeer is called when the peer named what cannot be used, err saying
// why: it fails t when PeersEnv is 1 and skips t otherwise. Either way t
// stops; install says how to get the peer.
func NeedPeer(t testing.TB, what, install string, err error) {
	t.Helper()
	if PeersRequired() {
		t.Fatalf("%s is required here (%s=1) but cannot be used: %v", what, PeersEnv, err)
	}
	t.Skipf("SKIP: %s cannot be used (%v); %s, or set %s=1 to fail instead", what, err, install, PeersEnv)
}
