package httpupload

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"path"
	"strconv"
	"strings"
	"unicode"

	"chat/server/svc"

	"mellium.im/xmpp/jid"
)

const maxName = 200

// request answers a slot request (XEP-0363 §4).
func (s *Service) request(q svc.IQ) []byte {
	size, err := strconv.ParseInt(q.Attr("size"), 10, 64)
	if err != nil || size < 0 {
		return svc.Error(q, "modify", "bad-request", nil)
	}
	if size > s.cfg.MaxSize {
		app := fmt.Sprintf("<file-too-large xmlns='%s'><max-file-size>%d</max-file-size></file-too-large>", NS, s.cfg.MaxSize)
		return svc.Error(q, "modify", "not-acceptable", []byte(app))
	}
	from, err := jid.Parse(q.From)
	if err != nil {
		return svc.Error(q, "modify", "bad-request", nil)
	}
	name := SafeName(q.Attr("filename"))
	ctype := q.Attr("content-type")
	if len(ctype) > 128 {
		ctype = ""
	}
	token, err := s.newSlot(from.Bare().String(), name, ctype, size)
	if err != nil {
		return svc.Error(q, "wait", "resource-constraint", nil)
	}
	u := s.cfg.BaseURL + "/" + token + "/" + url.PathEscape(name)
	e := svc.Escape(u)
	return svc.Result(q, []byte("<slot xmlns='"+NS+"'><put url='"+e+"'/><get url='"+e+"'/></slot>"))
}

// newSlot records a slot for owner and returns its token.
func (s *Service) newSlot(owner, name, ctype string, size int64) (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	token := hex.EncodeToString(b[:])
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	mine := 0
	for t, sl := range s.slots {
		switch {
		case now.After(sl.expires):
			delete(s.slots, t)
		case sl.owner == owner:
			mine++
		}
	}
	if mine >= s.cfg.MaxSlotsPerUser || len(s.slots) >= s.cfg.MaxSlots {
		return "", fmt.Errorf("too many slots waiting")
	}
	s.slots[token] = &slot{owner: owner, name: name, ctype: ctype, size: size, expires: now.Add(s.cfg.SlotTimeout)}
	return token, nil
}

// take removes and returns the slot of token for name, if it is waiting.
func (s *Service) take(token, name string) *slot {
	s.mu.Lock()
	defer s.mu.Unlock()
	sl := s.slots[token]
	if sl == nil || sl.name != name {
		return nil
	}
	delete(s.slots, token)
	if s.now().After(sl.expires) {
		return nil
	}
	return sl
}

// SafeName reduces a file name to a plain one: no folders, no control or
// format characters, no leading dot, at most 200 bytes; "file" if nothing
// is left.
func SafeName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	var b strings.Builder
	for _, r := range name {
		if r == unicode.ReplacementChar || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '/' {
			continue
		}
		if b.Len()+len(string(r)) > maxName {
			break
		}
		b.WriteRune(r)
	}
	out := strings.TrimLeftFunc(b.String(), func(r rune) bool { return r == '.' || unicode.IsSpace(r) })
	out = strings.TrimRightFunc(out, unicode.IsSpace)
	if out == "" {
		return "file"
	}
	return out
}

func validToken(t string) bool {
	if len(t) != 32 {
		return false
	}
	_, err := hex.DecodeString(t)
	return err == nil && strings.ToLower(t) == t
}
