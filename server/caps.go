package server

import (
	"crypto/sha1"
	"encoding/base64"
	"slices"
	"sort"
	"strings"
	"sync"
)

// XEP-0115 entity capabilities, as far as PEP needs them (XEP-0163 §4.3.1
// "+notify" filtering): the server asks a session advertising an unknown
// ver for its disco#info, checks the answer against the ver (§5.4; an
// answer that does not match is not believed) and remembers, by ver, which
// nodes it wants notifications of. A session whose caps are not known
// (none sent, or the answer not in yet) gets every notification, as
// before caps.

const (
	nsCaps        = "http://jabber.org/protocol/caps"
	capsVers      = 512  // vers remembered
	capsSessions  = 8192 // sessions whose ver is remembered
	capsAsking    = 32   // questions in flight
	capsMaxAnswer = 1024 // features, identities or fields in an answer worth checking
)

type capsState struct {
	mu      sync.Mutex
	notify  map[string]map[string]bool // ver → nodes with +notify
	ver     map[string]string          // session full JID → ver
	pending map[string]capsQuestion    // iq id → question
}

type capsQuestion struct{ full, ver string }

// noteCaps reads the caps of an available presence from s.
func (srv *Server) noteCaps(s *session, p *node) {
	c := p.child(nsCaps, "c")
	if c == nil || c.get("hash") != "sha-1" || c.get("ver") == "" || len(c.get("ver")) > 64 || len(c.get("node")) > 512 {
		return
	}
	ver := c.get("ver")
	cs := &srv.ext.caps
	cs.mu.Lock()
	if cs.ver == nil {
		cs.notify, cs.ver, cs.pending = map[string]map[string]bool{}, map[string]string{}, map[string]capsQuestion{}
	}
	if len(cs.ver) >= capsSessions {
		clear(cs.ver)
	}
	cs.ver[s.full] = ver
	_, known := cs.notify[ver]
	ask := !known && len(cs.pending) < capsAsking
	id := "caps" + randomID()
	if ask {
		cs.pending[id] = capsQuestion{full: s.full, ver: ver}
	}
	cs.mu.Unlock()
	if ask {
		q := elem(nsDiscoInfo, "query", "node", c.get("node")+"#"+ver)
		sendTo(s, elem(nsClient, "iq", "type", "get", "id", id, "from", srv.domain).add(q))
	}
}

// capsAnswer takes the answer to a question noteCaps asked.
func (srv *Server) capsAnswer(st *stanza) {
	cs := &srv.ext.caps
	cs.mu.Lock()
	q, ok := cs.pending[st.id]
	if ok && q.full == st.from.String() {
		delete(cs.pending, st.id)
	}
	cs.mu.Unlock()
	if !ok || q.full != st.from.String() || st.typ != "result" {
		return
	}
	info := st.n.child(nsDiscoInfo, "query")
	if info == nil {
		return
	}
	ver, nodes, good := capsVer(info)
	if !good || ver != q.ver {
		srv.logf("caps of %s: the answer does not match ver %q; ignored", q.full, q.ver)
		return
	}
	cs.mu.Lock()
	if len(cs.notify) >= capsVers {
		clear(cs.notify)
	}
	cs.notify[ver] = nodes
	cs.mu.Unlock()
}

// wantsNotify says whether session full should get events of node.
func (srv *Server) wantsNotify(full, node string) bool {
	cs := &srv.ext.caps
	cs.mu.Lock()
	defer cs.mu.Unlock()
	nodes, known := cs.notify[cs.ver[full]]
	return !known || nodes[node]
}

// capsVer computes the XEP-0115 §5.1 sha-1 ver of a disco#info answer and
// the nodes it asks notifications of; good is false for an answer §5.4
// says to refuse (a repeated identity, feature or form type) or one too
// large.
func capsVer(info *node) (ver string, notify map[string]bool, good bool) {
	var ids, feats []string
	var forms []*node
	for _, k := range info.kids {
		n, ok := k.(*node)
		if !ok {
			continue
		}
		switch {
		case is(n, nsDiscoInfo, "identity"):
			ids = append(ids, n.get("category")+"/"+n.get("type")+"/"+langOf(n)+"/"+n.get("name"))
		case is(n, nsDiscoInfo, "feature"):
			feats = append(feats, n.get("var"))
		case is(n, nsDataForm, "x"):
			forms = append(forms, n)
		}
	}
	if len(ids)+len(feats)+len(forms) > capsMaxAnswer {
		return "", nil, false
	}
	var b strings.Builder
	if !appendSorted(&b, ids) || !appendSorted(&b, feats) || !appendForms(&b, forms) {
		return "", nil, false
	}
	notify = map[string]bool{}
	for _, f := range feats {
		if n, ok := strings.CutSuffix(f, "+notify"); ok {
			notify[n] = true
		}
	}
	sum := sha1.Sum([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(sum[:]), notify, true
}

func langOf(n *node) string {
	for _, a := range n.attr {
		if a.Name.Local == "lang" && (a.Name.Space == nsXML || a.Name.Space == "xml") {
			return a.Value
		}
	}
	return ""
}

func appendSorted(b *strings.Builder, items []string) bool {
	sort.Strings(items)
	for i, s := range items {
		if i > 0 && items[i-1] == s {
			return false
		}
		b.WriteString(s)
		b.WriteByte('<')
	}
	return true
}

type capsForm struct {
	typ    string
	fields [][]string // var, then values
}

func appendForms(b *strings.Builder, xs []*node) bool {
	var forms []capsForm
	for _, x := range xs {
		var f capsForm
		for _, fl := range x.children(nsDataForm, "field") {
			var vals []string
			for _, v := range fl.children(nsDataForm, "value") {
				vals = append(vals, v.text())
			}
			if fl.get("var") == "FORM_TYPE" {
				if len(vals) > 0 {
					f.typ = vals[0]
				}
				continue
			}
			sort.Strings(vals)
			f.fields = append(f.fields, append([]string{fl.get("var")}, vals...))
		}
		if f.typ != "" { // §5.4: a form without FORM_TYPE is ignored
			forms = append(forms, f)
		}
	}
	sort.Slice(forms, func(i, j int) bool { return forms[i].typ < forms[j].typ })
	for i, f := range forms {
		if i > 0 && forms[i-1].typ == f.typ {
			return false
		}
		b.WriteString(f.typ + "<")
		slices.SortFunc(f.fields, func(x, y []string) int { return strings.Compare(x[0], y[0]) })
		for _, fl := range f.fields {
			for _, s := range fl {
				b.WriteString(s + "<")
			}
		}
	}
	return true
}
