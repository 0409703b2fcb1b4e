package ui

import (
	"fmt"
	"testing"
	"time"

	"chat/event"
)

// syncUI is a UI whose two halves run in turn on the calling goroutine:
// Show/Flush as the loop, then the hand-over and a draw as tview would.
func syncUI(b *testing.B, w, h int) (*UI, *syncHost) {
	u, host, _ := newSyncUI(b, w, h, "dark")
	return u, host
}

// frameAndDraw is what one batch costs after Show: Flush, the hand-over
// and a full draw.
func frameAndDraw(u *UI) {
	u.Flush()
	u.applyPending()
	u.s.draw()
}

// BenchmarkAppendAndDraw measures one incoming message in the current
// buffer (holding 1,000 lines) shown on a 120x40 screen.
func BenchmarkAppendAndDraw(b *testing.B) {
	u, host := syncUI(b, 120, 40)
	host.history["bob@example.org"] = storedMessages("bob@example.org", 1000, time.Now())
	host.line("/win bob@example.org")
	frameAndDraw(u)
	b.ResetTimer()
	for i := range b.N {
		host.handle(incoming("bob@example.org", fmt.Sprintf("message %d with some words to wrap around the screen", i)))
		frameAndDraw(u)
	}
}

// BenchmarkBurst10000 measures 10,000 messages arriving in one batch:
// Show for each, then one frame and one draw.
func BenchmarkBurst10000(b *testing.B) {
	u, host := syncUI(b, 120, 40)
	host.line("/win bob@example.org")
	frameAndDraw(u)
	msgs := make([]event.Message, 10000)
	for i := range msgs {
		msgs[i] = incoming("bob@example.org", fmt.Sprintf("burst %d", i))
	}
	b.ResetTimer()
	for range b.N {
		for _, m := range msgs {
			host.handle(m)
		}
		frameAndDraw(u)
	}
}

func bigRoster(host *syncHost, n int) {
	items := make([]event.RosterItem, n)
	for i := range items {
		items[i] = event.RosterItem{JID: fmt.Sprintf("contact%04d@example.org", i), Name: fmt.Sprintf("Contact %04d", i),
			Subscription: "both", Groups: []string{fmt.Sprintf("Group %d", i%10)}}
	}
	host.handle(event.Roster{Header: event.At(me), Items: items})
	for i := 0; i < n; i += 2 {
		host.handle(event.Presence{Header: event.At(me), From: items[i].JID + "/r", Available: true, Show: []string{"", "away", "dnd", "xa", "chat"}[i%5]})
	}
}

// BenchmarkRosterDraw1000 measures drawing a full 120x40 screen with a
// 1,000-contact roster shown.
func BenchmarkRosterDraw1000(b *testing.B) {
	u, host := syncUI(b, 120, 40)
	bigRoster(host, 1000)
	frameAndDraw(u)
	b.ResetTimer()
	for range b.N {
		u.s.draw()
	}
}

// BenchmarkRosterChange1000 measures a presence change in a 1,000-contact
// roster: the sorted snapshot on the loop, the hand-over and the draw.
func BenchmarkRosterChange1000(b *testing.B) {
	u, host := syncUI(b, 120, 40)
	bigRoster(host, 1000)
	frameAndDraw(u)
	b.ResetTimer()
	for i := range b.N {
		host.handle(event.Presence{Header: event.At(me), From: fmt.Sprintf("contact%04d@example.org/r", i%1000), Available: i%2 == 0})
		frameAndDraw(u)
	}
}
