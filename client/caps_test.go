package client

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"chat/event"
)

// The two worked examples of XEP-0115 §5.2 and §5.3.
var (
	capsSimple = DiscoInfo{
		Identities: []event.Identity{{Category: "client", Type: "pc", Name: "Exodus 0.9.1"}},
		Features:   []string{"http://jabber.org/protocol/caps", "http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items", "http://jabber.org/protocol/muc"},
	}
	capsComplex = DiscoInfo{
		Identities: []event.Identity{{Category: "client", Type: "pc", Lang: "en", Name: "Psi 0.11"}, {Category: "client", Type: "pc", Lang: "el", Name: "Ψ 0.11"}},
		Features:   []string{"http://jabber.org/protocol/caps", "http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items", "http://jabber.org/protocol/muc"},
		Forms: []DiscoForm{{Type: "urn:xmpp:dataforms:softwareinfo", Fields: []DiscoField{
			{Var: "os", Values: []string{"Mac"}}, {Var: "software_version", Values: []string{"0.11"}},
			{Var: "ip_version", Values: []string{"ipv6", "ipv4"}}, {Var: "os_version", Values: []string{"10.5.1"}},
			{Var: "software", Values: []string{"Psi"}},
		}}},
	}
)

func TestCapsVerSpecExamples(t *testing.T) {
	for _, c := range []struct {
		info DiscoInfo
		want string
	}{{capsSimple, "QgayPKawpkPSDYmwT/WM94uAlu0="}, {capsComplex, "q07IKJEyjvHSyhy//CH0CxmKi8w="}} {
		got, err := capsVer(c.info)
		if err != nil || got != c.want {
			t.Errorf("ver %q, %v; want %q", got, err, c.want)
		}
	}
}

func TestCapsVerRejectsDuplicates(t *testing.T) {
	dupFeature := capsSimple
	dupFeature.Features = append([]string{"http://jabber.org/protocol/muc"}, capsSimple.Features...)
	dupID := capsSimple
	dupID.Identities = append(dupID.Identities, dupID.Identities[0])
	dupForm := capsComplex
	dupForm.Forms = append(dupForm.Forms, dupForm.Forms[0])
	for _, info := range []DiscoInfo{dupFeature, dupID, dupForm} {
		if ver, err := capsVer(info); err == nil {
			t.Errorf("ver %q for %+v, want an error (XEP-0115 §5.4)", ver, info)
		}
	}
}

// discoAnswer parses the disco#info a rig answered.
func discoAnswer(t *testing.T, iq outIQ) DiscoInfo {
	t.Helper()
	var x discoInfoXML
	if err := xml.Unmarshal([]byte(iq.Inner), &x); err != nil {
		t.Fatalf("disco answer %q: %v", iq.Inner, err)
	}
	return x.info()
}

func TestOwnCapsMatchOwnDiscoInfo(t *testing.T) {
	r := newRig(t)
	ver := r.e.CapsVer()
	for _, node := range []string{"", ClientNode + "#" + ver} {
		iq := oneReply(t, r.feed(t, `<iq from='bob@example.net/r' type='get' id='d'><query xmlns='http://jabber.org/protocol/disco#info' node='`+node+`'/></iq>`), "d", "result")
		if got, err := capsVer(discoAnswer(t, iq)); err != nil || got != ver {
			t.Errorf("node %q: answer hashes to %q (%v), presence says %q", node, got, err, ver)
		}
		if node != "" && !strings.Contains(iq.Inner, `node="`+node+`"`) {
			t.Errorf("answer to node %q does not echo it: %s", node, iq.Inner)
		}
	}
	var b strings.Builder
	enc := xml.NewEncoder(&b)
	if _, err := copyTokens(enc, r.e.presenceStanza(Presence{})); err != nil {
		t.Fatal(err)
	}
	if want := `<c xmlns="http://jabber.org/protocol/caps" hash="sha-1" node="` + ClientNode + `" ver="` + ver + `"></c>`; !strings.Contains(b.String(), want) {
		t.Errorf("presence %s lacks %s", b.String(), want)
	}
}

