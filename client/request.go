package client

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"time"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/jid"
	"mellium.im/xmpp/stanza"
)

// This file is the client's one way of sending an IQ and getting its
// answer: the request goes through the ordered outgoing queue with a fresh
// id, the id goes into the session's reply table with the JID the answer
// must come from, and the reading goroutine hands the answer over (iq.go,
// answer). Nothing here uses mellium's own IQ tracking, which accepts an
// answer from anyone who guesses the id.

// Errors a request can end with besides an *IQError.
var (
	ErrNoReply      = errors.New("no reply in time")
	ErrSessionEnded = errors.New("the connection ended before the reply came")
	ErrNotSent      = errors.New("not sent: the connection was lost first")
)

// IQError is an error reply to an IQ we sent. It wraps the stanza error,
// so errors.Is(err, stanza.Error{Condition: stanza.ItemNotFound}) works.
type IQError struct {
	From string
	Err  stanza.Error
}

func (e *IQError) Error() string {
	cond := string(e.Err.Condition)
	if cond == "" {
		cond = string(stanza.UndefinedCondition)
	}
	if text := e.Err.Text[""]; text != "" {
		return cond + ": " + text
	}
	for _, text := range e.Err.Text { // only other languages: any one will do
		return cond + ": " + text
	}
	return cond
}

func (e *IQError) Unwrap() error { return e.Err }

// iqRequest is an IQ to send.
type iqRequest struct {
	Type    string          // "get" or "set"
	To      jid.JID         // zero: our own account, answered by our server
	Payload xml.TokenReader // the child element
	What    string          // names the request in a "not sent" report
	Timeout time.Duration   // 0: the configured IQTimeout
}

// iqReply is a result: who sent it and its children, copied out of the
// stream (they are bounded by the stanza size limit).
type iqReply struct {
	From    string
	payload []xml.Token
}

// Empty reports whether the result has no payload.
func (r *iqReply) Empty() bool {
	for _, tok := range r.payload {
		if _, ok := tok.(xml.StartElement); ok {
			return false
		}
	}
	return true
}

// Decode decodes the first child element of the result into v; it
// returns io.EOF for an empty result.
func (r *iqReply) Decode(v any) error {
	return xml.NewTokenDecoder(&tokenSlice{toks: r.payload}).Decode(v)
}

type tokenSlice struct{ toks []xml.Token }

func (s *tokenSlice) Token() (xml.Token, error) {
	if len(s.toks) == 0 {
		return nil, io.EOF
	}
	tok := s.toks[0]
	s.toks = s.toks[1:]
	return tok, nil
}

// pendingIQ is one entry of the reply table. result is written once, by
// whoever removes the entry from the table.
type pendingIQ struct {
	id     string
	to     jid.JID
	result chan iqResult
}

type iqResult struct {
	reply *iqReply
	err   error
}

// sendIQ registers req in the reply table and queues it in order with the
// other stanzas; it never blocks. The answer is collected with await.
func (s *session) sendIQ(req iqRequest) *pendingIQ {
	p := &pendingIQ{id: randomID(), to: req.To, result: make(chan iqResult, 1)}
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		p.result <- iqResult{err: ErrSessionEnded}
		return p
	}
	if s.replies == nil {
		s.replies = map[string]*pendingIQ{}
	}
	s.replies[p.id] = p
	s.mu.Unlock()
	attrs := []xml.Attr{{Name: xml.Name{Local: "type"}, Value: req.Type}, {Name: xml.Name{Local: "id"}, Value: p.id}}
	if !req.To.Equal(jid.JID{}) {
		attrs = append(attrs, xml.Attr{Name: xml.Name{Local: "to"}, Value: req.To.String()})
	}
	s.queueOut(outgoing{r: xmlstream.Wrap(req.Payload, xml.StartElement{Name: xml.Name{Local: "iq"}, Attr: attrs}),
		what: req.What, iqID: p.id})
	return p
}

