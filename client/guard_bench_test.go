package client

import (
	"strings"
	"testing"
)

// benchGuard feeds the guard chunk over and over, 16 KiB at a time as
// guardConn does, and reports throughput and allocations.
func benchGuard(b *testing.B, prefix, chunk string) {
	lim := guardLimits{maxBytes: 1 << 20, maxDepth: 64}
	g := newStreamGuard(lim)
	out, _ := g.feed(nil, []byte(prefix))
	in := []byte(chunk)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var err error
		out, err = g.feed(out[:0], in)
		if err != nil {
			b.Fatal(err)
		}
	}
}

// Ordinary chat: small message stanzas, passed on whole.
func BenchmarkGuardMessages(b *testing.B) {
	msg := `<message from='bob@example.net/phone' to='alice@example.org/res' type='chat' id='m1'><body>hello, how are you today?</body><active xmlns='http://jabber.org/protocol/chatstates'/><stanza-id xmlns='urn:xmpp:sid:0' id='s1' by='alice@example.org'/></message>`
	benchGuard(b, guardHeader, strings.Repeat(msg, (16<<10)/len(msg)))
}

// A hostile stanza nested without end, skipped once past the depth limit.
func BenchmarkGuardSkipDeep(b *testing.B) {
	benchGuard(b, guardHeader+`<message>`, strings.Repeat("<a>", (16<<10)/3))
}
