package account

import (
	"fmt"
	"time"
)

// Default option values, used when the config file leaves a key out.
const (
	DefaultPingInterval = 60 * time.Second
	DefaultPingTimeout  = 15 * time.Second
)

// Options are the client-wide settings in the [options] table.
type Options struct {
	// PingInterval is how long a stream may stay quiet before the client
	// sends an XEP-0199 ping.
	PingInterval Duration `toml:"ping_interval"`
	// PingTimeout is how long to wait for the ping's answer before the
	// connection is declared dead.
	PingTimeout Duration `toml:"ping_timeout"`
	// Theme names the UI colour theme; "" means the built-in default.
	Theme string `toml:"theme,omitempty"`
	// Notify turns on desktop/terminal notifications for new messages.
	Notify bool `toml:"notify"`
	// Styling shows XEP-0393 message styling (*bold*, _italic_, …);
	// absent means on. /set styling off shows raw text.
	Styling *bool `toml:"styling,omitempty"`
	// XHTMLOut sends, with each message, an XHTML-IM (XEP-0071) version
	// built from its XEP-0393 markup.
	XHTMLOut bool `toml:"xhtml_out"`
}

// StylingEnabled reports whether message styling is shown (the default).
func (o Options) StylingEnabled() bool { return o.Styling == nil || *o.Styling }

// DefaultOptions returns the options used for keys the file leaves out.
func DefaultOptions() Options {
	return Options{
		PingInterval: Duration{DefaultPingInterval},
		PingTimeout:  Duration{DefaultPingTimeout},
	}
}

func (o Options) validate() error {
	if o.PingInterval.Duration <= 0 {
		return fmt.Errorf("options: ping_interval must be positive, got %s", o.PingInterval)
	}
	if o.PingTimeout.Duration <= 0 {
		return fmt.Errorf("options: ping_timeout must be positive, got %s", o.PingTimeout)
	}
	return nil
}

// Duration is a time.Duration written in TOML as a string such as "60s",
// "1m30s" or "500ms".
type Duration struct {
	time.Duration
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(text []byte) error {
	v, err := time.ParseDuration(string(text))
	if err != nil {
		return fmt.Errorf("duration %q: want a number with a unit such as \"60s\" or \"2m\"", text)
	}
	d.Duration = v
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) {
	return []byte(d.Duration.String()), nil
}
