// Package muc is the embedded server's multi-user chat service (XEP-0045)
// at a domain of its own, such as conference.localhost: rooms created on
// first join, occupants with roles and affiliations, groupchat reflected
// with a XEP-0359 stanza-id, subject and history (with XEP-0203 delay
// stamps) on join, nick changes, kicks and bans, private messages through
// the room, mediated invitations, the muc#admin and muc#owner IQs (room
// configuration and destruction), disco of the service and its rooms, and
// XEP-0410 self-pings. Persistent rooms are kept in package store.
//
// It takes serialised stanzas that the server has already checked and
// stamped with the sender's real address (Service.Handle), and gives back
// serialised stanzas through Config.Send, whose 'from' it always sets
// itself: an occupant cannot speak as anyone else. Everything is handled
// on one goroutine, in order, so rooms need no locks. Rooms, occupants,
// history, affiliations and the work queue are bounded.
//
// It must not import package server, the chat client or its UI: it knows
// only stanzas, JIDs and package store.
package muc
