// Package filetransfer is the protocol-independent core of file transfer:
// what a received file name may be (SafeName), where and how received bytes
// are stored (Sink: a .part file, a size announced and enforced, SHA-256 as
// it goes, renamed to a fresh name only when complete and verified), and
// the bounded-buffer copy both directions use.
//
// The protocols live in sub-packages: socks5 (the SOCKS5 subset and a
// proxy65-style relay), s5b (XEP-0065), ibb (XEP-0047), jingle (XEP-0166,
// 0234, 0260, 0261, 0300 and a pure session state machine), si (XEP-0095 and
// 0096) and upload (XEP-0363 and the XEP-0066 element).
//
// Nothing here imports the client engine, the app loop or the UI; these
// packages build and parse payloads and move bytes, and the engine sends
// and routes the stanzas. Nothing here buffers a whole file: memory stays
// flat whatever the size.
package filetransfer
