package muc

import "fmt"

// codeText is the readable line for each status code the client meets
// (XEP-0045 §15.6 and XEP-0410).
var codeText = map[int]string{
	100: "This room shows your real address to everyone",
	101: "Your affiliation changed while you were away",
	102: "The room now shows unavailable members",
	103: "The room no longer shows unavailable members",
	104: "The room's configuration changed",
	110: "This presence is about you",
	170: "This room is logged",
	171: "This room is no longer logged",
	172: "This room is now non-anonymous",
	173: "This room is now semi-anonymous",
	201: "A new room has been created",
	210: "The room changed your nickname",
	301: "banned from the room",
	303: "changed nickname",
	307: "kicked from the room",
	321: "removed from the room because of an affiliation change",
	322: "removed from the room because it is now members-only",
	332: "removed from the room because the service is shutting down",
	333: "removed from the room because of a technical problem",
}

// CodeText returns a readable sentence for a status code.
func CodeText(code int) string {
	if s, ok := codeText[code]; ok {
		return s
	}
	return fmt.Sprintf("Status code %d", code)
}

// joinError is the readable reason a room refused a join (XEP-0045 §7.2).
var joinError = map[string]string{
	"conflict":                "that nickname is already in use",
	"not-authorized":          "a password is required (or the one given is wrong)",
	"registration-required":   "the room is members-only and you are not a member",
	"forbidden":               "you are banned from the room",
	"item-not-found":          "the room does not exist (or is locked)",
	"not-allowed":             "the service does not let you create a room",
	"not-acceptable":          "you must use your reserved nickname",
	"service-unavailable":     "the room is full",
	"jid-malformed":           "no nickname was given",
	"remote-server-not-found": "the room's server cannot be reached",
	"remote-server-timeout":   "the room's server did not answer",
}

// ErrorText returns the readable reason for an error condition met on a
// room presence.
func ErrorText(e *Error) string {
	if e == nil {
		return "unknown error"
	}
	s, ok := joinError[e.Condition]
	if !ok {
		s = e.Condition
		if s == "" {
			s = "unknown error"
		}
	}
	if e.Text != "" {
		s += " (" + e.Text + ")"
	}
	return s
}

// messageError is the readable reason a room bounced a message.
var messageError = map[string]string{
	"not-acceptable":      "you are not in the room",
	"forbidden":           "you may not speak in the room (no voice)",
	"not-allowed":         "the room does not allow this",
	"item-not-found":      "the room does not exist",
	"service-unavailable": "the room does not accept this message",
}

// MessageErrorText returns the readable reason for a message the room
// bounced.
func MessageErrorText(e *Error) string {
	if e != nil {
		if s, ok := messageError[e.Condition]; ok {
			if e.Text != "" {
				s += " (" + e.Text + ")"
			}
			return s
		}
	}
	return ErrorText(e)
}
