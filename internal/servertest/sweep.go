package servertest

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// StaleAfter is how old a leftover folder must be before it is swept.
const StaleAfter = time.Hour

// SweepStale removes folders in tmp named prefix* left behind by test
// binaries that died before Stop (a panic or a timeout), when they are old
// and no process named in their pidfile pidName is still alive. Errors are
// ignored: it is tidying.
func SweepStale(tmp, prefix, pidName string) {
	matches, _ := filepath.Glob(filepath.Join(tmp, prefix+"*"))
	for _, dir := range matches {
		info, err := os.Stat(dir)
		if err != nil || !info.IsDir() || time.Since(info.ModTime()) < StaleAfter {
			continue
		}
		if pidAlive(filepath.Join(dir, pidName)) {
			continue
		}
		_ = os.RemoveAll(dir)
	}
}

func pidAlive(pidFile string) bool {
	data, err := os.ReadFile(pidFile)
	if err != nil {
		return false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	return err == nil && pid > 0 && alive(pid)
}
