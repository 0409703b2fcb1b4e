// Package xhtml turns the rich text of chat messages into plain data a
// terminal front end can draw: XHTML-IM (XEP-0071) bodies and message
// styling (XEP-0393) markup become a list of [Span]s, each a piece of text
// with a [Style] (bold, italic, underline, strike, code, colours, link,
// quote depth). It also goes the other way for outgoing messages: XHTML-IM
// built from styling markup ([FromStyling]) and checked when hand-written
// ([Validate]). [AdaptStyle] and [AdaptColor] fit a sender's colours to the
// reader's terminal: readable against the theme's background and quantised
// to what the terminal can show.
//
// Whatever comes in, the output is safe to show: every span's text has been
// through sanitize.Text (package chat/sanitize), so it holds no terminal
// control sequence, no control character other than '\n' and '\t', and no
// bidi override. Input is parsed with encoding/xml in strict mode, which has
// no DTD support: a DOCTYPE is rejected, so no entity can be defined, let
// alone expanded.
// Size, nesting depth, attribute length and span count are bounded
// (see [MaxInput] and friends); over a limit Parse fails and the caller
// shows the plain body instead ([Choose] does exactly that).
//
// Span text is NOT escaped for tview: "[red]" in a message stays "[red]" in
// Span.Text. A front end that draws with a markup of its own (package ui
// draws with tview's style tags) must escape each span's text itself, and
// end each span with a full reset.
//
// This package must not touch the terminal, import tview or tcell, or import
// the ui, client or app packages: it maps strings to data and back.
//
// It is hand-written because there is no maintained Go library for
// XHTML-IM; mellium.im/xmpp/styling provides the XEP-0393 tokenizer, which
// [Styling] and [FromStyling] build on.
package xhtml
