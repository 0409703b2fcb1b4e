package client

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"mellium.im/xmlstream"
)

// This file is XEP-0115 entity capabilities: the verification string of a
// disco#info answer (§5.1), the <c/> our presence carries, and the cache
// of peers' answers by ver, each answer checked against its ver (§5.4)
// before it is believed.

const (
	nsCaps = "http://jabber.org/protocol/caps"
	// ClientNode is the XEP-0115 node naming this software.
	ClientNode = "urn:x-chat:client"
)

// Limits on what a peer's caps may make us hold.
const (
	capsCacheSize  = 512  // answers kept, by ver
	capsPeersSize  = 8192 // full JIDs whose ver is remembered
	capsMaxItems   = 1024 // identities, features or form fields in one answer worth caching
	capsBadVerSize = 256  // vers whose answer did not match, not asked again
	capsMaxAsking  = 32   // disco#info questions about vers in flight at once
)

// CapsStore keeps peers' disco#info answers by ver across runs (the app
// can back it with SQLite). The engine checks every answer it loads
// against its ver before using it, so a store need not be trusted.
type CapsStore interface {
	LoadCaps(ver string) (DiscoInfo, bool)
	StoreCaps(ver string, info DiscoInfo)
}

// capsVer computes the XEP-0115 §5.1 verification string (sha-1) of info.
// It fails for an answer §5.4 says to reject: a repeated identity,
// feature or form type.
func capsVer(info DiscoInfo) (string, error) {
	var b strings.Builder
	ids := make([]string, 0, len(info.Identities))
	for _, id := range info.Identities {
		ids = append(ids, id.Category+"/"+id.Type+"/"+id.Lang+"/"+id.Name)
	}
	if err := appendSorted(&b, ids, "identity"); err != nil {
		return "", err
	}
	if err := appendSorted(&b, slices.Clone(info.Features), "feature"); err != nil {
		return "", err
	}
	if err := appendForms(&b, info.Forms); err != nil {
		return "", err
	}
	sum := sha1.Sum([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(sum[:]), nil
}

func appendSorted(b *strings.Builder, items []string, what string) error {
	sort.Strings(items)
	for i, s := range items {
		if i > 0 && items[i-1] == s {
			return fmt.Errorf("caps: %s %q listed twice", what, s)
		}
		b.WriteString(s)
		b.WriteByte('<')
	}
	return nil
}

func appendForms(b *strings.Builder, forms []DiscoForm) error {
	var typed []DiscoForm
	for _, f := range forms {
		if f.Type != "" { // §5.4: a form without a hidden FORM_TYPE is ignored
			typed = append(typed, f)
		}
	}
	sort.Slice(typed, func(i, j int) bool { return typed[i].Type < typed[j].Type })
	for i, f := range typed {
		if i > 0 && typed[i-1].Type == f.Type {
			return fmt.Errorf("caps: two forms of type %q", f.Type)
		}
		b.WriteString(f.Type)
		b.WriteByte('<')
		fields := slices.Clone(f.Fields)
		sort.Slice(fields, func(i, j int) bool { return fields[i].Var < fields[j].Var })
		for _, fl := range fields {
			b.WriteString(fl.Var)
			b.WriteByte('<')
			vals := slices.Clone(fl.Values)
			sort.Strings(vals)
			for _, v := range vals {
				b.WriteString(v)
				b.WriteByte('<')
			}
		}
	}
	return nil
}

// capsElement is the <c/> of our presence, for the disco#info we answer.
func (e *Engine) capsElement() xml.TokenReader {
	ver, err := capsVer(e.ownDiscoInfo())
	if err != nil { // our own list has a duplicate: a bug, caught by the tests
		return nil
	}
	return xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: nsCaps, Local: "c"}, Attr: []xml.Attr{
		{Name: xml.Name{Local: "hash"}, Value: "sha-1"},
		{Name: xml.Name{Local: "node"}, Value: ClientNode},
		{Name: xml.Name{Local: "ver"}, Value: ver},
	}})
}

// CapsVer returns the verification string our presence announces.
func (e *Engine) CapsVer() string {
	ver, _ := capsVer(e.ownDiscoInfo())
	return ver
}

// inCaps is the <c/> of a peer's presence.
type inCaps struct {
	Hash string `xml:"hash,attr"`
	Node string `xml:"node,attr"`
	Ver  string `xml:"ver,attr"`
}

