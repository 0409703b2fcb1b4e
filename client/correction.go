package client

import (
	"encoding/xml"

	"mellium.im/xmlstream"
)

// This file is XEP-0308 last message correction on the way out, and the
// extension children SendMessage adds. Incoming corrections are read by
// scanExtras into event.Message.Replaces; whether one is accepted (same
// full JID as the original, same conversation) is decided where the
// original is known, not here.

const nsCorrect = "urn:xmpp:message-correct:0"

// extensionsOut are the children a message gets besides body, thread and
// XHTML: the correction it is, the receipt it asks for, markable.
func extensionsOut(o outStanza) []xml.TokenReader {
	var out []xml.TokenReader
	empty := func(ns, local string, attrs ...xml.Attr) {
		out = append(out, xmlstream.Wrap(nil, xml.StartElement{Name: xml.Name{Space: ns, Local: local}, Attr: attrs}))
	}
	if o.msg.Replaces != "" {
		empty(nsCorrect, "replace", xml.Attr{Name: xml.Name{Local: "id"}, Value: o.msg.Replaces})
	}
	if o.receipt {
		empty(nsReceipts, "request")
	}
	if o.markable {
		empty(nsMarkers, "markable")
	}
	return out
}
