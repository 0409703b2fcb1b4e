package jingle

import (
	"errors"
	"fmt"
	"sort"

	"chat/filetransfer/socks5"
)

// Role says which end of the session we are; the initiator sends the file.
type Role int

// Roles.
const (
	Initiator Role = iota
	Responder
)

type state int

const (
	pending     state = iota // initiate sent or received, no answer yet
	negotiating              // accepted, SOCKS5 candidates being tried
	replacing                // transport-replace to IBB sent
	activating               // our proxy candidate chosen, activation running
	waitActive               // the peer's proxy candidate chosen, waiting for activated
	transfer                 // bytes moving
	ended
)

// Event is one of Offered, ConnectS5B, ActivateProxy, StartTransfer and
// Ended.
type Event any

// Events the caller acts on or shows.
type (
	// Offered: a file is offered (responder); Accept or Reject it.
	Offered struct{ File File }
	// ConnectS5B: try these candidates of the peer in order (highest
	// priority first) with DstAddr, then call S5BConnected or S5BFailed.
	ConnectS5B struct {
		Candidates []Candidate
		DstAddr    string
	}
	// ActivateProxy: our proxy candidate won; connect to it, send the
	// XEP-0065 activate IQ, then call ProxyActivated.
	ActivateProxy struct {
		Candidate Candidate
		DstAddr   string
	}
	// StartTransfer: move the bytes. Via is "s5b" (use the connection for
	// CID; Ours means the candidate is one we offered) or "ibb" (open or
	// expect the in-band stream IBB). Send says whether we send.
	StartTransfer struct {
		Via  string
		CID  string
		Ours bool
		IBB  IBB
		Send bool
	}
	// Ended: the session is over.
	Ended struct {
		Reason Reason
		ByPeer bool
	}
)

// ErrState is returned for a payload that makes no sense now (answer it
// with an IQ error, out-of-order).
var ErrState = errors.New("jingle: unexpected action in this state")

// Session is one file-transfer session. It is not safe for concurrent use.
type Session struct {
	role       Role
	sid        string
	self, peer string
	content    Content
	file       File
	tsid       string
	local      []Candidate
	remote     []Candidate
	usedByMe   *string // cid of the peer's candidate we connected to ("" = error)
	usedByPeer *string // cid of our candidate the peer connected to
	chosen     Candidate
	chosenOurs bool
	ibb        IBB
	st         state
}

// SID is the session id.
func (s *Session) SID() string { return s.sid }

// File is the file offered.
func (s *Session) File() File { return s.file }

// Done reports whether the session has ended.
func (s *Session) Done() bool { return s.st == ended }

// DstAddr is the XEP-0260 address for candidates offered by offerer: SHA-1
// of the transport sid, the offerer's JID and the other party's JID.
func DstAddr(tsid, offerer, other string) string { return socks5.DstAddr(tsid, offerer, other) }

// Initiate starts an outgoing offer of file from self to peer. With
// candidates it offers the SOCKS5 transport tsid (falling back to IBB when
// none connects); without, IBB straight away.
func Initiate(self, peer, sid, tsid string, file File, candidates []Candidate) (*Session, Jingle) {
	s := &Session{role: Initiator, sid: sid, self: self, peer: peer, file: file, tsid: tsid, local: candidates}
	c := Content{Creator: "initiator", Name: "file", Senders: "initiator", Description: &Description{File: file}}
	if len(candidates) > 0 {
		c.S5B = &S5B{SID: tsid, Mode: "tcp", DstAddr: DstAddr(tsid, self, peer), Candidates: candidates}
	} else {
		s.ibb = IBB{SID: tsid, BlockSize: 4096}
		c.IBB = &s.ibb
	}
	s.content = c
	return s, Jingle{Action: SessionInitiate, Initiator: self, SID: sid, Contents: []Content{c}}
}

