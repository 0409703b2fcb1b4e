package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"chat/account"

	"golang.org/x/term"
)

// secrets wires the password sources: the OS keyring, then the account's
// password_command, $CHAT_PASSWORD, then a prompt on the terminal.
// The notice that there is no keyring is given once per machine: the data
// dir (dataDir, or the default one) keeps a file saying it was.
func secrets(stderr io.Writer, dataDir string) *account.Secrets {
	s := &account.Secrets{
		Keyring: account.SystemKeyring(),
		Getenv:  os.Getenv,
		Prompt:  promptTTY,
		Notice:  func(s string) { fmt.Fprintln(stderr, "chat:", s) },
	}
	if dataDir == "" {
		dataDir, _ = account.DefaultDataDir() // no home: the notice comes every time
	}
	if dataDir != "" {
		s.NoticeFile = filepath.Join(dataDir, "no-keyring-notice")
	}
	return s
}

// promptTTY asks for a password on the controlling terminal, without echo.
// Standard input is left alone: it may be carrying /commands.
func promptTTY(prompt string) (string, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return "", fmt.Errorf("no terminal to ask for the password on: %w", err)
	}
	defer tty.Close()
	fmt.Fprint(tty, prompt)
	pw, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(tty)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	return string(pw), nil
}