// await waits for the answer to p, for at most timeout, and returns the
// result, an *IQError for an error reply, ErrNoReply, ErrNotSent or
// ErrSessionEnded. The reply table never keeps an entry await gave up on.
func (s *session) await(ctx context.Context, p *pendingIQ, timeout time.Duration) (*iqReply, error) {
	if timeout <= 0 {
		timeout = s.iqTimeout
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r := <-p.result:
		return r.reply, r.err
	case <-timer.C:
		s.forget(p.id)
		return nil, fmt.Errorf("%w (waited %s)", ErrNoReply, timeout)
	case <-ctx.Done():
		s.forget(p.id)
		return nil, ctx.Err()
	}
}

// request sends req and waits for its answer: the blocking form, for
// workers. It must not be called on the reading goroutine (the handler),
// which is the one that delivers answers.
func (s *session) request(ctx context.Context, req iqRequest) (*iqReply, error) {
	return s.await(ctx, s.sendIQ(req), req.Timeout)
}

// requestAsync sends req now, in order, and calls done with the answer on
// a goroutine the session owns (so done may emit events). It fails with
// ErrOffline if the session is already over.
func (s *session) requestAsync(req iqRequest, done func(*iqReply, error)) error {
	p := s.sendIQ(req)
	// Not s.ctx: the session ending fails the request itself (failPending),
	// with an error that says so rather than "context canceled".
	if !s.spawn(func() { done(s.await(context.Background(), p, req.Timeout)) }) {
		s.forget(p.id)
		return ErrOffline
	}
	return nil
}

// request is the engine-level blocking form: the current session, or
// ErrOffline.
func (e *Engine) request(ctx context.Context, req iqRequest) (*iqReply, error) {
	s := e.current()
	if s == nil {
		return nil, ErrOffline
	}
	return s.request(ctx, req)
}

// forget removes an entry nobody waits for any more.
func (s *session) forget(id string) {
	s.mu.Lock()
	delete(s.replies, id)
	s.mu.Unlock()
}

// resolve hands res to the request with this id, if there is one and the
// answer comes from where the request went: from must be the JID we
// sent to, or for a request to our own account, our server (no from, our
// bare JID or our domain). A reply from anyone else is ignored and the
// request keeps waiting, so a forged answer can neither satisfy nor
// cancel it.
func (s *session) resolve(id, from string, self jid.JID, res iqResult) bool {
	s.mu.Lock()
	p, ok := s.replies[id]
	if !ok || !replyFrom(p.to, from, self) {
		s.mu.Unlock()
		return false
	}
	delete(s.replies, id)
	s.mu.Unlock()
	p.result <- res
	return true
}

// replyFrom reports whether an answer from from may answer a request sent
// to to by the account self.
func replyFrom(to jid.JID, from string, self jid.JID) bool {
	ownAccount := to.Equal(jid.JID{}) || to.Equal(self.Bare())
	if from == "" { // RFC 6120 §8.1.2.1: our server speaking for our account (mellium blanks our bare JID too)
		return ownAccount
	}
	f, err := jid.Parse(from)
	if err != nil {
		return false
	}
	if ownAccount {
		return f.Equal(self.Bare()) || f.Equal(self.Domain())
	}
	return f.Equal(to)
}

// failPending ends every request still waiting with err, and refuses new
// ones from now on: the session is over.
func (s *session) failPending(err error) {
	s.mu.Lock()
	s.ended = true
	waiting := s.replies
	s.replies = nil
	s.mu.Unlock()
	for _, p := range waiting {
		p.result <- iqResult{err: err}
	}
}

// failUnsent ends the request of an IQ that was dropped from the queue
// before it was written.
func (s *session) failUnsent(id string) {
	s.mu.Lock()
	p, ok := s.replies[id]
	delete(s.replies, id)
	s.mu.Unlock()
	if ok {
		p.result <- iqResult{err: ErrNotSent}
	}
}
