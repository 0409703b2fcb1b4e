package jingle

import "fmt"

// Handle applies a parsed payload from the peer. A nil error means answer
// the IQ with a result; otherwise with an error.
func (s *Session) Handle(j Jingle) ([]Jingle, []Event, error) {
	if j.SID != s.sid {
		return nil, nil, fmt.Errorf("jingle: unknown session %q", j.SID)
	}
	if s.st == ended {
		return nil, nil, ErrState
	}
	switch j.Action {
	case SessionTerminate:
		s.st = ended
		r := Reason{Cond: GeneralError}
		if j.Reason != nil {
			r = *j.Reason
		}
		return nil, []Event{Ended{Reason: r, ByPeer: true}}, nil
	case SessionAccept:
		return s.accepted(j)
	case TransportInfo:
		return s.transportInfo(j)
	case TransportReplace:
		return s.replace(j)
	case TransportAccept:
		if s.role != Initiator || s.st != replacing {
			return nil, nil, ErrState
		}
		s.st = transfer
		return nil, []Event{StartTransfer{Via: "ibb", IBB: s.ibb, Send: true}}, nil
	case TransportReject:
		if s.st != replacing {
			return nil, nil, ErrState
		}
		out := s.terminate(FailedTransport, "")
		return out, []Event{Ended{Reason: Reason{Cond: FailedTransport}}}, nil
	case SessionInfo:
		return nil, nil, nil // checksum, received: informational
	}
	return nil, nil, ErrState
}

func (s *Session) accepted(j Jingle) ([]Jingle, []Event, error) {
	if s.role != Initiator || s.st != pending || len(j.Contents) != 1 {
		return nil, nil, ErrState
	}
	c := j.Contents[0]
	if s.content.IBB != nil {
		s.st = transfer
		return nil, []Event{StartTransfer{Via: "ibb", IBB: s.ibb, Send: true}}, nil
	}
	if c.S5B == nil {
		return nil, nil, fmt.Errorf("jingle: session-accept without the offered transport")
	}
	s.remote = c.S5B.Candidates
	s.st = negotiating
	return nil, []Event{s.connectEvent()}, nil
}

// S5BConnected reports that we connected to the peer's candidate cid.
func (s *Session) S5BConnected(cid string) ([]Jingle, []Event) {
	return s.ourResult(&cid, &S5B{SID: s.tsid, CandidateUsed: &CID{cid}})
}

// S5BFailed reports that none of the peer's candidates connected.
func (s *Session) S5BFailed() ([]Jingle, []Event) {
	none := ""
	return s.ourResult(&none, &S5B{SID: s.tsid, CandidateErr: &struct{}{}})
}

func (s *Session) ourResult(cid *string, t *S5B) ([]Jingle, []Event) {
	if s.st != negotiating || s.usedByMe != nil {
		return nil, nil
	}
	s.usedByMe = cid
	c := s.bare()
	c.S5B = t
	out, ev := s.decide()
	return append([]Jingle{s.jingle(TransportInfo, &c)}, out...), ev
}

func (s *Session) transportInfo(j Jingle) ([]Jingle, []Event, error) {
	if len(j.Contents) != 1 || j.Contents[0].S5B == nil {
		return nil, nil, ErrState
	}
	t := j.Contents[0].S5B
	switch {
	case t.Activated != nil:
		if s.st != waitActive || t.Activated.CID != s.chosen.CID {
			return nil, nil, ErrState
		}
		s.st = transfer
		return nil, []Event{s.start()}, nil
	case t.ProxyErr != nil:
		out := s.terminate(FailedTransport, "proxy error")
		return out, []Event{Ended{Reason: Reason{Cond: FailedTransport, Text: "proxy error"}}}, nil
	}
	if s.st != negotiating || s.usedByPeer != nil {
		return nil, nil, ErrState
	}
	cid := ""
	if t.CandidateUsed != nil {
		cid = t.CandidateUsed.CID
		if _, ok := find(s.local, cid); !ok {
			return nil, nil, fmt.Errorf("jingle: candidate-used names unknown candidate %q", cid)
		}
	} else if t.CandidateErr == nil {
		return nil, nil, ErrState
	}
	s.usedByPeer = &cid
	out, ev := s.decide()
	return out, ev, nil
}

