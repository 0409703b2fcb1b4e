//go:build !linux

package prosodytest

import (
	"os"
	"syscall"
)

func sysProcAttr() *syscall.SysProcAttr { return nil }

func terminateGroup(p *os.Process) error { return p.Signal(os.Interrupt) }

func killGroup(p *os.Process) { _ = p.Kill() }
