//go:build !(linux || freebsd || openbsd || netbsd || dragonfly)

package account

func usesDBus() bool { return false }
