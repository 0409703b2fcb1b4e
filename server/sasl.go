package server

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"time"

	"chat/server/store"

	"mellium.im/sasl"
	"mellium.im/xmpp/jid"
)

// mechanisms are offered strongest first. The -PLUS variants are not:
// mellium's server side has no channel binding. PLAIN is safe here because
// STARTTLS is required before SASL is offered at all.
var mechanisms = []sasl.Mechanism{sasl.ScramSha256, sasl.ScramSha1, sasl.Plain}

func mechanismByName(name string) (sasl.Mechanism, bool) {
	for _, m := range mechanisms {
		if m.Name == name {
			return m, true
		}
	}
	return sasl.Mechanism{}, false
}

// mechanismsFeature is the stream feature offering the mechanisms.
func mechanismsFeature() *node {
	f := elem(nsSASL, "mechanisms")
	for _, m := range mechanisms {
		f.add(elem(nsSASL, "mechanism").add(m.Name))
	}
	return f
}

// saslFailure is an RFC 6120 §6.5 failure with its condition.
func saslFailure(cond string) []byte {
	return elem(nsSASL, "failure").add(elem(nsSASL, cond)).appendTo(nil, nsClient)
}

// authenticate runs one SASL exchange that began with auth. It returns nil
// both on success (c.user is then set) and on a failure the client may
// retry; an error ends the connection.
func (c *conn) authenticate(auth *node) error {
	mech, ok := mechanismByName(auth.get("mechanism"))
	if !ok {
		return c.authFailed("invalid-mechanism", "", "unknown mechanism "+auth.get("mechanism"))
	}
	var claimed jid.JID // who the client says it is; proven only on success
	c.tried = ""
	n := sasl.NewServer(mech, c.checkPlain(&claimed), sasl.SaltedCredentials(c.fetchSalted(&claimed)))
	text := auth.text()
	for {
		if text == "" { // no initial response: ask for one with an empty challenge
			if err := c.write(elem(nsSASL, "challenge").appendTo(nil, nsClient)); err != nil {
				return err
			}
			var err error
			if text, err = c.saslResponse(); err != nil || text == "" {
				return c.saslAbort(err, claimed)
			}
		}
		payload, err := decodeSASL(text)
		if err != nil {
			return c.authFailed("incorrect-encoding", claimed.String(), "bad base64")
		}
		more, resp, err := n.Step(payload)
		if err != nil {
			return c.authFailed("not-authorized", claimed.String(), err.Error())
		}
		if !more {
			return c.saslSuccess(mech.Name, claimed, resp)
		}
		ch := elem(nsSASL, "challenge").add(base64.StdEncoding.EncodeToString(resp))
		if err := c.write(ch.appendTo(nil, nsClient)); err != nil {
			return err
		}
		if text, err = c.saslResponse(); err != nil || text == "" {
			return c.saslAbort(err, claimed)
		}
	}
}

// saslResponse reads the client's next response; an abort or an empty
// response gives "".
func (c *conn) saslResponse() (string, error) {
	n, err := c.r.next()
	if err != nil {
		return "", err
	}
	switch {
	case n.name.Space == nsSASL && n.name.Local == "response":
		t := n.text()
		if t == "" {
			t = "="
		}
		return t, nil
	case n.name.Space == nsSASL && n.name.Local == "abort":
		return "", nil
	}
	return "", errStream("policy-violation", "expected a SASL response, got <%s/>", n.name.Local)
}

// saslAbort ends an exchange the client aborted (err nil) or broke.
func (c *conn) saslAbort(err error, claimed jid.JID) error {
	if err != nil {
		return err
	}
	return c.authFailed("aborted", claimed.String(), "aborted")
}

func (c *conn) saslSuccess(mech string, user jid.JID, resp []byte) error {
	if user.Localpart() == "" {
		return errStream("internal-server-error", "authenticated nobody")
	}
	if !c.srv.markAuthed(c) {
		return errors.New("evicted while logging in")
	}
	c.srv.throttle.succeeded(user.String())
	s := elem(nsSASL, "success")
	if len(resp) > 0 {
		s.add(base64.StdEncoding.EncodeToString(resp))
	}
	if err := c.write(s.appendTo(nil, nsClient)); err != nil {
		return err
	}
	c.user, c.mech = user, mech
	c.srv.logf("login %s with %s from %s", user, mech, c.ip)
	return nil
}

