package client

import (
	"testing"
	"time"

	"chat/event"
)

// With a real server: a message Prosody kept in offline storage is placed
// at the stamp Prosody gave it; a live message whose sender wrote its own
// delay a week back keeps its arrival place, the stamp kept as Claimed.
func TestDelayFromOfflineStorageBelievedPeersNot(t *testing.T) {
	alice := newPeer(t)
	mallory := newPeer(t)
	mallory.online()

	rawSend(t, mallory, `<message type='chat' to='`+alice.jid+`'><body>while you were out</body></message>`)
	// The server handles one session's stanzas in order: once it answers
	// a ping, the message is in offline storage.
	if err := ping(mallory.e.current(), 10*time.Second); err != nil {
		t.Fatal(err)
	}
	sent := time.Now()
	alice.online()
	m := alice.expect("offline message", isMessage(mallory.jid, "while you were out")).(event.Message)
	if !m.Delayed || m.Stamp.After(sent) || !m.Claimed.IsZero() {
		t.Errorf("offline message: Delayed=%v Stamp=%v Claimed=%v, want placed at the server's stamp before %v", m.Delayed, m.Stamp, m.Claimed, sent)
	}

	week := time.Now().Add(-7 * 24 * time.Hour).UTC().Truncate(time.Second)
	for _, from := range []string{mallory.jid, ""} {
		attr := ""
		if from != "" {
			attr = ` from='` + from + `'`
		}
		rawSend(t, mallory, `<message type='chat' to='`+alice.jid+`'><body>back-dated`+from+`</body><delay xmlns='urn:xmpp:delay'`+attr+` stamp='`+week.Format(time.RFC3339)+`'/></message>`)
		m = alice.expect("back-dated live message", isMessage(mallory.jid, "back-dated"+from)).(event.Message)
		if m.Delayed || !m.Stamp.Equal(m.Time) || !m.Claimed.Equal(week) {
			t.Errorf("live message with delay from %q: Delayed=%v Stamp=%v (arrival %v) Claimed=%v, want arrival order, Claimed %v",
				from, m.Delayed, m.Stamp, m.Time, m.Claimed, week)
		}
	}
}
