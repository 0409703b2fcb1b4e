package ibb

import (
	"errors"
	"fmt"
	"io"
)

// Conditions a Receiver's error maps to in the IQ error reply.
var (
	// ErrNotAcceptable: a block-size over our limit (resource-constraint).
	ErrNotAcceptable = errors.New("ibb: block size not acceptable")
	// ErrUnexpected: data before open, or a wrong or repeated seq
	// (unexpected-request; the stream is then closed).
	ErrUnexpected = errors.New("ibb: unexpected request")
	// ErrUnknownSID: a payload for another stream (item-not-found).
	ErrUnknownSID = errors.New("ibb: unknown session")
	// ErrBadBlock: a block longer than the negotiated size (bad-request).
	ErrBadBlock = errors.New("ibb: block longer than the block size")
)

// Receiver is the receiving end of one bytestream: a pure state machine fed
// parsed payloads (from Parse) that writes the data in order to W. Its
// errors say which IQ error to answer with; after any error other than
// ErrUnknownSID the stream is dead. A write error (from a Sink: overrun or
// size limit) ends the stream too and is returned as is.
type Receiver struct {
	sid      string
	maxBlock int
	w        io.Writer
	block    int
	seq      uint16
	opened   bool
	closed   bool
	err      error
	n        int64
}

// NewReceiver expects stream sid with blocks of at most maxBlock bytes.
func NewReceiver(sid string, maxBlock int, w io.Writer) *Receiver {
	return &Receiver{sid: sid, maxBlock: min(maxBlock, MaxBlockSize), w: w}
}

// Closed reports whether the peer closed the stream cleanly.
func (r *Receiver) Closed() bool { return r.closed }

// Received is how many bytes went to W.
func (r *Receiver) Received() int64 { return r.n }

// Handle applies one payload. A nil error means answer with a result.
func (r *Receiver) Handle(p any) error {
	if r.err != nil {
		return r.err
	}
	switch v := p.(type) {
	case Open:
		return r.open(v)
	case Data:
		return r.data(v)
	case Close:
		if v.SID != r.sid {
			return ErrUnknownSID
		}
		if !r.opened {
			return r.fail(ErrUnexpected)
		}
		r.closed = true
		r.err = errors.New("ibb: stream closed")
		return nil
	}
	return fmt.Errorf("ibb: payload %T", p)
}

func (r *Receiver) open(o Open) error {
	if o.SID != r.sid {
		return ErrUnknownSID
	}
	if r.opened {
		return r.fail(ErrUnexpected)
	}
	if o.BlockSize > r.maxBlock {
		return ErrNotAcceptable // the peer may retry with a smaller size
	}
	if o.Stanza != "" && o.Stanza != "iq" {
		return ErrNotAcceptable
	}
	r.opened, r.block = true, o.BlockSize
	return nil
}

func (r *Receiver) data(d Data) error {
	if d.SID != r.sid {
		return ErrUnknownSID
	}
	if !r.opened || d.Seq != r.seq {
		return r.fail(ErrUnexpected)
	}
	if len(d.Data) > r.block {
		return r.fail(ErrBadBlock)
	}
	n, err := r.w.Write(d.Data)
	r.n += int64(n)
	if err != nil {
		return r.fail(err)
	}
	r.seq++
	return nil
}

func (r *Receiver) fail(err error) error {
	r.err = err
	return err
}
