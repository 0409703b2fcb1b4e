package ui

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// edit lets the person write the message in an external editor (Alt+C):
// the input's text goes to a temporary file, tview suspends (the terminal
// is the editor's), and what was saved comes back into the input line,
// ready to send with Enter.
func (s *screen) edit() {
	f, err := os.CreateTemp("", "chat-message-*.txt")
	if err != nil {
		s.status.setHint("editor: " + err.Error())
		return
	}
	path := f.Name()
	defer os.Remove(path)
	_, err = f.WriteString(s.input.GetText())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		s.status.setHint("editor: " + err.Error())
		return
	}
	editor := s.editorCommand()
	var runErr error
	s.tv.Suspend(func() {
		cmd := exec.Command("sh", "-c", editor+` "$1"`, "sh", path)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
		runErr = cmd.Run()
	})
	if runErr != nil {
		s.status.setHint(fmt.Sprintf("editor %s: %v (message unchanged)", editor, runErr))
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		s.status.setHint("editor: " + err.Error())
		return
	}
	s.input.SetText(strings.TrimRight(string(data), "\n"), true)
}

func (s *screen) editorCommand() string {
	if s.u.opts.Editor != "" {
		return s.u.opts.Editor
	}
	for _, v := range []string{"VISUAL", "EDITOR"} {
		if e := s.u.opts.Getenv(v); e != "" {
			return e
		}
	}
	return "vi"
}
