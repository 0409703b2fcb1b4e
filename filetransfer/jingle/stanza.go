// Package jingle is Jingle file transfer: XEP-0166 sessions carrying one
// XEP-0234 file offer over the XEP-0260 SOCKS5 or the XEP-0261 in-band
// transport, with the XEP-0300 sha-256 hash. It has builders and bounded
// parsers for the <jingle/> payload, and Session, a pure state machine: the
// caller feeds it parsed payloads, user decisions and transport outcomes,
// and gets back payloads to send and events to show.
//
// It opens no connection and sends nothing itself; the engine sends the IQs
// and runs packages s5b and ibb as the session's events say. Names in an
// offer are the peer's words: sanitise them (filetransfer.SafeName) before
// using them as a path or showing them.
package jingle

import (
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"time"
	"unicode/utf8"

	"chat/filetransfer/internal/bounded"
)

// Namespaces.
const (
	NS     = "urn:xmpp:jingle:1"
	NSFile = "urn:xmpp:jingle:apps:file-transfer:5"
	NSS5B  = "urn:xmpp:jingle:transports:s5b:1"
	NSIBB  = "urn:xmpp:jingle:transports:ibb:1"
	NSHash = "urn:xmpp:hashes:2"
)

// Actions used here.
const (
	SessionInitiate  = "session-initiate"
	SessionAccept    = "session-accept"
	SessionTerminate = "session-terminate"
	SessionInfo      = "session-info"
	TransportInfo    = "transport-info"
	TransportReplace = "transport-replace"
	TransportAccept  = "transport-accept"
	TransportReject  = "transport-reject"
)

// Limits of Parse.
const (
	MaxJingle     = 64 << 10
	MaxCandidates = 16
	maxText       = 4096
)

// Jingle is the <jingle/> payload.
type Jingle struct {
	XMLName   xml.Name  `xml:"urn:xmpp:jingle:1 jingle"`
	Action    string    `xml:"action,attr"`
	Initiator string    `xml:"initiator,attr,omitempty"`
	Responder string    `xml:"responder,attr,omitempty"`
	SID       string    `xml:"sid,attr"`
	Contents  []Content `xml:"content"`
	Reason    *Reason   `xml:"reason"`
}

// Content is one <content/>; this package uses one per session.
type Content struct {
	Creator     string       `xml:"creator,attr"`
	Name        string       `xml:"name,attr"`
	Senders     string       `xml:"senders,attr,omitempty"`
	Description *Description `xml:"urn:xmpp:jingle:apps:file-transfer:5 description"`
	S5B         *S5B         `xml:"urn:xmpp:jingle:transports:s5b:1 transport"`
	IBB         *IBB         `xml:"urn:xmpp:jingle:transports:ibb:1 transport"`
}

// Description holds the XEP-0234 file.
type Description struct {
	File File `xml:"file"`
}

// File is the offered file's metadata.
type File struct {
	Name      string `xml:"name,omitempty"`
	Size      int64  `xml:"size,omitempty"`
	MediaType string `xml:"media-type,omitempty"`
	Date      string `xml:"date,omitempty"`
	Desc      string `xml:"desc,omitempty"`
	Hashes    []Hash `xml:"urn:xmpp:hashes:2 hash"`
}

// Hash is an XEP-0300 hash element (base64 value).
type Hash struct {
	Algo  string `xml:"algo,attr"`
	Value string `xml:",chardata"`
}

// SHA256 returns the decoded sha-256 hash, or nil when there is none valid.
func (f File) SHA256() []byte {
	for _, h := range f.Hashes {
		if h.Algo != "sha-256" {
			continue
		}
		b, err := base64.StdEncoding.DecodeString(h.Value)
		if err == nil && len(b) == 32 {
			return b
		}
	}
	return nil
}

// Time is the file's date, zero when absent or malformed.
func (f File) Time() time.Time {
	t, _ := time.Parse(time.RFC3339, f.Date)
	return t
}

// NewFile builds file metadata with a sha-256 hash (nil for none).
func NewFile(name string, size int64, mediaType string, date time.Time, sha256 []byte) File {
	f := File{Name: name, Size: size, MediaType: mediaType}
	if !date.IsZero() {
		f.Date = date.UTC().Format(time.RFC3339)
	}
	if sha256 != nil {
		f.Hashes = []Hash{{Algo: "sha-256", Value: base64.StdEncoding.EncodeToString(sha256)}}
	}
	return f
}

