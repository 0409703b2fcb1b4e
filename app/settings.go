package app

import (
	"errors"
	"fmt"
	"strings"

	"chat/client"
	"chat/xhtml"
)

// Setting returns a setting's value as /set shows it ("on" or "off"), for
// front ends; loop only.
func (a *App) Setting(name string) string {
	o := a.opts.Config.Options
	switch name {
	case "styling":
		return onOff(o.StylingEnabled())
	case "xhtml_out":
		return onOff(o.XHTMLOut)
	}
	v, _ := a.protoSetting(name, nil)
	return v
}

// settingNames lists what /set knows, for its errors.
const settingNames = "styling, xhtml_out, chatstates, markers or receipts"

func (a *App) cmdSet(args []string) error {
	if len(args) == 0 {
		a.info("", "styling %s\nxhtml_out %s\nchatstates %s\nmarkers %s\nreceipts %s", a.Setting("styling"), a.Setting("xhtml_out"),
			a.Setting("chatstates"), a.Setting("markers"), a.Setting("receipts"))
		return nil
	}
	if len(args) == 1 {
		v := a.Setting(args[0])
		if v == "" {
			return fmt.Errorf("unknown setting %q: %s", args[0], settingNames)
		}
		a.info("", "%s %s", args[0], v)
		return nil
	}
	on, err := parseOnOff(args[1])
	if err != nil {
		return err
	}
	o := &a.opts.Config.Options
	switch args[0] {
	case "styling":
		o.Styling = &on
	case "xhtml_out":
		o.XHTMLOut = on
	default:
		if _, ok := a.protoSetting(args[0], &on); !ok {
			return fmt.Errorf("unknown setting %q: %s", args[0], settingNames)
		}
	}
	a.info("", "%s %s", args[0], onOff(on))
	return nil
}

// cmdXHTML sends hand-written XHTML-IM, validated first, with its plain
// text as the body for clients that do not show XHTML.
func (a *App) cmdXHTML(args []string) error {
	if a.peer == "" {
		return errors.New("no conversation open: use /msg JID first")
	}
	inner := strings.TrimSpace(args[0])
	if err := xhtml.Validate(inner); err != nil {
		return fmt.Errorf("not sent: %w", err)
	}
	spans, err := xhtml.Parse(inner)
	if err != nil {
		return fmt.Errorf("not sent: %w", err)
	}
	e, err := a.engine("")
	if err != nil {
		return err
	}
	return a.sendOut(e, client.OutMessage{To: a.peer, Body: xhtml.Plain(spans), XHTML: inner})
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func parseOnOff(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "on", "true", "yes", "1":
		return true, nil
	case "off", "false", "no", "0":
		return false, nil
	}
	return false, fmt.Errorf("%q: want on or off", s)
}
