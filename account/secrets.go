package account

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zalando/go-keyring"
)

// Password sources, as returned by Secrets.Password for logs.
const (
	SourceKeyring         = "keyring"
	SourcePasswordCommand = "password_command"
	SourceEnv             = "CHAT_PASSWORD"
	SourcePrompt          = "prompt"
)

// PasswordEnv is the environment variable read as a password fallback.
const PasswordEnv = "CHAT_PASSWORD"

// Default time limits.
const (
	// DefaultKeyringTimeout bounds one keyring call: a locked keyring with
	// no way to show its unlock prompt can otherwise block forever.
	DefaultKeyringTimeout = 10 * time.Second
	// PasswordCommandTimeout bounds the default RunCommand.
	PasswordCommandTimeout = 30 * time.Second
)

// Secrets finds account passwords. The zero value only knows
// $CHAT_PASSWORD (through os.Getenv); NewSecrets adds the OS keyring.
// A Secrets must not be copied after first use.
type Secrets struct {
	// Keyring is the OS keyring; nil skips it (and Save/Forget fail).
	Keyring Keyring
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
	// Prompt asks the user; nil means no prompt is possible.
	Prompt func(prompt string) (string, error)
	// Notice receives, once per Secrets, one sentence saying that no OS
	// keyring exists and what is used instead; nil drops it.
	Notice func(string)
	// NoticeFile, if set, makes that notice once per machine: it is given
	// only while the file does not exist, and the file is made then.
	NoticeFile string
	// RunCommand runs password_command and returns its output; nil means
	// RunShell.
	RunCommand func(ctx context.Context, cmdline string) (string, error)
	// KeyringTimeout bounds each keyring call; 0 means
	// DefaultKeyringTimeout.
	KeyringTimeout time.Duration

	noticeOnce sync.Once
	missing    atomic.Bool // a keyring call found no keyring service
}

// CanSave reports whether a password could be saved in the keyring: there
// is one, and no call has found it missing. --save-password tips depend on
// it.
func (s *Secrets) CanSave() bool { return s.Keyring != nil && !s.missing.Load() }

// NewSecrets returns a Secrets using the OS keyring and the real
// environment, with no prompt and no notice; set those fields as needed.
func NewSecrets() *Secrets {
	return &Secrets{Keyring: SystemKeyring(), Getenv: os.Getenv}
}

// Password returns a's password and the name of its source (never the
// password itself) for logs. Sources are tried in order: keyring (service
// KeyringService, user = bare JID), the account's password_command,
// $CHAT_PASSWORD, then Prompt. A failing password_command is an error, not
// a reason to go on. When every source comes up empty the error lists them.
func (s *Secrets) Password(ctx context.Context, a Account) (password, source string, err error) {
	user, err := NormalizeJID(a.JID)
	if err != nil {
		return "", "", fmt.Errorf("password: %w", err)
	}
	var tried []string

	pw, why, err := s.fromKeyring(ctx, user)
	if err != nil {
		return "", "", err
	}
	if pw != "" {
		return pw, SourceKeyring, nil
	}
	tried = append(tried, "keyring ("+why+")")

	if a.PasswordCommand != "" {
		pw, err := s.runCommand(ctx, a.PasswordCommand)
		if err != nil {
			return "", "", fmt.Errorf("password for %s: password_command: %w", user, err)
		}
		if pw == "" {
			return "", "", fmt.Errorf("password for %s: password_command printed nothing", user)
		}
		return pw, SourcePasswordCommand, nil
	}
	tried = append(tried, "password_command (not set)")

	if pw := s.getenv(PasswordEnv); pw != "" {
		return pw, SourceEnv, nil
	}
	tried = append(tried, "$"+PasswordEnv+" (not set)")

	if s.Prompt == nil {
		tried = append(tried, "prompt (no terminal to ask on)")
		return "", "", fmt.Errorf("no password for %s: tried %s", user, strings.Join(tried, ", "))
	}
	if err := ctx.Err(); err != nil {
		return "", "", fmt.Errorf("password for %s: %w", user, err)
	}
	pw, err = s.Prompt(fmt.Sprintf("Password for %s: ", user))
	if err != nil {
		return "", "", fmt.Errorf("password for %s: prompt: %w", user, err)
	}
	if pw == "" {
		return "", "", fmt.Errorf("password for %s: empty password entered", user)
	}
	return pw, SourcePrompt, nil
}

// fromKeyring looks user up. It returns the password, or "" and why not.
// Only a cancelled ctx is an error: any keyring failure means "try the next
// source".
func (s *Secrets) fromKeyring(ctx context.Context, user string) (pw, why string, err error) {
	if s.Keyring == nil {
		return "", "not configured", nil
	}
	pw, err = s.keyringCall(ctx, func(k Keyring) (string, error) {
		return k.Get(KeyringService, user)
	})
	switch {
	case err == nil && pw != "":
		return pw, "", nil
	case err == nil:
		return "", "empty entry for " + user, nil
	case ctx.Err() != nil:
		return "", "", fmt.Errorf("password for %s: keyring: %w", user, ctx.Err())
	case errors.Is(err, keyring.ErrNotFound), errors.Is(err, ErrNotStored):
		return "", "no entry for " + user, nil
	case IsNoKeyring(err):
		s.missing.Store(true)
		s.notice()
		return "", "unavailable: " + err.Error(), nil
	default:
		return "", "error" + lockedHint(err) + ": " + err.Error(), nil
	}
}

// noKeyringNotice is what the user is told, once, when there is no keyring.
const noKeyringNotice = "no OS keyring available on this machine, so passwords come from password_command, $" + PasswordEnv + " or a prompt"

