package client

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"

	"mellium.im/xmlstream"
	"mellium.im/xmpp"
)

// smLogin is what the stream management feature learnt while logging in.
type smLogin struct {
	offered bool         // the server lists <sm xmlns='urn:xmpp:sm:3'/>
	resumed bool         // the previous stream was resumed: no bind
	acked   []sentStanza // confirmed by <resumed h/> or <failed h/>
	again   []sentStanza // after <resumed/>: to write again, in order
	refused string       // the server refused to resume: why
}

// smFeature is XEP-0198 as a stream feature. It is optional, so mellium
// negotiates it before the required bind: a stream that can be resumed is
// resumed here (binding first would end it on the server) and the session
// is ready without a bind. Enabling a new stream happens after bind, as
// the first thing written on it (smsession.go).
func smFeature(sm *smState, out *smLogin) xmpp.StreamFeature {
	return xmpp.StreamFeature{
		Name:       xml.Name{Space: nsSM, Local: "sm"},
		Necessary:  xmpp.Authn,
		Prohibited: xmpp.Ready,
		List: func(context.Context, xmlstream.TokenWriter, xml.StartElement) (bool, error) {
			return false, fmt.Errorf("sm: server side not supported by the client engine")
		},
		Parse: func(_ context.Context, d *xml.Decoder, _ *xml.StartElement) (bool, interface{}, error) {
			out.offered = true
			return false, nil, d.Skip()
		},
		Negotiate: func(_ context.Context, session *xmpp.Session, _ interface{}) (xmpp.SessionState, io.ReadWriter, error) {
			id, h, bound, ok := sm.resumable()
			if !ok {
				return 0, nil, nil
			}
			reply, err := askResume(session, id, h)
			if err != nil {
				return 0, nil, err
			}
			switch reply.XMLName.Local {
			case "resumed":
				hv, err := parseH(reply.H)
				if err != nil {
					return 0, nil, fmt.Errorf("sm: resumed: %w", err)
				}
				out.resumed = true
				out.acked, out.again = sm.resumed(hv)
				session.UpdateAddr(bound)
				return xmpp.Ready, nil, nil
			case "failed":
				hv, herr := parseH(reply.H)
				out.acked = sm.refused(hv, reply.H != "" && herr == nil)
				out.refused = orDefault(reply.condition(), "refused")
				return 0, nil, nil
			}
			return 0, nil, fmt.Errorf("sm: unexpected answer <%s/> to resume", reply.XMLName.Local)
		},
	}
}

type smReply struct {
	XMLName  xml.Name
	H        string `xml:"h,attr"`
	PrevID   string `xml:"previd,attr"`
	Children []struct {
		XMLName xml.Name
	} `xml:",any"`
}

func (r smReply) condition() string {
	for _, c := range r.Children {
		return c.XMLName.Local
	}
	return ""
}

// askResume writes <resume/> and reads the answer.
func askResume(session *xmpp.Session, id string, h uint32) (smReply, error) {
	w := session.TokenWriter()
	defer w.Close()
	r := session.TokenReader()
	defer r.Close()
	start := xml.StartElement{Name: xml.Name{Space: nsSM, Local: "resume"}, Attr: []xml.Attr{
		{Name: xml.Name{Local: "previd"}, Value: id},
		{Name: xml.Name{Local: "h"}, Value: strconv.FormatUint(uint64(h), 10)},
	}}
	if _, err := xmlstream.Copy(w, xmlstream.Wrap(nil, start)); err != nil {
		return smReply{}, fmt.Errorf("sm: write resume: %w", err)
	}
	if err := w.Flush(); err != nil {
		return smReply{}, fmt.Errorf("sm: write resume: %w", err)
	}
	var reply smReply
	if err := xml.NewTokenDecoder(r).Decode(&reply); err != nil {
		return smReply{}, fmt.Errorf("sm: read resume answer: %w", err)
	}
	if reply.XMLName.Space != nsSM {
		return smReply{}, fmt.Errorf("sm: answer to resume in namespace %q", reply.XMLName.Space)
	}
	return reply, nil
}

// parseH reads an h attribute: an unsigned 32-bit count.
func parseH(s string) (uint32, error) {
	v, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("bad h %q", s)
	}
	return uint32(v), nil
}

// bindUnlessResumed is bind that does nothing once the stream is ready:
// mellium goes on to the required bind after the optional stream
// management feature even when that resumed the stream.
func bindUnlessResumed(f xmpp.StreamFeature) xmpp.StreamFeature {
	negotiate := f.Negotiate
	f.Negotiate = func(ctx context.Context, s *xmpp.Session, data interface{}) (xmpp.SessionState, io.ReadWriter, error) {
		if s.State()&xmpp.Ready == xmpp.Ready {
			return 0, nil, nil
		}
		return negotiate(ctx, s, data)
	}
	return f
}
