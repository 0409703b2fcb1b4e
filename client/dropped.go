package client

import (
	"encoding/xml"
	"fmt"
)

// droppedAnswer fails the request whose answer the stream guard dropped
// for its size or depth (a vCard with a 10 MB photo, say), so that it
// ends now with the reason instead of waiting for its timeout. It reports
// whether there was such a request: a dropped answer from anyone but the
// JID asked resolves nothing (request.go).
func (h *handler) droppedAnswer(start xml.StartElement) bool {
	typ := attrValue(start, "type")
	if attrValue(start, "stanza") != "iq" || (typ != "result" && typ != "error") {
		return false
	}
	err := fmt.Errorf("answer dropped: %s", attrValue(start, "reason"))
	return h.s.resolve(attrValue(start, "id"), attrValue(start, "from"), h.e.cfg.JID, iqResult{err: err})
}
