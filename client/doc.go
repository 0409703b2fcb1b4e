// Package client is the stream engine: it owns one account's connection to
// an XMPP server and turns it into typed events.
//
// An Engine dials (DNS SRV, XEP-0368 direct TLS, or a fixed host:port),
// secures the stream (STARTTLS or direct TLS, certificates verified against
// the system roots, an extra CA file or pinned fingerprints), authenticates
// with the strongest SASL mechanism both sides know, binds a resource,
// fetches the roster (with versioning) and sends initial presence. While
// online it reads stanzas and posts event.Event values to one channel; it
// keeps the connection alive with XEP-0199 pings and reconnects with
// exponential backoff and jitter when the connection is lost.
//
// Methods that send (SendMessage, SetPresence, …) never wait on the network:
// they queue the stanza for a per-connection writer and return, so the
// event loop that calls them is never blocked by a slow server.
//
// Every IQ the client sends (roster get and set, pings, carbons) goes
// through one mechanism (request.go): the ordered outgoing queue, a reply
// table keyed by id that accepts an answer only from the JID the request
// went to, a timeout from Config, and a prompt failure when the session
// ends. A handler inside Serve must not wait on an IQ: waits happen on
// goroutines the session owns, and stop waits for all of them.
//
// XEP-0198 stream management (mellium has none) sits at the one place
// every stanza is sent and received: the ordered queue's writer
// (session.writePending, then writeStanza in smsession.go) and the
// handler's replies (countingWriter) keep each stanza written until the
// server acknowledges it, bounded in bytes (Config.SMBuffer; when full the
// writer waits for acks), and smHandler counts each stanza read once it is
// handled. Nothing else may write a stanza on a session. After bind the
// stream is enabled with resume; a lost stream is resumed on the next
// connection, before binding (smfeature.go), and what the server did not
// receive is written again in order; when the server refuses, a fresh
// bind follows and the unacknowledged messages are sent again as new
// stanzas with the same id and origin-id (receivers de-duplicate by it;
// catching up from the archive is a later step). A message is reported
// sent (event.MessageState) only once the server acknowledged it, and
// failed only when the engine stops with it unconfirmed; a slow server is
// not a dead one: a lost session keeps its unsent queue for the next.
//
// Work-arounds for mellium.im/xmpp v0.22.0 live here: its client resource
// binding never sends the requested resource (bind.go has a fixed copy),
// its SASL feature reports a failure as a type from an internal package
// (saslexchange.go runs the exchange itself, with mellium.im/sasl), its
// IQ tracking accepts an answer from anyone who knows the id (hence
// request.go), and roster pushes and carbons are not checked against
// their sender (roster.go and message.go drop those not from our own
// account).
//
// What the server sends is read through a stream guard (guard.go) before
// mellium's XML decoder sees it: each stanza is held until complete and
// dropped, without being kept, once it passes MaxStanza bytes or MaxDepth
// levels, so a hostile server cannot make the decoder hold gigabytes.
// What a peer claims is checked before it is believed: carbons must copy
// our own messages, and only delay stamps from our own server or archive
// place a message in the past (message.go).
//
// The everyday extensions have one file each: caps.go (XEP-0115: our
// verification string, peers' answers checked against theirs and cached
// by ver, bounded, behind a CapsStore), disco.go (XEP-0030), entity.go
// (XEP-0199 ping, XEP-0092 version, XEP-0202 time, XEP-0012 last
// activity), receipts.go (XEP-0184, XEP-0333), chatstates.go
// (XEP-0085), correction.go (XEP-0308), blocking.go (XEP-0191),
// vcard.go (XEP-0054) and nick.go (XEP-0172). What they answer is
// switchable in Config, and disco#info lists exactly what is answered.
// Their questions are engine methods taking a context, which block: call
// them from a worker, never from the event loop.
//
// This package must not import the UI, storage or the command table: it
// knows nothing of screens or SQLite, only of the stream.
package client
