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
// Wiring: the engine parses every presence and message whose sender's bare
// JID is a room in Rooms (Rooms.Room), and every message with an invitation,
// with ParsePresence and ParseMessage, applies it with ApplyPresence or
// ApplyMessage, and shows Event.Lines; an error from Apply means the stanza
// is not the room's (drop it, or handle it as an ordinary stanza).
// Event.Action says when to send Rooms.JoinPresence again (a nick conflict,
// a drop) or to configure a room we created. After a reconnect it sends Rooms.Rejoin; on a timer it
// sends Rooms.PingDue's IQs and feeds the replies through ParseIQReply,
// SelfPingVerdict and Rooms.PingResult. IQ builders give their payload to the
// engine's own IQ path (IQ.Payload) or a whole stanza (IQ.Stanza).
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
