package xhtml

import "errors"

// Limits on what Parse and Validate accept. Anything larger is refused
// with an error wrapping [ErrLimit]; the caller falls back to the plain body.
const (
	MaxInput    = 64 << 10 // bytes of XHTML (and of styling markup, see Styling)
	MaxDepth    = 32       // nesting depth of elements
	MaxAttr     = 2 << 10  // bytes in one attribute value
	MaxSpans    = 4096     // spans in one rendered message
	maxNewlines = 3        // consecutive line breaks kept (two blank lines)
)

var (
	// ErrLimit is wrapped by every error caused by a size, depth, attribute
	// length or span count limit.
	ErrLimit = errors.New("limit exceeded")
	// ErrNotAllowed is wrapped by errors about content that is refused
	// outright: a DOCTYPE or other declaration in Parse, and anything
	// outside the whitelist in Validate.
	ErrNotAllowed = errors.New("not allowed")
)