// capsCache is what the engine knows of peers' capabilities: answers by
// ver (bounded, oldest dropped first), the ver each full JID announced,
// the vers being asked about and those whose answer did not match.
type capsCache struct {
	mu      sync.Mutex
	byVer   map[string]DiscoInfo
	order   []string                     // vers of byVer, oldest first
	peers   map[string]map[string]string // bare JID -> full JID -> ver
	npeers  int                          // full JIDs in peers
	asking  map[string]bool
	bad     map[string]bool
	badList []string
	store   CapsStore
}

func newCapsCache(store CapsStore) *capsCache {
	return &capsCache{byVer: map[string]DiscoInfo{}, peers: map[string]map[string]string{},
		asking: map[string]bool{}, bad: map[string]bool{}, store: store}
}

// errCapsMismatch is an answer whose verification string is not the ver
// it was asked for.
var errCapsMismatch = errors.New("caps: disco#info answer does not match its ver")

// lookup returns the answer cached (or stored) for ver, verified.
func (c *capsCache) lookup(ver string) (DiscoInfo, bool) {
	c.mu.Lock()
	info, ok := c.byVer[ver]
	c.mu.Unlock()
	if ok {
		return info, true
	}
	if c.store == nil {
		return DiscoInfo{}, false
	}
	info, ok = c.store.LoadCaps(ver)
	if !ok {
		return DiscoInfo{}, false
	}
	if got, err := capsVer(info); err != nil || got != ver {
		return DiscoInfo{}, false // a store is not trusted either
	}
	c.add(ver, info, false)
	return info, true
}

// add caches a verified answer, dropping the oldest beyond the bound.
func (c *capsCache) add(ver string, info DiscoInfo, persist bool) {
	if len(info.Identities)+len(info.Features)+countFields(info.Forms) > capsMaxItems {
		return
	}
	c.mu.Lock()
	if _, ok := c.byVer[ver]; !ok {
		c.order = append(c.order, ver)
		if len(c.order) > capsCacheSize {
			delete(c.byVer, c.order[0])
			c.order = c.order[1:]
		}
	}
	c.byVer[ver] = info
	c.mu.Unlock()
	if persist && c.store != nil {
		c.store.StoreCaps(ver, info)
	}
}

func countFields(forms []DiscoForm) int {
	n := len(forms)
	for _, f := range forms {
		n += len(f.Fields)
	}
	return n
}

// setPeer records the ver full announced ("" forgets it). It reports
// whether that changed what full announced, and whether the engine should
// ask full about ver: it is not cached, not being asked already and not
// known to be bad.
func (c *capsCache) setPeer(full, ver string) (changed, ask bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	bare, _, _ := strings.Cut(full, "/")
	res := c.peers[bare]
	old, known := res[full]
	if ver == "" {
		if known {
			delete(res, full)
			c.npeers--
			if len(res) == 0 {
				delete(c.peers, bare)
			}
		}
		return known, false
	}
	if !known {
		if c.npeers >= capsPeersSize {
			c.dropOnePeer()
		}
		if res = c.peers[bare]; res == nil {
			res = map[string]string{}
			c.peers[bare] = res
		}
		c.npeers++
	}
	res[full] = ver
	if _, ok := c.byVer[ver]; ok || c.asking[ver] || c.bad[ver] || len(c.asking) >= capsMaxAsking {
		return old != ver, false // a peer changing ver with every presence gets few answers
	}
	c.asking[ver] = true
	return old != ver, true
}

// dropOnePeer forgets any one full JID: a flood of resources must not
// grow the table.
func (c *capsCache) dropOnePeer() {
	for bare, res := range c.peers {
		for full := range res {
			delete(res, full)
			c.npeers--
			break
		}
		if len(res) == 0 {
			delete(c.peers, bare)
		}
		return
	}
}

// done ends the question about ver; a bad answer is remembered as bad.
func (c *capsCache) done(ver string, bad bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.asking, ver)
	if bad && !c.bad[ver] {
		c.bad[ver] = true
		c.badList = append(c.badList, ver)
		if len(c.badList) > capsBadVerSize {
			delete(c.bad, c.badList[0])
			c.badList = c.badList[1:]
		}
	}
}

// peerVer returns the ver full announced, if any.
func (c *capsCache) peerVer(full string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	bare, _, _ := strings.Cut(full, "/")
	return c.peers[bare][full]
}

// peersOf returns the vers announced by the resources of bare.
func (c *capsCache) peersOf(bare string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var vers []string
	for _, ver := range c.peers[bare] {
		vers = append(vers, ver)
	}
	return vers
}
