package app

import (
	"strings"

	"chat/account"
	"chat/event"
)

// A password typed at a prompt that the server refuses is asked for again,
// once per refusal, when a person is at the keyboard (Options.Interactive):
// the account does not sit offline waiting for a /connect. An empty answer
// ends it.

func (a *App) notePrompted(j, source string) {
	if a.prompted == nil {
		a.prompted = map[string]bool{}
	}
	a.prompted[j] = source == account.SourcePrompt
}

// askAgain reconnects an account whose typed password was refused, which
// asks for the password again.
func (a *App) askAgain(c event.ConnState) {
	j := c.Account
	if !a.opts.Interactive || a.quit || !a.prompted[j] || !strings.Contains(c.Err, "wrong JID or password") {
		return
	}
	delete(a.prompted, j)
	a.info(j, "the server refused the password for %s: asking again (an empty password stops)", j)
	if err := a.connect(j); err != nil {
		a.errorf(j, "connect", err)
	}
}