// S5B is the XEP-0260 transport.
type S5B struct {
	SID           string      `xml:"sid,attr"`
	Mode          string      `xml:"mode,attr,omitempty"`
	DstAddr       string      `xml:"dstaddr,attr,omitempty"`
	Candidates    []Candidate `xml:"candidate"`
	CandidateUsed *CID        `xml:"candidate-used"`
	Activated     *CID        `xml:"activated"`
	CandidateErr  *struct{}   `xml:"candidate-error"`
	ProxyErr      *struct{}   `xml:"proxy-error"`
}

// Candidate is one XEP-0260 streamhost candidate.
type Candidate struct {
	CID      string `xml:"cid,attr"`
	Host     string `xml:"host,attr"`
	JID      string `xml:"jid,attr"`
	Port     int    `xml:"port,attr,omitempty"`
	Priority uint32 `xml:"priority,attr"`
	Type     string `xml:"type,attr,omitempty"` // direct (default) or proxy
}

// CID names a candidate in candidate-used and activated.
type CID struct {
	CID string `xml:"cid,attr"`
}

// IBB is the XEP-0261 transport.
type IBB struct {
	SID       string `xml:"sid,attr"`
	BlockSize int    `xml:"block-size,attr"`
}

// Reason is a session-terminate reason; Cond is its element name.
type Reason struct {
	Cond string
	Text string
}

// Reason conditions used here.
const (
	Success         = "success"
	Decline         = "decline"
	Cancel          = "cancel"
	FailedTransport = "failed-transport"
	MediaError      = "media-error"
	GeneralError    = "general-error"
)

// Marshal encodes a payload.
func Marshal(j Jingle) ([]byte, error) { return xml.Marshal(j) }

// Parse parses a <jingle/> payload of at most MaxJingle bytes and checks it:
// a known action and a sid, at most one content, at most MaxCandidates
// candidates with ports, and short texts.
func Parse(b []byte) (Jingle, error) {
	var j Jingle
	if err := bounded.Decode(b, MaxJingle, NS, "jingle", &j); err != nil {
		return Jingle{}, fmt.Errorf("jingle: %w", err)
	}
	if err := check(j); err != nil {
		return Jingle{}, fmt.Errorf("jingle: %s: %w", j.Action, err)
	}
	return j, nil
}

func check(j Jingle) error {
	switch j.Action {
	case SessionInitiate, SessionAccept, SessionTerminate, SessionInfo,
		TransportInfo, TransportReplace, TransportAccept, TransportReject:
	default:
		return fmt.Errorf("unknown action")
	}
	if j.SID == "" || len(j.SID) > 256 {
		return fmt.Errorf("bad sid")
	}
	if len(j.Contents) > 1 {
		return fmt.Errorf("%d contents, one supported", len(j.Contents))
	}
	for _, c := range j.Contents {
		if err := checkContent(c); err != nil {
			return err
		}
	}
	if j.Reason != nil && (len(j.Reason.Text) > maxText || len(j.Reason.Cond) > 64 || !utf8.ValidString(j.Reason.Text)) {
		return fmt.Errorf("bad reason text")
	}
	return nil
}

func checkContent(c Content) error {
	if d := c.Description; d != nil {
		f := d.File
		if len(f.Name) > maxText || len(f.Desc) > maxText || len(f.MediaType) > 256 || f.Size < 0 || len(f.Hashes) > 8 {
			return fmt.Errorf("bad file description")
		}
	}
	if t := c.S5B; t != nil {
		if len(t.Candidates) > MaxCandidates {
			return fmt.Errorf("%d candidates", len(t.Candidates))
		}
		for _, cd := range t.Candidates {
			if cd.CID == "" || cd.Host == "" || cd.Port < 1 || cd.Port > 65535 || (cd.Type != "" && cd.Type != "direct" && cd.Type != "proxy" && cd.Type != "assisted" && cd.Type != "tunnel") {
				return fmt.Errorf("bad candidate %q", cd.CID)
			}
		}
	}
	if t := c.IBB; t != nil && (t.BlockSize < 1 || t.BlockSize > 65535 || t.SID == "") {
		return fmt.Errorf("bad ibb transport")
	}
	return nil
}
