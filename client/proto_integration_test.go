package client

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"chat/event"
)

// These tests run the everyday extensions between two engines on a real
// Prosody: caps learned from presence, pings and entity queries, receipts
// and markers, chat states, corrections, PEP nicknames, blocking and
// vCards.

func protoCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// friends brings two fresh users online, subscribed both ways, and waits
// until each has verified the other's caps.
func friends(t *testing.T) (alice, bob *peer) {
	alice, bob = newPeer(t), newPeer(t)
	alice.online()
	bob.online()
	subscribe(t, alice, bob)
	subscribe(t, bob, alice)
	for _, p := range [][2]*peer{{alice, bob}, {bob, alice}} {
		other := p[1].jid + "/test"
		// The caps event may have gone by while the subscription was
		// awaited; if the cache does not have them yet, it is still to come.
		if !p[0].e.Supports(other, nsReceipts) {
			p[0].expect("caps of "+other, func(ev event.Event) bool {
				c, ok := ev.(event.Caps)
				return ok && c.From == other
			})
		}
		if !p[0].e.Supports(other, nsReceipts) || !p[0].e.Supports(other, nsChatStates) {
			t.Fatalf("caps of %s not learnt", other)
		}
	}
	return alice, bob
}

func TestEntityQueriesWithProsody(t *testing.T) {
	alice, bob := friends(t)
	ctx := protoCtx(t)
	full := alice.jid + "/test"
	if rtt, err := bob.e.Ping(ctx, full); err != nil || rtt <= 0 {
		t.Errorf("ping %s: %v, %v", full, rtt, err)
	}
	if _, err := bob.e.Ping(ctx, ""); err != nil {
		t.Errorf("ping our server: %v", err)
	}
	if v, err := bob.e.Version(ctx, full); err != nil || v.Name != ClientName || v.Version != ClientVersion {
		t.Errorf("version %+v, %v", v, err)
	}
	if tm, err := bob.e.Time(ctx, full); err != nil || tm.UTC.IsZero() {
		t.Errorf("time %+v, %v", tm, err)
	}
	if la, err := bob.e.LastActivity(ctx, full); err != nil || la.Seconds < 0 {
		t.Errorf("last activity %+v, %v", la, err)
	}
	info, err := bob.e.DiscoInfo(ctx, full, ClientNode+"#"+alice.e.CapsVer())
	if err != nil || !info.Has(nsCaps) || !info.Has(nsChatStates) {
		t.Errorf("disco#info %+v, %v", info, err)
	}
	if items, err := bob.e.DiscoItems(ctx, full, ""); err != nil || len(items) != 0 {
		t.Errorf("disco#items %+v, %v", items, err)
	}
	server, err := bob.e.DiscoInfo(ctx, srv.Domain(), "")
	if err != nil || !server.Has(nsBlocking) {
		t.Errorf("server disco#info %+v, %v", server, err)
	}
}

