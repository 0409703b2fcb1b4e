// Package muc holds the client's multi-user chat (XEP-0045) room state and
// protocol: builders for the stanzas a client sends to rooms, defensive
// parsers for what rooms send back, and a Rooms type that applies parsed
// presences and messages to the joined rooms and says, as typed events with
// readable text, what happened (joined, kicked by X because Y, nick changed,
// subject changed, our own message reflected, history or live).
//
// It is pure and deterministic: no goroutines, no network, no clock (callers
// pass the time), no UI. The stream engine feeds it stanzas and sends what
// it builds; the screen shows its events. It must not import the engine, the
// event loop or any UI.
//
// mellium.im/xmpp's own muc client is not used for presence or messages: it
// keys rooms by our occupant JID (so other occupants' presence is dropped),
// never reports a room joined, blocks on a second join and blocks its
// handler on an unsolicited self-unavailable (kick, ban, destroy).
//
// Text in parsed stanzas and events is what the network sent, unsanitised.
// Event.Lines strips control and bidi characters from the network parts it
// quotes, so an escape sequence in a nick is inert, but it is still plain
// text: a front end passes it through package sanitize and escapes it for
// its own markup (tview tags) like any other text from the network.
package muc