// notice tells the user, once (once per machine with NoticeFile), that
// there is no keyring. The reason is in the error when no source has a
// password.
func (s *Secrets) notice() {
	s.noticeOnce.Do(func() {
		if s.Notice == nil {
			return
		}
		if s.NoticeFile != "" {
			if _, err := os.Stat(s.NoticeFile); err == nil {
				return
			}
		}
		s.Notice(noKeyringNotice)
		if s.NoticeFile != "" {
			// Failing to write it only means the notice comes again next time.
			if PrivateDir(filepath.Dir(s.NoticeFile)) == nil {
				_ = os.WriteFile(s.NoticeFile, []byte(noKeyringNotice+"\n"), 0o600)
			}
		}
	})
}

// keyringCall runs f on the keyring in a goroutine bounded by ctx and
// KeyringTimeout. On timeout the goroutine is abandoned: go-keyring calls
// cannot be cancelled.
func (s *Secrets) keyringCall(ctx context.Context, f func(Keyring) (string, error)) (string, error) {
	limit := s.KeyringTimeout
	if limit <= 0 {
		limit = DefaultKeyringTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	type result struct {
		pw  string
		err error
	}
	done := make(chan result, 1)
	k := s.Keyring
	go func() {
		pw, err := f(k)
		done <- result{pw, err}
	}()
	select {
	case r := <-done:
		return r.pw, r.err
	case <-ctx.Done():
		return "", fmt.Errorf("keyring did not answer within %s: %w", limit, ctx.Err())
	}
}

// Save stores password for a in the OS keyring. It fails clearly when there
// is no keyring; there is no other place a password is ever written.
func (s *Secrets) Save(a Account, password string) error {
	user, err := NormalizeJID(a.JID)
	if err != nil {
		return fmt.Errorf("save password: %w", err)
	}
	if password == "" {
		return fmt.Errorf("save password for %s: password is empty", user)
	}
	if s.Keyring == nil {
		return fmt.Errorf("save password for %s: %w (none configured); use password_command or $%s instead", user, ErrNoKeyring, PasswordEnv)
	}
	_, err = s.keyringCall(context.Background(), func(k Keyring) (string, error) {
		return "", k.Set(KeyringService, user, password)
	})
	if IsNoKeyring(err) {
		return fmt.Errorf("save password for %s: %w; use password_command or $%s instead", user, noKeyringErr(err), PasswordEnv)
	}
	if err != nil {
		return fmt.Errorf("save password for %s in keyring%s: %w", user, lockedHint(err), err)
	}
	return nil
}

// lockedHint explains go-keyring's error for a locked collection whose
// unlock prompt could not be shown (e.g. no display).
func lockedHint(err error) string {
	if strings.Contains(err.Error(), "failed to unlock") {
		return " (the keyring is locked and could not be unlocked here; unlock it first, e.g. gnome-keyring-daemon --unlock)"
	}
	return ""
}

// Forget removes a's password from the OS keyring. When none was stored
// the error matches ErrNotStored.
func (s *Secrets) Forget(a Account) error {
	user, err := NormalizeJID(a.JID)
	if err != nil {
		return fmt.Errorf("forget password: %w", err)
	}
	if s.Keyring == nil {
		return fmt.Errorf("forget password for %s: %w (none configured)", user, ErrNoKeyring)
	}
	_, err = s.keyringCall(context.Background(), func(k Keyring) (string, error) {
		return "", k.Delete(KeyringService, user)
	})
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound), errors.Is(err, ErrNotStored):
		return fmt.Errorf("forget password for %s: %w", user, ErrNotStored)
	case IsNoKeyring(err):
		return fmt.Errorf("forget password for %s: %w", user, noKeyringErr(err))
	default:
		return fmt.Errorf("forget password for %s in keyring%s: %w", user, lockedHint(err), err)
	}
}

// noKeyringErr makes sure err matches ErrNoKeyring exactly once.
func noKeyringErr(err error) error {
	if errors.Is(err, ErrNoKeyring) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrNoKeyring, err)
}

func (s *Secrets) getenv(name string) string {
	if s.Getenv == nil {
		return os.Getenv(name)
	}
	return s.Getenv(name)
}

func (s *Secrets) runCommand(ctx context.Context, cmdline string) (string, error) {
	if s.RunCommand == nil {
		return RunShell(ctx, cmdline)
	}
	return s.RunCommand(ctx, cmdline)
}

// maxStderr bounds how much of a failing command's stderr goes in an error.
const maxStderr = 512

// RunShell runs cmdline with sh -c, stdin from /dev/null, within
// PasswordCommandTimeout, and returns stdout without its trailing newline.
// On failure the error carries the command's stderr (trimmed, at most 512
// bytes) but never its stdout nor the command line (which might hold a
// secret).
func RunShell(ctx context.Context, cmdline string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, PasswordCommandTimeout)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "sh", "-c", cmdline)
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	cmd.WaitDelay = time.Second // do not wait on pipes held by orphans
	err := cmd.Run()
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (limit %s)", ctx.Err(), PasswordCommandTimeout)
		}
		if msg := stderrText(stderr.Bytes()); msg != "" {
			return "", fmt.Errorf("%w: %s", err, msg)
		}
		return "", err
	}
	out := strings.TrimSuffix(stdout.String(), "\n")
	return strings.TrimSuffix(out, "\r"), nil
}

func stderrText(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > maxStderr {
		s = strings.ToValidUTF8(s[:maxStderr], "") + "…"
	}
	return s
}
