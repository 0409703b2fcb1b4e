package client

import (
	"net"
	"testing"
	"time"

	"chat/event"

	"mellium.im/xmpp/jid"
)

// TestEngineOutlivingItsReaderStops: an engine whose reader has gone (its
// channel is full and nobody reads it) still stops after Disconnect once
// ReaderGone's channel is closed, instead of blocking in emit for ever.
func TestEngineOutlivingItsReaderStops(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()                    // connections are refused: every attempt fails at once
	out := make(chan event.Event) // never read
	gone := make(chan struct{})
	e, err := New(Config{JID: jid.MustParse("me@example.org"), Password: "x", Server: addr}, out, ReaderGone(gone))
	if err != nil {
		t.Fatal(err)
	}
	e.Connect()
	done := e.Disconnect()
	close(gone)
	select {
	case <-done:
	case <-time.After(10 * time.Second): // a guard against a hang, not a timing
		t.Fatal("the engine did not stop: emit is still waiting for a reader")
	}
}
