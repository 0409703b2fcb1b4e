package servertest

import (
	"errors"
	"testing"
)

func TestNeedPeerFailsOnlyWhenRequired(t *testing.T) {
	missing := errors.New("not on PATH")
	t.Setenv(PeersEnv, "")
	got := Observe(t, func(tb testing.TB) { NeedPeer(tb, "tmux", "apt-get install tmux", missing) })
	if !got.Skipped || got.Failed {
		t.Errorf("without %s: %+v, want a skip", PeersEnv, got)
	}
	t.Setenv(PeersEnv, "1")
	got = Observe(t, func(tb testing.TB) { NeedPeer(tb, "tmux", "apt-get install tmux", missing) })
	if !got.Failed || got.Skipped {
		t.Errorf("with %s=1: %+v, want a failure", PeersEnv, got)
	}
}

func TestObserveEndsAtFatal(t *testing.T) {
	got := Observe(t, func(tb testing.TB) {
		tb.Fatalf("stop %d", 1)
		t.Error("Fatalf returned")
	})
	if !got.Failed || got.Log != "stop 1\n" {
		t.Errorf("Observe = %+v", got)
	}
}
