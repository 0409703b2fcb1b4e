package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// usersEnv names the environment variable `chat serve` reads users from:
// NAME:PASSWORD lines, as in --users-file.
const usersEnv = "CHAT_SERVE_USERS"

// serveUsers gathers the users to create or update and their passwords:
// from --users-file, then $CHAT_SERVE_USERS, then each --user, which is
// NAME (its password from the file or the variable if listed there, else
// asked for) or NAME:PASSWORD (with a warning: any local user sees the
// command line).
func serveUsers(f serveFlags, env serveEnv) (map[string]string, error) {
	users := map[string]string{}
	if f.usersFile != "" {
		text, err := readPrivateFile(f.usersFile)
		if err != nil {
			return nil, err
		}
		if err := parseUsers(users, text, f.usersFile); err != nil {
			return nil, err
		}
	}
	if text := env.getenv(usersEnv); text != "" {
		if err := parseUsers(users, text, "$"+usersEnv); err != nil {
			return nil, err
		}
	}
	for _, u := range f.users {
		name, pass, hasPass := strings.Cut(u, ":")
		name = strings.TrimSpace(name)
		switch {
		case name == "":
			return nil, fmt.Errorf("--user %q: want NAME", u)
		case hasPass && pass == "":
			return nil, fmt.Errorf("--user %s: empty password", name)
		case hasPass:
			fmt.Fprintf(env.stderr, "chat serve: warning: the password of %s is on the command line, where every local user can read it (ps); use --user %s alone to be asked for it, --users-file or $%s\n", name, name, usersEnv)
			users[name] = pass
		case users[name] != "":
			// its password came from the file or the variable
		default:
			pw, err := env.prompt("password for " + name + ": ")
			if err != nil {
				return nil, fmt.Errorf("--user %s: %w (or give it in --users-file or $%s)", name, err, usersEnv)
			}
			if pw == "" {
				return nil, fmt.Errorf("--user %s: empty password", name)
			}
			users[name] = pw
		}
	}
	return users, nil
}

// parseUsers adds the NAME:PASSWORD lines of text to users; blank lines
// and lines starting with # are skipped. The password is everything after
// the first colon, spaces included.
func parseUsers(users map[string]string, text, source string) error {
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		name, pass, ok := strings.Cut(line, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" || pass == "" {
			// The line is not quoted: it may hold a password.
			return fmt.Errorf("%s line %d: want NAME:PASSWORD", source, i+1)
		}
		users[name] = pass
	}
	return nil
}

// readPrivateFile reads a file of secrets, refusing one that others may
// read or write.
func readPrivateFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("users file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("users file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("users file %s: not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return "", fmt.Errorf("users file %s is readable or writable by others (mode %#o): chmod 600 %s", path, perm, path)
	}
	b, err := io.ReadAll(io.LimitReader(f, 1<<20))
	if err != nil {
		return "", fmt.Errorf("users file: %w", err)
	}
	if strings.ContainsRune(string(b), 0) {
		return "", errors.New("users file " + path + ": not a text file")
	}
	return string(b), nil
}
