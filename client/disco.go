package client

import (
	"context"
	"encoding/xml"
	"fmt"
	"slices"

	"chat/event"

	"mellium.im/xmlstream"
	"mellium.im/xmpp/jid"
	"mellium.im/xmpp/stanza"
)

// This file is XEP-0030 service discovery: the disco#info and disco#items
// we answer, the engine's DiscoInfo and DiscoItems questions, and the
// one disco#info asked of a peer whose presence shows a new caps ver.

const (
	nsDiscoItems = "http://jabber.org/protocol/disco#items"
	nsDataForm   = "jabber:x:data"
)

// DiscoInfo is a disco#info answer.
type DiscoInfo struct {
	Identities []event.Identity
	Features   []string
	Forms      []DiscoForm // XEP-0128 extended information
}

// Has reports whether the answer lists feature.
func (d DiscoInfo) Has(feature string) bool { return slices.Contains(d.Features, feature) }

// DiscoForm is a XEP-0128 form of a disco#info answer: its hidden
// FORM_TYPE ("" if it has none) and its other fields.
type DiscoForm struct {
	Type   string
	Fields []DiscoField
}

// DiscoField is one field of a DiscoForm.
type DiscoField struct {
	Var    string
	Values []string
}

// DiscoItem is one item of a disco#items answer.
type DiscoItem struct {
	JID, Node, Name string
}

// ownDiscoInfo is what we answer to disco#info: our identity and every
// feature this engine really implements, given the Config switches.
func (e *Engine) ownDiscoInfo() DiscoInfo {
	f := []string{nsCaps, nsDiscoInfo, nsDiscoItems, nsPing, nsCarbons, nsSID, nsXHTMLIM,
		nsChatStates, nsCorrect, nsMarkers, nsNick + "+notify"}
	if !e.cfg.HideVersion {
		f = append(f, nsVersion)
	}
	if !e.cfg.HideTime {
		f = append(f, nsTime)
	}
	if !e.cfg.HideLastActivity {
		f = append(f, nsLast)
	}
	if !e.cfg.NoReceipts {
		f = append(f, nsReceipts)
	}
	slices.Sort(f)
	return DiscoInfo{
		Identities: []event.Identity{{Category: "client", Type: e.cfg.ClientType, Name: ClientName}},
		Features:   f,
	}
}

func handleDiscoInfo(h *handler, info iqInfo, _ *xml.Decoder, start xml.StartElement) (xml.TokenReader, error) {
	if info.Type != "get" {
		return nil, stanza.Error{Type: stanza.Cancel, Condition: stanza.BadRequest}
	}
	node := attrValue(start, "node")
	own := h.e.ownDiscoInfo()
	if node != "" && node != ClientNode+"#"+h.e.CapsVer() {
		return nil, stanza.Error{Type: stanza.Cancel, Condition: stanza.ItemNotFound}
	}
	var parts []xml.TokenReader
	for _, id := range own.Identities {
		parts = append(parts, xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Local: "identity"}, Attr: []xml.Attr{
			{Name: xml.Name{Local: "category"}, Value: id.Category},
			{Name: xml.Name{Local: "type"}, Value: id.Type},
			{Name: xml.Name{Local: "name"}, Value: id.Name},
		}}))
	}
	for _, f := range own.Features {
		parts = append(parts, xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Local: "feature"},
			Attr: []xml.Attr{{Name: xml.Name{Local: "var"}, Value: f}}}))
	}
	return xmlstream.Wrap(xmlstream.MultiReader(parts...), queryStart(nsDiscoInfo, node)), nil
}

// handleDiscoItems answers disco#items: a client has no items.
func handleDiscoItems(_ *handler, info iqInfo, _ *xml.Decoder, start xml.StartElement) (xml.TokenReader, error) {
	if info.Type != "get" {
		return nil, stanza.Error{Type: stanza.Cancel, Condition: stanza.BadRequest}
	}
	return xmlstream.Wrap(nil, queryStart(nsDiscoItems, attrValue(start, "node"))), nil
}

func queryStart(ns, node string) xml.StartElement {
	start := xml.StartElement{Name: xml.Name{Space: ns, Local: "query"}}
	if node != "" {
		start.Attr = []xml.Attr{{Name: xml.Name{Local: "node"}, Value: node}}
	}
	return start
}

// discoInfoXML is a disco#info answer as it arrives.
type discoInfoXML struct {
	XMLName    xml.Name `xml:"http://jabber.org/protocol/disco#info query"`
	Identities []struct {
		Category string `xml:"category,attr"`
		Type     string `xml:"type,attr"`
		Lang     string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
		Name     string `xml:"name,attr"`
	} `xml:"identity"`
	Features []struct {
		Var string `xml:"var,attr"`
	} `xml:"feature"`
	Forms []struct {
		Fields []struct {
			Var    string   `xml:"var,attr"`
			Type   string   `xml:"type,attr"`
			Values []string `xml:"value"`
		} `xml:"field"`
	} `xml:"jabber:x:data x"`
}

func (x discoInfoXML) info() DiscoInfo {
	var d DiscoInfo
	for _, id := range x.Identities {
		d.Identities = append(d.Identities, event.Identity{Category: id.Category, Type: id.Type, Lang: id.Lang, Name: id.Name})
	}
	for _, f := range x.Features {
		d.Features = append(d.Features, f.Var)
	}
	for _, f := range x.Forms {
		var form DiscoForm
		for _, fl := range f.Fields {
			if fl.Var == "FORM_TYPE" {
				if fl.Type == "hidden" && len(fl.Values) > 0 {
					form.Type = fl.Values[0]
				}
				continue
			}
			form.Fields = append(form.Fields, DiscoField{Var: fl.Var, Values: fl.Values})
		}
		d.Forms = append(d.Forms, form)
	}
	return d
}

