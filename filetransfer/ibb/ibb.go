// Package ibb is XEP-0047 In-Band Bytestreams, written for this client
// rather than wrapping mellium.im/xmpp/ibb: mellium's incoming opens block
// its Serve until accepted and a timed-out Expect leaves an entry that
// blocks later opens, and its net.Conn hides the sequence and block-size
// checks we want next to the file sink. Here the sender runs over an
// abstract "send this IQ and wait for its result" interface and the
// receiver is a pure state machine fed parsed payloads, so the engine owns
// all stanza routing and nothing blocks its reader.
//
// Only IQ-carried data (stanza='iq') is used; it never holds more than one
// block in memory.
package ibb

import (
	"context"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"chat/filetransfer/internal/bounded"
)

// NS is the XEP-0047 namespace.
const NS = "http://jabber.org/protocol/ibb"

// MaxBlockSize is the largest block we accept or send; DefaultBlockSize
// what we offer (Prosody and slixmpp are happy with it).
const (
	MaxBlockSize     = 65535
	DefaultBlockSize = 4096
	maxPayload       = MaxBlockSize/3*4 + 4096
)

// Open starts a bytestream.
type Open struct {
	XMLName   xml.Name `xml:"http://jabber.org/protocol/ibb open"`
	BlockSize int      `xml:"block-size,attr"`
	SID       string   `xml:"sid,attr"`
	Stanza    string   `xml:"stanza,attr,omitempty"`
}

// Data is one block; Data holds the decoded bytes.
type Data struct {
	XMLName xml.Name `xml:"http://jabber.org/protocol/ibb data"`
	Seq     uint16   `xml:"seq,attr"`
	SID     string   `xml:"sid,attr"`
	Data    []byte   `xml:"-"`
	Text    string   `xml:",chardata"`
}

// Close ends a bytestream.
type Close struct {
	XMLName xml.Name `xml:"http://jabber.org/protocol/ibb close"`
	SID     string   `xml:"sid,attr"`
}

// NewData builds a data payload for block b.
func NewData(sid string, seq uint16, b []byte) Data {
	return Data{SID: sid, Seq: seq, Text: base64.StdEncoding.EncodeToString(b)}
}

// Parse parses an open, data or close payload (at most maxPayload bytes)
// and returns an Open, Data or Close value. Data's base64 is decoded.
func Parse(b []byte) (any, error) {
	d := xml.NewDecoder(strings.NewReader(string(b[:min(len(b), 256)])))
	local := ""
	for tok, err := d.Token(); err == nil; tok, err = d.Token() {
		if se, ok := tok.(xml.StartElement); ok {
			local = se.Name.Local
			break
		}
	}
	switch local {
	case "open":
		var o Open
		if err := bounded.Decode(b, maxPayload, NS, local, &o); err != nil {
			return nil, fmt.Errorf("ibb: %w", err)
		}
		if o.SID == "" || o.BlockSize < 1 || o.BlockSize > MaxBlockSize {
			return nil, fmt.Errorf("ibb: open with sid %q and block-size %d", o.SID, o.BlockSize)
		}
		return o, nil
	case "data":
		var v Data
		if err := bounded.Decode(b, maxPayload, NS, local, &v); err != nil {
			return nil, fmt.Errorf("ibb: %w", err)
		}
		raw, err := base64.StdEncoding.DecodeString(stripSpace(v.Text))
		if err != nil {
			return nil, fmt.Errorf("ibb: data: %w", err)
		}
		v.Data, v.Text = raw, ""
		return v, nil
	case "close":
		var c Close
		if err := bounded.Decode(b, maxPayload, NS, local, &c); err != nil {
			return nil, fmt.Errorf("ibb: %w", err)
		}
		return c, nil
	}
	return nil, errors.New("ibb: not an open, data or close element")
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
}

// IQSender sends a set IQ carrying payload to the peer and returns when
// its result arrives; an error IQ or a timeout is an error.
type IQSender interface {
	SendIQ(ctx context.Context, payload any) error
}

// Send opens a bytestream sid, sends r in blocks of blockSize (one IQ at a
// time, each waiting for its result) and closes it. progress, when not
// nil, gets the running total. A failure mid-way still tries to close.
func Send(ctx context.Context, s IQSender, sid string, blockSize int, r io.Reader, progress func(int64)) (int64, error) {
	if blockSize < 1 || blockSize > MaxBlockSize {
		return 0, fmt.Errorf("ibb: block size %d", blockSize)
	}
	if err := s.SendIQ(ctx, Open{SID: sid, BlockSize: blockSize, Stanza: "iq"}); err != nil {
		return 0, fmt.Errorf("ibb: open refused: %w", err)
	}
	buf := make([]byte, blockSize)
	var total int64
	var seq uint16
	for {
		n, rerr := io.ReadFull(r, buf)
		if n > 0 {
			if err := s.SendIQ(ctx, NewData(sid, seq, buf[:n])); err != nil {
				s.SendIQ(context.WithoutCancel(ctx), Close{SID: sid})
				return total, fmt.Errorf("ibb: data %d: %w", seq, err)
			}
			seq++ // wraps at 65535 as XEP-0047 §2.2 says
			total += int64(n)
			if progress != nil {
				progress(total)
			}
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			s.SendIQ(context.WithoutCancel(ctx), Close{SID: sid})
			return total, fmt.Errorf("ibb: read: %w", rerr)
		}
	}
	if err := s.SendIQ(ctx, Close{SID: sid}); err != nil {
		return total, fmt.Errorf("ibb: close: %w", err)
	}
	return total, nil
}
