package filetransfer

import (
	"chat/filetransfer/ibb"
	"chat/filetransfer/jingle"
	"chat/filetransfer/s5b"
	"chat/filetransfer/si"
)

// Method is how a transfer is negotiated with a peer.
type Method int

// Methods, best first.
const (
	None   Method = iota // the peer advertises nothing we speak
	Jingle               // XEP-0234 with XEP-0260 and/or XEP-0261
	SI                   // XEP-0095/0096 over XEP-0065 or XEP-0047
)

// String names the method for messages.
func (m Method) String() string {
	switch m {
	case Jingle:
		return "Jingle"
	case SI:
		return "stream initiation"
	}
	return "none"
}

// Choose picks the negotiation from the peer's disco#info (or XEP-0115
// caps) features: Jingle file transfer when it has a transport we share,
// else stream initiation with a stream method we share, else None.
func Choose(features []string) Method {
	has := make(map[string]bool, len(features))
	for _, f := range features {
		has[f] = true
	}
	if has[jingle.NS] && has[jingle.NSFile] && (has[jingle.NSS5B] || has[jingle.NSIBB]) {
		return Jingle
	}
	if has[si.NS] && has[si.NSFile] && (has[s5b.NS] || has[ibb.NS]) {
		return SI
	}
	return None
}
