// Package sanitize makes untrusted text safe to show on a terminal and
// user-typed text safe to put in XML.
//
// Everything a contact or a server controls (message bodies, nicknames,
// status texts, error texts, JIDs) must pass through [Text] or [Line] before
// it reaches a terminal. Text the user typed goes through [XMLText] before
// it is sent. Escaping for a particular widget toolkit's markup (tview's
// style tags) is the front end's job, not this package's: package ui has
// its own escaper, so that line-mode front ends do not link tview.
//
// What Text removes or neutralises:
//   - ANSI/VT escape sequences: CSI (ESC [ … final), OSC (ESC ] …), DCS,
//     SOS, PM and APC strings (ESC P, ESC X, ESC ^, ESC _ … terminated by
//     BEL, ESC \ or the 8-bit ST), nF sequences (ESC ( B) and two-character
//     escapes (ESC c). Their 8-bit C1 forms (U+009B CSI, U+009D OSC, …) are
//     removed the same way. An unterminated string sequence ends at the next
//     newline, so a stray ESC ] cannot hide the rest of a message.
//   - C0 controls except '\n' and '\t', DEL, and all C1 controls
//     U+0080–U+009F. A lone '\r' and "\r\n" become '\n', so "safe\rEVIL"
//     cannot overwrite what was printed before it.
//   - Bidi embeddings, overrides and isolates (U+202A–U+202E,
//     U+2066–U+2069) and the deprecated format controls U+206A–U+206F,
//     which can reorder text ("txt.exe" spoofing). The marks LRM, RLM and ALM
//     (U+200E, U+200F, U+061C) are kept: legitimate right-to-left text uses
//     them and they cannot reorder letters.
//   - U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR become '\n'.
//   - Invalid UTF-8 becomes U+FFFD, one per bad byte.
//
// Tabs are kept as '\t': tview's TextView expands them to tab stops, and
// they are harmless on a plain terminal. [Line] turns them into spaces.
// Everything else is kept as is: CJK, emoji with ZWJ (U+200D) and variation
// selectors, combining marks, right-to-left scripts, tag characters used in
// flag sequences.
//
// The output of Text therefore never contains a byte that can start or
// continue a terminal control sequence, whatever the input; applying Text
// twice gives the same result as once. Strings that need no change are
// returned as is, without allocating.
//
// This package only transforms strings: it must not write to a terminal,
// know about XMPP, hold state or import a UI toolkit (tview, tcell).
package sanitize

// Text returns s with terminal control sequences, control characters and
// spoofing format characters removed; newlines and tabs are kept. See the
// package comment for the exact rules.
func Text(s string) string { return clean(s, modeText) }

// Line is like [Text] for one-line fields (names, status, roster entries):
// newlines, carriage returns, line separators and tabs become spaces.
func Line(s string) string { return clean(s, modeLine) }

// Visible is like [Text] for a debug view: instead of removing controls it
// shows them. C0 controls and DEL become their Control Pictures (U+241B ␛
// for ESC, U+240D ␍ for CR, …) so an escape sequence shows as "␛[31m"; C1
// controls show as ␛ followed by their 7-bit equivalent; bidi and other
// format controls show as "<U+202E>". Newlines and tabs are kept, and
// invalid UTF-8 becomes U+FFFD. The result is as safe as Text's.
func Visible(s string) string { return clean(s, modeVisible) }