// Incoming makes the responder's session from a parsed session-initiate
// received from peer. It needs a file description and a transport we know.
func Incoming(self, peer string, j Jingle) (*Session, []Event, error) {
	if j.Action != SessionInitiate || len(j.Contents) != 1 {
		return nil, nil, fmt.Errorf("jingle: not a single-content session-initiate")
	}
	if j.Initiator != "" && j.Initiator != peer {
		return nil, nil, fmt.Errorf("jingle: initiator %q is not the sender", j.Initiator)
	}
	c := j.Contents[0]
	if c.Description == nil || (c.S5B == nil && c.IBB == nil) {
		return nil, nil, fmt.Errorf("jingle: no file description or no known transport")
	}
	if c.Senders != "" && c.Senders != "initiator" {
		return nil, nil, fmt.Errorf("jingle: file requests (senders=%q) are not supported", c.Senders)
	}
	s := &Session{role: Responder, sid: j.SID, self: self, peer: peer, content: c, file: c.Description.File}
	if c.S5B != nil {
		s.tsid, s.remote = c.S5B.SID, c.S5B.Candidates
	} else {
		s.ibb, s.tsid = *c.IBB, c.IBB.SID
	}
	return s, []Event{Offered{File: s.file}}, nil
}

func (s *Session) jingle(action string, c *Content) Jingle {
	j := Jingle{Action: action, SID: s.sid}
	if c != nil {
		j.Contents = []Content{*c}
	}
	return j
}

func (s *Session) bare() Content {
	return Content{Creator: s.content.Creator, Name: s.content.Name}
}

// Accept is the user accepting an offer (responder). With SOCKS5 it offers
// our own candidates and starts trying the peer's.
func (s *Session) Accept(candidates []Candidate) ([]Jingle, []Event) {
	if s.role != Responder || s.st != pending {
		return nil, nil
	}
	c := s.content
	if c.S5B == nil {
		s.st = transfer
		out := s.jingle(SessionAccept, &c)
		out.Responder = s.self
		return []Jingle{out}, []Event{StartTransfer{Via: "ibb", IBB: s.ibb}}
	}
	s.local = candidates
	c.S5B = &S5B{SID: s.tsid, Mode: "tcp", DstAddr: DstAddr(s.tsid, s.self, s.peer), Candidates: candidates}
	s.st = negotiating
	out := s.jingle(SessionAccept, &c)
	out.Responder = s.self
	return []Jingle{out}, []Event{s.connectEvent()}
}

func (s *Session) connectEvent() ConnectS5B {
	cs := append([]Candidate(nil), s.remote...)
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Priority > cs[j].Priority })
	return ConnectS5B{Candidates: cs, DstAddr: DstAddr(s.tsid, s.peer, s.self)}
}

// Reject declines an offer.
func (s *Session) Reject() []Jingle { return s.terminate(Decline, "") }

// Cancel ends the session from our side at any point.
func (s *Session) Cancel() []Jingle { return s.terminate(Cancel, "") }

// Fail ends the session with a reason (e.g. MediaError, FailedTransport).
func (s *Session) Fail(cond, text string) []Jingle { return s.terminate(cond, text) }

func (s *Session) terminate(cond, text string) []Jingle {
	if s.st == ended {
		return nil
	}
	s.st = ended
	j := s.jingle(SessionTerminate, nil)
	j.Reason = &Reason{Cond: cond, Text: text}
	return []Jingle{j}
}

// TransferDone reports the end of the byte stream: for the receiver, err
// is nil only when the file is complete and its hash verified, and the
// session is terminated with success or media-error; the sender waits for
// the receiver's terminate unless err is not nil.
func (s *Session) TransferDone(err error) ([]Jingle, []Event) {
	if s.st != transfer {
		return nil, nil
	}
	if err != nil {
		out := s.terminate(MediaError, err.Error())
		return out, []Event{Ended{Reason: Reason{Cond: MediaError, Text: err.Error()}}}
	}
	if s.role == Initiator {
		return nil, nil
	}
	return s.terminate(Success, ""), []Event{Ended{Reason: Reason{Cond: Success}}}
}