func TestDiscoInfoUnknownNode(t *testing.T) {
	r := newRig(t)
	iq := oneReply(t, r.feed(t, `<iq from='bob@example.net/r' type='get' id='d'><query xmlns='http://jabber.org/protocol/disco#info' node='`+ClientNode+`#bogus'/></iq>`), "d", "error")
	if iq.Cond != "item-not-found" {
		t.Errorf("condition %q, want item-not-found", iq.Cond)
	}
}

func TestDiscoFeaturesFollowConfig(t *testing.T) {
	queries := map[string]string{
		nsVersion:  `<query xmlns='jabber:iq:version'/>`,
		nsTime:     `<time xmlns='urn:xmpp:time'/>`,
		nsLast:     `<query xmlns='jabber:iq:last'/>`,
		nsReceipts: "",
	}
	for _, hidden := range []bool{false, true} {
		r := newRig(t, func(c *Config) {
			c.HideVersion, c.HideTime, c.HideLastActivity, c.NoReceipts = hidden, hidden, hidden, hidden
		})
		info := discoAnswer(t, oneReply(t, r.feed(t, `<iq from='bob@example.net/r' type='get' id='d'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`), "d", "result"))
		for ns, q := range queries {
			if info.Has(ns) == hidden {
				t.Errorf("hidden=%v: feature %s listed=%v", hidden, ns, info.Has(ns))
			}
			if q == "" {
				continue
			}
			want := map[bool]string{false: "result", true: "error"}[hidden]
			oneReply(t, r.feed(t, `<iq from='bob@example.net/r' type='get' id='q'>`+q+`</iq>`), "q", want)
		}
	}
}

func TestDiscoItemsEmpty(t *testing.T) {
	r := newRig(t)
	iq := oneReply(t, r.feed(t, `<iq from='bob@example.net/r' type='get' id='i'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>`), "i", "result")
	if iq.Payload.Space != nsDiscoItems || strings.Contains(iq.Inner, "<item") {
		t.Errorf("disco#items answer %+v, want an empty query", iq)
	}
}

// capsPresence is a presence from full announcing ver.
func capsPresence(full, ver string) string {
	return `<presence from='` + full + `'><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='urn:x' ver='` + ver + `'/></presence>`
}

// discoQueries returns the ids and targets of the disco#info requests
// queued on the rig's session since the last call.
func discoQueries(t *testing.T, r *rig) map[string]string {
	t.Helper()
	r.s.mu.Lock()
	pending := r.s.pending
	r.s.pending = nil
	r.s.mu.Unlock()
	out := map[string]string{}
	for _, o := range pending {
		var b strings.Builder
		if _, err := copyTokens(xml.NewEncoder(&b), o.r); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.String(), nsDiscoInfo) && o.iqID != "" {
			out[o.iqID] = b.String()
		}
	}
	return out
}

func capsRig(t *testing.T, tune ...func(*Config)) *rig {
	r := newRig(t, tune...)
	r.s.iqTimeout = time.Minute
	return r
}

// waitEvent waits for the first event of type T, from a goroutine of the
// session (the answer to a request is handled there).
func waitEvent[T event.Event](t *testing.T, r *rig) T {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev := <-r.ch:
			if v, ok := ev.(T); ok {
				return v
			}
		case <-timeout:
			t.Fatalf("no %T", *new(T))
		}
	}
}

func answerDisco(r *rig, t *testing.T, id, from string, info DiscoInfo) {
	var b strings.Builder
	b.WriteString(`<iq from='` + from + `' type='result' id='` + id + `'><query xmlns='http://jabber.org/protocol/disco#info'>`)
	for _, i := range info.Identities {
		b.WriteString(`<identity category='` + i.Category + `' type='` + i.Type + `' name='` + i.Name + `'/>`)
	}
	for _, f := range info.Features {
		b.WriteString(`<feature var='` + f + `'/>`)
	}
	b.WriteString(`</query></iq>`)
	r.feed(t, b.String())
}

