package client

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"chat/event"

	"mellium.im/xmpp"
	"mellium.im/xmpp/jid"
)

// The login path as it really runs, against the embedded server: a wrong
// password comes back as an *AuthError with the server's condition, and
// is fatal. This pins the classification: if the SASL exchange stopped
// producing AuthError, the engine would retry a wrong password forever.
func TestWrongPasswordOnEmbeddedServerIsAuthError(t *testing.T) {
	es := startEmbedded(t)
	e, err := New(es.config("alice", "wrong"), make(chan event.Event, 8))
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.login(context.Background())
	var auth *AuthError
	if !errors.As(err, &auth) || auth.Condition != "not-authorized" {
		t.Fatalf("login with a wrong password: %v (%T), want an AuthError not-authorized", err, err)
	}
	if !isFatal(err) || !strings.Contains(err.Error(), "wrong JID or password") {
		t.Errorf("error %q: want fatal, saying wrong JID or password", err)
	}

	s, err := New(es.config("alice", embeddedUsers["alice"]), make(chan event.Event, 8))
	if err != nil {
		t.Fatal(err)
	}
	sess, err := s.login(context.Background())
	if err != nil {
		t.Fatalf("login with the right password: %v", err)
	}
	sess.xs.Conn().Close()
	if sess.mechanism != "SCRAM-SHA-256" {
		t.Errorf("mechanism %q, want SCRAM-SHA-256", sess.mechanism)
	}
}

// scriptedSASL runs our SASL feature on a stream already marked secure
// against a fake server that offers mechs and answers <auth/> with answer.
func scriptedSASL(t *testing.T, mechs []string, answer string) error {
	t.Helper()
	client, server := net.Pipe()
	defer client.Close()
	go fakeSASLServer(server, mechs, answer)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var chosen string
	var cb []string
	features := []xmpp.StreamFeature{recordingSASL("secret", &chosen, &cb)}
	origin := jid.MustParse("alice@localhost")
	_, err := xmpp.NewSession(ctx, origin.Domain(), origin, client, xmpp.Secure,
		xmpp.NewNegotiator(func(*xmpp.Session, *xmpp.StreamConfig) xmpp.StreamConfig {
			return xmpp.StreamConfig{Features: features}
		}))
	if err == nil {
		return errors.New("login succeeded")
	}
	return classifyLoginError(err)
}

func fakeSASLServer(conn net.Conn, mechs []string, answer string) {
	defer conn.Close()
	d := xml.NewDecoder(conn)
	if _, err := firstChild(d); err != nil { // <stream:stream>
		return
	}
	var list strings.Builder
	for _, m := range mechs {
		fmt.Fprintf(&list, "<mechanism>%s</mechanism>", m)
	}
	fmt.Fprintf(conn, "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' "+
		"id='s1' from='localhost' version='1.0'><stream:features><mechanisms xmlns='%s'>%s</mechanisms></stream:features>",
		nsSASL, list.String())
	start, err := firstChild(d)
	if err != nil || start.Name.Local != "auth" {
		return
	}
	if err := d.Skip(); err != nil {
		return
	}
	fmt.Fprint(conn, answer)
	_, _ = d.Token() // wait for the client to hang up
}

func TestSASLFailuresAreClassified(t *testing.T) {
	failure := func(inner string) string {
		return "<failure xmlns='" + nsSASL + "'>" + inner + "</failure>"
	}
	cases := []struct {
		name, answer, cond string
		fatal              bool
	}{
		{"temporary", failure("<temporary-auth-failure/><text xml:lang='en'>try later</text>"), "temporary-auth-failure", false},
		{"disabled", failure("<account-disabled/>"), "account-disabled", true},
		{"text first", failure("<text>nope</text><not-authorized/>"), "not-authorized", true},
		{"no condition", failure(""), "not-authorized", true},
	}
	for _, c := range cases {
		err := scriptedSASL(t, []string{"PLAIN"}, c.answer)
		var auth *AuthError
		if !errors.As(err, &auth) || auth.Condition != c.cond {
			t.Errorf("%s: %v, want AuthError %s", c.name, err, c.cond)
			continue
		}
		if isFatal(err) != c.fatal {
			t.Errorf("%s: fatal = %v, want %v (%v)", c.name, isFatal(err), c.fatal, err)
		}
	}
	if auth := new(AuthError); errors.As(scriptedSASL(t, []string{"PLAIN"}, failure("<temporary-auth-failure/><text>try later</text>")), &auth) &&
		auth.Text != "try later" {
		t.Errorf("failure text %q, want %q", auth.Text, "try later")
	}
}

func TestNoCommonSASLMechanismIsFatal(t *testing.T) {
	err := scriptedSASL(t, []string{"X-OAUTH2", "EXTERNAL"}, "")
	if !errors.Is(err, errNoMechanism) || !isFatal(err) {
		t.Errorf("got %v, want fatal errNoMechanism", err)
	}
	if !strings.Contains(err.Error(), "X-OAUTH2") {
		t.Errorf("error %q does not list what the server offered", err)
	}
}