// authFailed counts a failed attempt, against the connection and, if a
// name was tried, against that account and the address (which makes
// their next attempts wait: see loginThrottle), answers with a failure of
// condition cond, and ends the connection after too many. The counting
// comes first so that a client that has read the failure finds it
// counted.
func (c *conn) authFailed(cond, user, why string) error {
	c.failures++
	if user == "" {
		user = c.tried
	}
	c.srv.logf("login failed for %q from %s: %s", user, c.ip, why)
	if c.tried != "" {
		c.srv.throttle.failed(c.tried, addrKey(c.ip))
	}
	c.srv.setStage(c, stageFailed)
	if err := c.write(saslFailure(cond)); err != nil {
		return err
	}
	if c.failures >= c.srv.cfg.MaxAuthFailures {
		return errStream("policy-violation", "too many failed logins")
	}
	return nil
}

func decodeSASL(text string) ([]byte, error) {
	if text == "=" {
		return []byte{}, nil
	}
	return base64.StdEncoding.DecodeString(text)
}

// checkPlain is PLAIN's permission check: the password against the store.
func (c *conn) checkPlain(claimed *jid.JID) func(*sasl.Negotiator) bool {
	return func(n *sasl.Negotiator) bool {
		username, password, identity := n.Credentials()
		u, ok := c.claim(username, identity)
		if !ok {
			return false
		}
		good, err := c.srv.store.CheckPassword(c.srv.ctx, u.String(), string(password))
		if err != nil && !errors.Is(err, store.ErrNoUser) {
			c.srv.logf("check password of %s: %v", u, err)
		}
		if good && err == nil {
			*claimed = u
		}
		return good && err == nil
	}
}

// fetchSalted gives SCRAM the salted password of the named user.
func (c *conn) fetchSalted(claimed *jid.JID) sasl.SaltedCredentialsFetcher {
	return func(username, identity []byte, mech string) ([]byte, []byte, int64, error) {
		u, ok := c.claim(username, identity)
		if !ok {
			return nil, nil, 0, sasl.ErrAuthn
		}
		ctx, cancel := context.WithTimeout(c.srv.ctx, 10*time.Second)
		defer cancel()
		salt, salted, iter, err := c.srv.store.SaltedCredentials(ctx, u.String(), mech)
		if errors.Is(err, store.ErrNoUser) {
			return c.srv.decoy(u.String(), mech)
		}
		if err != nil {
			c.srv.logf("salted credentials of %s: %v", u, err)
			return nil, nil, 0, sasl.ErrAuthn
		}
		*claimed = u
		return salt, salted, iter, nil
	}
}

// decoy returns made-up SCRAM credentials for an account that does not
// exist: the same salt every time for a name, and a salted password
// nobody can match. The exchange then fails at the proof, exactly like a
// wrong password, so that SCRAM does not tell which accounts exist.
func (srv *Server) decoy(user, mech string) ([]byte, []byte, int64, error) {
	mac := hmac.New(sha256.New, srv.secret[:])
	mac.Write([]byte(mech + "\x00" + user))
	sum := mac.Sum(nil)
	salted := make([]byte, 32)
	_, _ = rand.Read(salted)
	return sum[:16], salted, store.DefaultIterations, nil
}

// claim maps a SASL username (a localpart, or a bare JID of our domain)
// and an optional authorization identity to an account JID, once the
// failed logins of that account and of the client's address allow.
func (c *conn) claim(username, identity []byte) (jid.JID, bool) {
	u, err := userJID(c.srv.domain, string(username))
	if err != nil {
		return jid.JID{}, false
	}
	if len(identity) > 0 {
		id, err := userJID(c.srv.domain, string(identity))
		if err != nil || !id.Equal(u) {
			return jid.JID{}, false
		}
	}
	c.tried = u.String()
	if err := c.srv.throttle.wait(c.srv.ctx, c.tried, addrKey(c.ip)); err != nil {
		return jid.JID{}, false
	}
	return u, true
}