func TestPeerCapsAskedOnceAndVerified(t *testing.T) {
	r := capsRig(t)
	ver, _ := capsVer(capsSimple)
	r.feed(t, capsPresence("bob@example.net/r", ver))
	qs := discoQueries(t, r)
	if len(qs) != 1 {
		t.Fatalf("%d disco#info queries for a new ver, want 1: %v", len(qs), qs)
	}
	r.feed(t, capsPresence("bob@example.net/r", ver))
	r.feed(t, capsPresence("bob@example.net/r2", ver))
	if more := discoQueries(t, r); len(more) != 0 {
		t.Fatalf("asked again for a ver being asked: %v", more)
	}
	for id, q := range qs {
		if !strings.Contains(q, `node="urn:x#`+ver+`"`) || !strings.Contains(q, `to="bob@example.net/r"`) {
			t.Errorf("query %s: want node urn:x#ver to bob@example.net/r", q)
		}
		answerDisco(r, t, id, "bob@example.net/r", capsSimple)
	}
	caps := waitEvent[event.Caps](t, r)
	if caps.From != "bob@example.net/r" || caps.Ver != ver || len(caps.Features) != 4 {
		t.Errorf("caps event %+v", caps)
	}
	if !r.e.Supports("bob@example.net/r2", "http://jabber.org/protocol/muc") || !r.e.Supports("bob@example.net", "http://jabber.org/protocol/muc") {
		t.Error("a verified ver not applied to the resources announcing it")
	}
	r.feed(t, `<presence from='bob@example.net/r2' type='unavailable'/>`)
	r.feed(t, `<presence from='bob@example.net/r' type='unavailable'/>`)
	if r.e.Supports("bob@example.net", "http://jabber.org/protocol/muc") {
		t.Error("caps kept for resources gone offline")
	}
	r.feed(t, capsPresence("carol@example.net/x", ver))
	if more := discoQueries(t, r); len(more) != 0 {
		t.Errorf("asked about a cached ver: %v", more)
	}
}

func TestPeerCapsMismatchIgnored(t *testing.T) {
	r := capsRig(t)
	ver, _ := capsVer(capsSimple)
	r.feed(t, capsPresence("mallory@evil.example/r", ver))
	for id := range discoQueries(t, r) {
		lie := capsSimple
		lie.Features = []string{"urn:xmpp:receipts"}
		answerDisco(r, t, id, "mallory@evil.example/r", lie)
	}
	if ev := waitEvent[event.Error](t, r); !strings.Contains(ev.Text, "does not match") {
		t.Errorf("error %+v", ev)
	}
	if r.e.Supports("mallory@evil.example/r", "urn:xmpp:receipts") {
		t.Error("a mismatching answer was believed")
	}
	if _, ok := r.e.caps.lookup(ver); ok {
		t.Error("a mismatching answer was cached")
	}
	r.feed(t, capsPresence("mallory@evil.example/r", ver))
	if more := discoQueries(t, r); len(more) != 0 {
		t.Errorf("a ver known to lie asked about again: %v", more)
	}
}

func TestPeerCapsAnswerOnlyFromTheAsked(t *testing.T) {
	r := capsRig(t)
	ver, _ := capsVer(capsSimple)
	r.feed(t, capsPresence("bob@example.net/r", ver))
	for id := range discoQueries(t, r) {
		answerDisco(r, t, id, "mallory@evil.example/r", capsSimple) // a forged answer is not an answer
	}
	if _, ok := r.e.caps.lookup(ver); ok {
		t.Error("an answer from a stranger was cached")
	}
}

type fakeStore map[string]DiscoInfo

func (f fakeStore) LoadCaps(ver string) (DiscoInfo, bool) { i, ok := f[ver]; return i, ok }
func (f fakeStore) StoreCaps(ver string, i DiscoInfo)     { f[ver] = i }

func TestCapsStoreCheckedAndFilled(t *testing.T) {
	good, _ := capsVer(capsSimple)
	bad, _ := capsVer(capsComplex)
	store := fakeStore{good: capsSimple, bad: capsSimple} // the second is a lie
	r := capsRig(t, func(c *Config) { c.CapsStore = store })
	r.feed(t, capsPresence("bob@example.net/r", good))
	if qs := discoQueries(t, r); len(qs) != 0 {
		t.Errorf("asked about a ver the store had: %v", qs)
	}
	if ev := waitEvent[event.Caps](t, r); ev.Ver != good {
		t.Errorf("caps event %+v", ev)
	}
	r.feed(t, capsPresence("carol@example.net/r", bad))
	if qs := discoQueries(t, r); len(qs) != 1 {
		t.Errorf("a stored answer not matching its ver was trusted: queries %v", qs)
	}
}

