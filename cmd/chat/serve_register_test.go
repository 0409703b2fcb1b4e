package main

import (
	"io"
	"testing"
)

// TestServeAllowRegisterFlag: in-band registration is off unless
// --allow-register is given.
func TestServeAllowRegisterFlag(t *testing.T) {
	env := serveEnv{stderr: io.Discard, getenv: func(string) string { return "" }}
	for args, want := range map[string]bool{"": false, "--allow-register": true} {
		var a []string
		if args != "" {
			a = []string{args}
		}
		f, err := parseServeFlags(append(a, "--data-dir", t.TempDir()), io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := serveConfig(f, env)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.AllowRegister != want {
			t.Errorf("%q: AllowRegister = %v, want %v", args, cfg.AllowRegister, want)
		}
	}
}
