package servertest

import (
	"bytes"
	"fmt"
	"os"
	"strings"
)

// Tail returns the last n lines of the file at path, or a line saying why
// it cannot be read.
func Tail(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(cannot read %s: %v)\n", path, err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	if last := len(lines) - 1; lines[last] == "" {
		lines = lines[:last]
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "")
}

// LogHas reports whether the file at path contains needle.
func LogHas(path, needle string) bool {
	data, err := os.ReadFile(path)
	return err == nil && bytes.Contains(data, []byte(needle))
}

// logMarks are the sizes of log files before a start, so that only what
// this start wrote is searched.
type logMarks map[string]int64

func markLogs(paths []string) logMarks {
	m := logMarks{}
	for _, path := range paths {
		if info, err := os.Stat(path); err == nil {
			m[path] = info.Size()
		}
	}
	return m
}

// since returns what was appended to the files after the marks, one file
// after the other, in the order given.
func (m logMarks) since(paths []string) string {
	var b strings.Builder
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		if off := m[path]; off <= int64(len(data)) {
			data = data[off:]
		}
		b.Write(data)
	}
	return b.String()
}
