package main

import (
	"fmt"
	"io"
	"os"

	"chat/account"

	"golang.org/x/term"
)

// secrets wires the password sources: the OS keyring, then the account's
// password_command, $CHAT_PASSWORD, then a prompt on the terminal.
func secrets(stderr io.Writer) *account.Secrets {
	return &account.Secrets{
		Keyring: account.SystemKeyring(),
		Getenv:  os.Getenv,
		Prompt:  promptTTY,
		Notice:  func(s string) { fmt.Fprintln(stderr, "chat:", s) },
	}
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