// parseDiscoInfo reads a disco#info result.
func parseDiscoInfo(r *iqReply) (DiscoInfo, error) {
	var x discoInfoXML
	if err := r.Decode(&x); err != nil {
		return DiscoInfo{}, fmt.Errorf("read disco#info answer: %w", err)
	}
	return x.info(), nil
}

func discoRequest(ns string, to jid.JID, node string) iqRequest {
	return iqRequest{Type: "get", To: to, Payload: xmlstream.Wrap(nil, queryStart(ns, node)), What: "disco query"}
}

// DiscoInfo asks addr (and node, if not "") for its identities and
// features.
func (e *Engine) DiscoInfo(ctx context.Context, addr, node string) (DiscoInfo, error) {
	to, err := jid.Parse(addr)
	if err != nil {
		return DiscoInfo{}, fmt.Errorf("disco#info %q: %w", addr, err)
	}
	r, err := e.request(ctx, discoRequest(nsDiscoInfo, to, node))
	if err != nil {
		return DiscoInfo{}, fmt.Errorf("disco#info %s: %w", to, err)
	}
	return parseDiscoInfo(r)
}

// DiscoItems asks addr (and node, if not "") for its items.
func (e *Engine) DiscoItems(ctx context.Context, addr, node string) ([]DiscoItem, error) {
	to, err := jid.Parse(addr)
	if err != nil {
		return nil, fmt.Errorf("disco#items %q: %w", addr, err)
	}
	r, err := e.request(ctx, discoRequest(nsDiscoItems, to, node))
	if err != nil {
		return nil, fmt.Errorf("disco#items %s: %w", to, err)
	}
	var x struct {
		XMLName xml.Name `xml:"http://jabber.org/protocol/disco#items query"`
		Items   []struct {
			JID  string `xml:"jid,attr"`
			Node string `xml:"node,attr"`
			Name string `xml:"name,attr"`
		} `xml:"item"`
	}
	if err := r.Decode(&x); err != nil {
		return nil, fmt.Errorf("read disco#items answer of %s: %w", to, err)
	}
	items := make([]DiscoItem, 0, len(x.Items))
	for _, it := range x.Items {
		items = append(items, DiscoItem{JID: it.JID, Node: it.Node, Name: it.Name})
	}
	return items, nil
}

// peerCaps handles the <c/> of an available presence from full: a new
// sha-1 ver is asked about once, and believed only if the answer hashes to
// it; a known one is reported from the cache.
func (h *handler) peerCaps(full string, c *inCaps) {
	caps := h.e.caps
	full = normalJID(full)
	if c == nil || c.Hash != "sha-1" || c.Ver == "" || full == "" {
		caps.setPeer(full, "")
		return
	}
	if c.Ver == h.e.CapsVer() { // ours, as another of our clients or the server echoes it
		caps.add(c.Ver, h.e.ownDiscoInfo(), false)
	}
	_, known := caps.lookup(c.Ver) // from the store into the cache, if it is there
	changed, ask := caps.setPeer(full, c.Ver)
	if !ask {
		if info, ok := caps.lookup(c.Ver); ok && changed && known {
			h.e.emit(capsEvent(h.e.account, full, c.Node, c.Ver, info))
		}
		return
	}
	to, err := jid.Parse(full)
	if err != nil {
		caps.done(c.Ver, false)
		return
	}
	node, ver := c.Node, c.Ver
	err = h.s.requestAsync(discoRequest(nsDiscoInfo, to, node+"#"+ver), func(r *iqReply, err error) {
		h.e.capsAnswer(full, node, ver, r, err)
	})
	if err != nil {
		caps.done(ver, false)
	}
}

// capsAnswer checks a peer's disco#info answer against the ver it was
// asked for, caches it if it matches and reports it.
func (e *Engine) capsAnswer(full, node, ver string, r *iqReply, err error) {
	if err != nil {
		e.caps.done(ver, false)
		return
	}
	info, err := parseDiscoInfo(r)
	if err == nil {
		var got string
		if got, err = capsVer(info); err == nil && got != ver {
			err = errCapsMismatch
		}
	}
	if err != nil {
		e.caps.done(ver, true)
		e.emitError("caps of "+full+" ignored", err, full)
		return
	}
	e.caps.add(ver, info, true)
	e.caps.done(ver, false)
	e.emit(capsEvent(e.account, full, node, ver, info))
}

func capsEvent(account, full, node, ver string, info DiscoInfo) event.Caps {
	return event.Caps{Header: event.At(account), From: full, Node: node, Ver: ver,
		Identities: slices.Clone(info.Identities), Features: slices.Clone(info.Features)}
}

// Supports reports whether addr has announced feature in its caps: for a
// full JID, that resource; for a bare one, any of its resources. It
// reports false when nothing is known.
func (e *Engine) Supports(addr, feature string) bool {
	vers := []string{e.caps.peerVer(normalJID(addr))}
	if j, err := jid.Parse(addr); err == nil && j.Resourcepart() == "" {
		vers = e.caps.peersOf(j.String())
	}
	for _, ver := range vers {
		if info, ok := e.caps.lookup(ver); ok && info.Has(feature) {
			return true
		}
	}
	return false
}

// normalJID returns s in its canonical form (the keys of the caps cache),
// or s itself if it is not a JID.
func normalJID(s string) string {
	if j, err := jid.Parse(s); err == nil {
		return j.String()
	}
	return s
}
