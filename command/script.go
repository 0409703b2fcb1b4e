package command

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Line is one line of a script, with its 1-based line number in the file
// so errors can point at it.
type Line struct {
	No   int
	Text string
}

// maxLine is the longest script line accepted.
const maxLine = 1 << 20

// ReadScript reads a script: one command (or message) per line. Blank lines
// and lines whose first non-space character is "#" are skipped; the others
// are trimmed of surrounding white space. A UTF-8 byte order mark at the
// start is ignored.
func ReadScript(r io.Reader) ([]Line, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	var lines []Line
	no := 0
	for sc.Scan() {
		no++
		text := sc.Text()
		if no == 1 {
			text = strings.TrimPrefix(text, "\uFEFF")
		}
		text = strings.TrimSpace(text)
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		lines = append(lines, Line{No: no, Text: text})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read script line %d: %w", no+1, err)
	}
	return lines, nil
}
