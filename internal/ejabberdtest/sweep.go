package ejabberdtest

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

const (
	dirPrefix = "ejabberdtest-"
	// staleAfter is how old a leftover folder must be before it is swept.
	staleAfter = time.Hour
)

// sweepStale removes temp folders left behind by test binaries that died
// before Stop (a panic or a timeout), when they are old and no ejabberd
// named in their pidfile is still alive. Errors are ignored: it is tidying.
func sweepStale(tmp string) {
	matches, _ := filepath.Glob(filepath.Join(tmp, dirPrefix+"*"))
	for _, dir := range matches {
		info, err := os.Stat(dir)
		if err != nil || !info.IsDir() || time.Since(info.ModTime()) < staleAfter {
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
