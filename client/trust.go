package client

import (
	"fmt"
	"time"

	"chat/event"

	"mellium.im/xmpp/jid"
)

// This file holds the checks of what a message claims before it is
// believed: who a carbon copies, when a delayed message was sent, whose
// stanza-id it carries.

// checkCarbon refuses a XEP-0280 carbon unless our own account sent it
// and the copy is of a message of ours: a sent carbon's message must be
// from our account, a received one's addressed to it. Otherwise a server
// (or a bug in one) could put words in our mouth.
func (h *handler) checkCarbon(outer, inner inMessage) error {
	if !h.fromOwnAccount(outer.From) {
		return fmt.Errorf("carbon copy forged by %s", outer.From)
	}
	if outer.Sent != nil && !h.isOwnAccount(inner.From) {
		return fmt.Errorf("sent carbon of a message from %q, not from our account", inner.From)
	}
	if outer.Sent == nil && !h.isOwnAccount(inner.To) {
		return fmt.Errorf("received carbon of a message to %q, not to our account", inner.To)
	}
	return nil
}

// isOwnAccount reports whether s is our account's bare JID or one of its
// full JIDs. Unlike fromOwnAccount, an empty s is not ours: inside a
// forwarded message nothing is blanked.
func (h *handler) isOwnAccount(s string) bool {
	j, err := jid.Parse(s)
	return err == nil && j.Bare().Equal(h.e.cfg.JID.Bare())
}

// isOurs reports whether by names our account (XEP-0359 stanza-ids our
// server gives our archive) exactly, without resource.
func (h *handler) isOurs(by string) bool {
	j, err := jid.Parse(by)
	return err == nil && j.Equal(h.e.cfg.JID.Bare())
}

// placeByDelay applies a XEP-0203 delay. Only a message our own server (or
// our account's archive) stored and delivered late is placed at its stamp;
// any other sender can write any stamp, so a live message keeps its
// arrival time and the claimed stamp is kept as Claimed, metadata only.
func (h *handler) placeByDelay(ev *event.Message, d *delay, now time.Time) {
	if d == nil {
		return
	}
	t, ok := saneStamp(d.Stamp, now)
	if !ok {
		return
	}
	if !h.fromStorage(d.From) {
		ev.Claimed = t
		return
	}
	ev.Stamp, ev.Delayed = t, true
}

// fromStorage reports whether a delay's from attribute is our server's
// domain or our bare JID: offline storage or our archive.
func (h *handler) fromStorage(from string) bool {
	j, err := jid.Parse(from)
	if err != nil {
		return false
	}
	own := h.e.cfg.JID
	return j.Equal(own.Domain()) || j.Equal(own.Bare())
}

// saneStamp parses a XEP-0082 timestamp and accepts it only if it is not
// in the future (beyond a minute of clock skew) nor before 1990: a garbage
// or hostile stamp must not reorder a conversation.
func saneStamp(s string, now time.Time) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	if t.After(now.Add(time.Minute)) || t.Year() < 1990 {
		return time.Time{}, false
	}
	return t, true
}