func TestCapsCacheBounded(t *testing.T) {
	c := newCapsCache(nil)
	for i := 0; i < capsCacheSize+50; i++ {
		info := DiscoInfo{Features: []string{strings.Repeat("f", i+1)}}
		ver, _ := capsVer(info)
		c.add(ver, info, false)
	}
	if len(c.byVer) != capsCacheSize || len(c.order) != capsCacheSize {
		t.Errorf("%d answers cached, bound %d", len(c.byVer), capsCacheSize)
	}
	for i := 0; i < capsPeersSize+50; i++ {
		c.setPeer("bob@example.net/"+strings.Repeat("r", i%50)+string(rune('a'+i%26))+strings.Repeat("x", i/26), "v")
	}
	n := 0
	for _, res := range c.peers {
		n += len(res)
	}
	if n > capsPeersSize || n != c.npeers {
		t.Errorf("%d peers remembered (counted %d), bound %d", n, c.npeers, capsPeersSize)
	}
}

// copyTokens encodes every token of r.
func copyTokens(enc *xml.Encoder, r xml.TokenReader) (int, error) {
	n := 0
	for {
		tok, err := r.Token()
		if tok != nil {
			if err := enc.EncodeToken(tok); err != nil {
				return n, err
			}
			n++
		}
		if err != nil {
			return n, enc.Flush()
		}
	}
}

func TestOwnVerNotAsked(t *testing.T) {
	r := capsRig(t)
	r.feed(t, capsPresence(ourFull, r.e.CapsVer()))
	if qs := discoQueries(t, r); len(qs) != 0 {
		t.Errorf("asked about our own ver: %v", qs)
	}
	if !r.e.Supports(ourFull, nsReceipts) {
		t.Error("our own ver not known")
	}
}

func BenchmarkCapsVer(b *testing.B) {
	for b.Loop() {
		if _, err := capsVer(capsComplex); err != nil {
			b.Fatal(err)
		}
	}
}

func TestPeerCapsKeyedByCanonicalJID(t *testing.T) {
	r := capsRig(t)
	ver, _ := capsVer(capsSimple)
	r.e.caps.add(ver, capsSimple, false)
	r.feed(t, capsPresence("Bob@Example.NET/r", ver))
	if !r.e.Supports("bob@example.net/r", "http://jabber.org/protocol/muc") || !r.e.Supports("bob@example.net", "http://jabber.org/protocol/muc") {
		t.Error("caps not found under the canonical JID")
	}
	r.feed(t, `<presence from='BOB@example.net/r' type='unavailable'/>`)
	if r.e.Supports("bob@example.net", "http://jabber.org/protocol/muc") {
		t.Error("caps kept after unavailable from the same JID spelt otherwise")
	}
}

func BenchmarkSupportsBare(b *testing.B) {
	r := newRig(b)
	ver, _ := capsVer(capsSimple)
	r.e.caps.add(ver, capsSimple, false)
	for i := 0; i < capsPeersSize; i++ {
		r.e.caps.setPeer("user"+strings.Repeat("x", i%7)+"@example.net/r"+string(rune('a'+i%26))+strings.Repeat("y", i/26), ver)
	}
	for b.Loop() {
		r.e.Supports("bob@example.net", nsReceipts)
	}
}

func TestPeerCapsFloodAskedBounded(t *testing.T) {
	r := capsRig(t)
	for i := 0; i < 3*capsMaxAsking; i++ {
		r.feed(t, capsPresence("mallory@evil.example/r", strings.Repeat("v", i+1)))
		r.events()
	}
	if qs := discoQueries(t, r); len(qs) != capsMaxAsking {
		t.Errorf("%d questions in flight for a flood of vers, bound %d", len(qs), capsMaxAsking)
	}
}