func TestReceiptsStatesCorrectionsWithProsody(t *testing.T) {
	alice, bob := friends(t)
	aliceFull, bobFull := alice.jid+"/test", bob.jid+"/test"
	sent, err := bob.e.SendMessage(OutMessage{To: aliceFull, Body: "hi"})
	if err != nil || !sent.Receipt || !sent.Markable {
		t.Fatalf("sent %+v, %v: a receipt should be asked of a peer whose caps have it", sent, err)
	}
	got := alice.expect("message", isMessage(bob.jid, "hi")).(event.Message)
	if !got.Receipt || got.ID != sent.ID {
		t.Errorf("received %+v", got)
	}
	bob.expect("receipt", func(ev event.Event) bool {
		r, ok := ev.(event.Receipt)
		return ok && r.Receipt && r.ID == sent.ID && r.From == aliceFull
	})
	if err := alice.e.SendDisplayed(bobFull, got.ID); err != nil {
		t.Fatal(err)
	}
	bob.expect("displayed marker", func(ev event.Event) bool {
		r, ok := ev.(event.Receipt)
		return ok && r.Marker == "displayed" && r.ID == sent.ID
	})
	if err := bob.e.SendChatState(aliceFull, event.Composing); err != nil {
		t.Fatal(err)
	}
	alice.expect("composing", func(ev event.Event) bool {
		if _, ok := ev.(event.Message); ok {
			t.Errorf("a chat state reported as a message: %+v", ev)
		}
		c, ok := ev.(event.ChatState)
		return ok && c.State == event.Composing && c.From == bobFull
	})
	if _, err := bob.e.SendMessage(OutMessage{To: aliceFull, Body: "hi!", Replaces: sent.ID}); err != nil {
		t.Fatal(err)
	}
	fix := alice.expect("correction", isMessage(bob.jid, "hi!")).(event.Message)
	if fix.Replaces != sent.ID || fix.From != bobFull {
		t.Errorf("correction %+v, want Replaces %s from %s", fix, sent.ID, bobFull)
	}
}

func TestNickFromPEPWithProsody(t *testing.T) {
	alice, bob := friends(t)
	rawSend(t, alice, `<iq type='set' id='nick1'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='http://jabber.org/protocol/nick'><item><nick xmlns='http://jabber.org/protocol/nick'>Ally</nick></item></publish></pubsub></iq>`)
	bob.expect("alice's nick", func(ev event.Event) bool {
		n, ok := ev.(event.Nick)
		return ok && n.From == alice.jid && n.Nick == "Ally"
	})
}

func TestBlockingWithProsody(t *testing.T) {
	alice := newPeer(t)
	alice.online()
	ctx := protoCtx(t)
	// XEP-0191 §3.3: pushes go to the resources that asked for the list.
	if list, err := alice.e.Blocklist(ctx); err != nil || len(list) != 0 {
		t.Fatalf("blocklist of a new user: %v, %v", list, err)
	}
	if err := alice.e.Block(ctx, "spam@example.org", "junk@example.org"); err != nil {
		t.Fatal(err)
	}
	alice.expect("block push", func(ev event.Event) bool {
		b, ok := ev.(event.Blocklist)
		return ok && len(b.Blocked) == 2
	})
	list, err := alice.e.Blocklist(ctx)
	if slices.Sort(list); err != nil || !slices.Equal(list, []string{"junk@example.org", "spam@example.org"}) {
		t.Errorf("blocklist %v, %v", list, err)
	}
	if err := alice.e.Unblock(ctx, "spam@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := alice.e.Unblock(ctx); err != nil {
		t.Fatal(err)
	}
	alice.expect("unblock-all push", func(ev event.Event) bool {
		b, ok := ev.(event.Blocklist)
		return ok && b.UnblockedAll
	})
	if list, err := alice.e.Blocklist(ctx); err != nil || len(list) != 0 {
		t.Errorf("blocklist after unblocking all: %v, %v", list, err)
	}
}

func TestVCardWithProsody(t *testing.T) {
	alice, bob := newPeer(t), newPeer(t)
	alice.online()
	bob.online()
	ctx := protoCtx(t)
	card := VCard{FullName: "Alice " + "\u202e" + "Liddell", Nickname: "al", Email: "alice@example.org", Note: strings.Repeat("n", 100),
		PhotoType: "image/png", Photo: []byte("not really a png")}
	if err := alice.e.SetVCard(ctx, card); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		p    *peer
		addr string
	}{{alice, ""}, {bob, alice.jid}} {
		got, err := c.p.e.GetVCard(ctx, c.addr)
		if err != nil {
			t.Fatal(err)
		}
		if got.FullName != card.FullName || got.Nickname != card.Nickname || got.Email != card.Email ||
			got.Note != card.Note || string(got.Photo) != string(card.Photo) {
			t.Errorf("card read by %s: %+v", c.p.jid, got)
		}
	}
}