func find(cs []Candidate, cid string) (Candidate, bool) {
	for _, c := range cs {
		if c.CID == cid {
			return c, true
		}
	}
	return Candidate{}, false
}

// decide picks the transport once both sides have reported (XEP-0260
// §2.4): the used candidate with the higher priority wins, on a tie the
// one the initiator used; with none, the initiator replaces the transport
// with IBB.
func (s *Session) decide() ([]Jingle, []Event) {
	if s.usedByMe == nil || s.usedByPeer == nil {
		return nil, nil
	}
	mine, okMine := find(s.remote, *s.usedByMe) // a peer candidate we reached
	theirs, okTheirs := find(s.local, *s.usedByPeer)
	switch {
	case okMine && okTheirs:
		if theirs.Priority > mine.Priority || (theirs.Priority == mine.Priority && s.role == Responder) {
			s.chosen, s.chosenOurs = theirs, true
		} else {
			s.chosen, s.chosenOurs = mine, false
		}
	case okMine:
		s.chosen, s.chosenOurs = mine, false
	case okTheirs:
		s.chosen, s.chosenOurs = theirs, true
	default:
		return s.fallback()
	}
	if s.chosen.Type == "proxy" {
		if s.chosenOurs {
			s.st = activating
			return nil, []Event{ActivateProxy{Candidate: s.chosen, DstAddr: DstAddr(s.tsid, s.self, s.peer)}}
		}
		s.st = waitActive
		return nil, nil
	}
	s.st = transfer
	return nil, []Event{s.start()}
}

func (s *Session) start() StartTransfer {
	return StartTransfer{Via: "s5b", CID: s.chosen.CID, Ours: s.chosenOurs, Send: s.role == Initiator}
}

// fallback: no SOCKS5 candidate connected. The initiator offers IBB with
// transport-replace; the responder waits for it.
func (s *Session) fallback() ([]Jingle, []Event) {
	if s.role != Initiator {
		s.st = replacing
		return nil, nil
	}
	s.st = replacing
	s.ibb = IBB{SID: s.tsid, BlockSize: 4096}
	c := s.bare()
	c.IBB = &s.ibb
	return []Jingle{s.jingle(TransportReplace, &c)}, nil
}

func (s *Session) replace(j Jingle) ([]Jingle, []Event, error) {
	if s.role != Responder || len(j.Contents) != 1 || j.Contents[0].IBB == nil {
		return nil, nil, ErrState
	}
	if s.st != replacing && s.st != negotiating {
		return nil, nil, ErrState
	}
	s.ibb = *j.Contents[0].IBB
	s.st = transfer
	c := s.bare()
	c.IBB = &s.ibb
	return []Jingle{s.jingle(TransportAccept, &c)}, []Event{StartTransfer{Via: "ibb", IBB: s.ibb}}, nil
}

// ProxyActivated reports the outcome of ActivateProxy: on success the peer
// is told (activated) and the transfer starts; on failure proxy-error and
// the session ends.
func (s *Session) ProxyActivated(err error) ([]Jingle, []Event) {
	if s.st != activating {
		return nil, nil
	}
	c := s.bare()
	if err != nil {
		c.S5B = &S5B{SID: s.tsid, ProxyErr: &struct{}{}}
		info := s.jingle(TransportInfo, &c)
		out := s.terminate(FailedTransport, "proxy activation failed")
		return append([]Jingle{info}, out...), []Event{Ended{Reason: Reason{Cond: FailedTransport, Text: err.Error()}}}
	}
	c.S5B = &S5B{SID: s.tsid, Activated: &CID{s.chosen.CID}}
	s.st = transfer
	return []Jingle{s.jingle(TransportInfo, &c)}, []Event{s.start()}
}
