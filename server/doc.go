// Package server is a small embedded XMPP server (RFC 6120 and RFC 6121)
// for trying the client on one machine with no account anywhere, and for
// testing it against other clients. A real deployment runs Prosody or
// ejabberd: this server has no server-to-server federation.
//
// What it speaks: STARTTLS (required, TLS 1.2 or later) with a given or a
// generated self-signed certificate; SASL SCRAM-SHA-256, SCRAM-SHA-1 and
// PLAIN over TLS against package store; resource binding where a new
// session with the same full JID replaces the old one (which gets a
// <conflict/> stream error); rosters with versioning and pushes; the
// subscription state machine with pre-approval; presence broadcast, probes
// and directed presence; message routing with priorities; offline storage
// delivered with a XEP-0203 delay, deleted only once delivered (offline.go);
// stream management (XEP-0198) with acknowledgements given only once a
// stanza is routed or committed, and resumption (sm.go, resume.go);
// message carbons (XEP-0280); a 1:1 message archive (XEP-0313) stamping
// XEP-0359 stanza-ids (mam.go); disco#info and disco#items, XEP-0199 ping
// and XEP-0092 version; XEP-0191 blocking, XEP-0049 private storage,
// vcard-temp, XEP-0012 last activity, XEP-0202 time and XEP-0163 PEP (see
// ext.go, which lists where each lives). Every routed stanza is stamped with the sender's
// bound JID. Domains other than its own are refused (remote-server-not-found)
// unless a Component has registered the domain: that is the seam for a
// multi-user chat service or a file transfer proxy. Package server/muc is
// one, started with the server at conference.<domain> (Config.MUCDomain),
// its persistent rooms in package store; package server/proxy65 (XEP-0065
// proxy at proxy.<domain>, on package filetransfer/socks5's relay) and
// package server/httpupload (XEP-0363 at upload.<domain>) are two more.
//
// Stream negotiation is written by hand over encoding/xml rather than with
// mellium's server-side features (v0.22.0 has no server SCRAM feature, an odd
// server bind and a Serve loop that answers unknown IQs itself): a
// connection reads bytes through a budget reader so that a stanza larger
// than the limit fails before it is held in memory, and stanzas are kept as
// small element trees that are checked, stamped and re-serialised.
// mellium.im/sasl does the SASL mechanisms and mellium.im/xmpp/jid the
// JID preparation.
//
// Each session has one reader goroutine (which also routes what it reads)
// and one writer goroutine fed by a queue bounded in stanzas and in bytes,
// with write deadlines. A full queue is back-pressure: the sender's reader
// waits for room, so a client that reads is never dropped and its senders
// go at its pace; only a client whose writer makes no progress for
// SendWait (or whose write passes WriteTimeout) is dropped. The bytes
// queued for all clients together are bounded too (queue.go). Without
// stream management a message counts as accepted once it is routed or
// stored, before the next stanza is read; a crash can still lose what the
// client had sent but the server had not read, and the client cannot know. Connections not logged in yet are few and
// short-lived: past a cap the least worth keeping is closed to make room,
// so that idle connections cannot lock logins out (admit.go); failed
// logins make the next attempts on the account and from the address wait
// longer, up to a cap (throttle.go). A stream ends with our end tag, a TLS
// close_notify and a FIN, and the server reads until the client closes,
// so that a stream error is not lost to a reset.
//
// This package must not import the client engine, the UI, the event loop or
// anything else of the chat client: it knows only streams, stanzas and
// package store.
package server
