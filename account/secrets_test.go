package account

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
)

// fakeKeyring is an in-memory Keyring. When err is set every call returns it.
type fakeKeyring struct {
	mu    sync.Mutex
	store map[string]string
	err   error
	gets  int
	block chan struct{} // when non-nil, Get waits for it to close
}

func (f *fakeKeyring) key(service, user string) string { return service + "\x00" + user }

func (f *fakeKeyring) Get(service, user string) (string, error) {
	if f.block != nil {
		<-f.block
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gets++
	if f.err != nil {
		return "", f.err
	}
	pw, ok := f.store[f.key(service, user)]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return pw, nil
}

func (f *fakeKeyring) Set(service, user, password string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	if f.store == nil {
		f.store = map[string]string{}
	}
	f.store[f.key(service, user)] = password
	return nil
}

func (f *fakeKeyring) Delete(service, user string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	if _, ok := f.store[f.key(service, user)]; !ok {
		return keyring.ErrNotFound
	}
	delete(f.store, f.key(service, user))
	return nil
}

// errNoBus is what go-keyring returns when dbus-launch is missing.
var errNoBus = &exec.Error{Name: "dbus-launch", Err: exec.ErrNotFound}

// harness records which sources Password touched.
type harness struct {
	kr       *fakeKeyring
	env      map[string]string
	commands []string
	cmdOut   string
	cmdErr   error
	prompts  []string
	notices  []string
	promptOK bool
}

func (h *harness) secrets() *Secrets {
	s := &Secrets{
		Keyring: h.kr,
		Getenv:  func(k string) string { return h.env[k] },
		Notice:  func(msg string) { h.notices = append(h.notices, msg) },
		RunCommand: func(_ context.Context, cmdline string) (string, error) {
			h.commands = append(h.commands, cmdline)
			return h.cmdOut, h.cmdErr
		},
	}
	if h.kr == nil {
		s.Keyring = nil
	}
	if h.promptOK {
		s.Prompt = func(p string) (string, error) {
			h.prompts = append(h.prompts, p)
			return "typed", nil
		}
	}
	return s
}

var alice = Account{JID: "Alice@Example.org"}

func TestPasswordFromKeyringFirst(t *testing.T) {
	h := &harness{kr: &fakeKeyring{}, env: map[string]string{"CHAT_PASSWORD": "env"}, promptOK: true}
	h.kr.Set(KeyringService, "alice@example.org", "secret")
	a := alice
	a.PasswordCommand = "pass show x"
	pw, src, err := h.secrets().Password(context.Background(), a)
	if err != nil || pw != "secret" || src != SourceKeyring {
		t.Fatalf("Password = %q, %q, %v; want secret from keyring", pw, src, err)
	}
	if len(h.commands)+len(h.prompts)+len(h.notices) != 0 {
		t.Errorf("keyring hit but other sources touched: %v %v %v", h.commands, h.prompts, h.notices)
	}
}

func TestPasswordNotFoundFallsToCommand(t *testing.T) {
	h := &harness{kr: &fakeKeyring{}, cmdOut: "fromcmd", env: map[string]string{"CHAT_PASSWORD": "env"}}
	a := alice
	a.PasswordCommand = "pass show xmpp/alice"
	pw, src, err := h.secrets().Password(context.Background(), a)
	if err != nil || pw != "fromcmd" || src != SourcePasswordCommand {
		t.Fatalf("Password = %q, %q, %v; want fromcmd from password_command", pw, src, err)
	}
	if len(h.commands) != 1 || h.commands[0] != a.PasswordCommand {
		t.Errorf("commands run = %q", h.commands)
	}
	if len(h.notices) != 0 {
		t.Errorf("not-found keyring gave a notice: %q", h.notices)
	}
}

func TestPasswordUnavailableKeyringNoticesOnce(t *testing.T) {
	h := &harness{kr: &fakeKeyring{err: errNoBus}, env: map[string]string{"CHAT_PASSWORD": "env"}}
	s := h.secrets()
	for i := range 3 {
		pw, src, err := s.Password(context.Background(), alice)
		if err != nil || pw != "env" || src != SourceEnv {
			t.Fatalf("call %d: Password = %q, %q, %v; want env from CHAT_PASSWORD", i, pw, src, err)
		}
	}
	if h.kr.gets != 3 {
		t.Errorf("keyring asked %d times, want 3", h.kr.gets)
	}
	if len(h.notices) != 1 {
		t.Fatalf("notices = %q, want exactly one", h.notices)
	}
	if !strings.Contains(h.notices[0], "no OS keyring") || !strings.Contains(h.notices[0], "passwords come from") {
		t.Errorf("notice %q is not the expected sentence", h.notices[0])
	}
	if strings.Contains(h.notices[0], "\n") || strings.Count(h.notices[0], ".") > 1 || len(h.notices[0]) > 120 {
		t.Errorf("notice %q is not one short sentence", h.notices[0])
	}
	if s.CanSave() {
		t.Error("CanSave with no keyring: a --save-password tip would not work")
	}
}

func TestNoKeyringNoticeOncePerMachine(t *testing.T) {
	file := filepath.Join(t.TempDir(), "state", "keyring-notice")
	var notices []string
	for range 2 { // two runs of the program
		h := &harness{kr: &fakeKeyring{err: errNoBus}, env: map[string]string{"CHAT_PASSWORD": "env"}}
		s := h.secrets()
		s.NoticeFile = file
		if _, _, err := s.Password(context.Background(), alice); err != nil {
			t.Fatal(err)
		}
		notices = append(notices, h.notices...)
	}
	if len(notices) != 1 {
		t.Fatalf("notices over two runs = %q, want one", notices)
	}
}

func TestCanSaveWithKeyring(t *testing.T) {
	h := &harness{kr: &fakeKeyring{}, env: map[string]string{"CHAT_PASSWORD": "env"}}
	s := h.secrets()
	if _, _, err := s.Password(context.Background(), alice); err != nil {
		t.Fatal(err)
	}
	if !s.CanSave() {
		t.Error("CanSave false with a working keyring")
	}
}

func TestPasswordOrderEnvThenPromptThenError(t *testing.T) {
	h := &harness{kr: &fakeKeyring{err: errNoBus}, env: map[string]string{}, promptOK: true}
	pw, src, err := h.secrets().Password(context.Background(), alice)
	if err != nil || pw != "typed" || src != SourcePrompt {
		t.Fatalf("Password = %q, %q, %v; want typed from prompt", pw, src, err)
	}
	if len(h.prompts) != 1 || !strings.Contains(h.prompts[0], "alice@example.org") {
		t.Errorf("prompts = %q, want one naming the bare JID", h.prompts)
	}

	h = &harness{kr: &fakeKeyring{}, env: map[string]string{}}
	_, _, err = h.secrets().Password(context.Background(), alice)
	if err == nil {
		t.Fatal("no source at all: want error")
	}
	for _, w := range []string{"alice@example.org", "keyring (no entry", "password_command (not set)", "$CHAT_PASSWORD (not set)", "prompt ("} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("err = %q, want it to mention %q", err, w)
		}
	}

	h = &harness{env: map[string]string{}}
	_, _, err = h.secrets().Password(context.Background(), alice)
	if err == nil || !strings.Contains(err.Error(), "keyring (not configured)") {
		t.Errorf("nil keyring: err = %v", err)
	}
}

func TestPasswordKeyringOtherErrorFallsBackSilently(t *testing.T) {
	locked := dbus.Error{Name: "org.freedesktop.Secret.Error.IsLocked", Body: []any{"locked"}}
	h := &harness{kr: &fakeKeyring{err: locked}, env: map[string]string{}}
	_, _, err := h.secrets().Password(context.Background(), alice)
	if err == nil || !strings.Contains(err.Error(), "keyring (error: locked)") {
		t.Errorf("err = %v, want the keyring error listed", err)
	}
	if len(h.notices) != 0 {
		t.Errorf("a locked keyring is not a missing one, yet notices = %q", h.notices)
	}
}

func TestPasswordKeyringHangTimesOut(t *testing.T) {
	kr := &fakeKeyring{block: make(chan struct{})}
	defer close(kr.block)
	h := &harness{kr: kr, env: map[string]string{"CHAT_PASSWORD": "env"}}
	s := h.secrets()
	s.KeyringTimeout = 20 * time.Millisecond
	pw, src, err := s.Password(context.Background(), alice)
	if err != nil || pw != "env" || src != SourceEnv {
		t.Fatalf("Password = %q, %q, %v; want fallback to env after keyring timeout", pw, src, err)
	}
}

func TestPasswordCancelledContext(t *testing.T) {
	kr := &fakeKeyring{block: make(chan struct{})}
	defer close(kr.block)
	h := &harness{kr: kr, env: map[string]string{"CHAT_PASSWORD": "env"}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := h.secrets().Password(ctx, alice)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestPasswordCommandFailure(t *testing.T) {
	s := &Secrets{Getenv: func(string) string { return "env" }}
	a := alice
	a.PasswordCommand = "echo hunter2; echo 'gpg: decryption failed' >&2; exit 3"
	_, _, err := s.Password(context.Background(), a)
	if err == nil {
		t.Fatal("failing password_command: want error, not a fallback")
	}
	msg := err.Error()
	if !strings.Contains(msg, "gpg: decryption failed") || !strings.Contains(msg, "exit status 3") {
		t.Errorf("err = %q, want stderr and exit status", msg)
	}
	if strings.Contains(msg, "hunter2") {
		t.Errorf("err = %q echoes the command's stdout or command line", msg)
	}

	a.PasswordCommand = "true"
	if _, _, err := s.Password(context.Background(), a); err == nil || !strings.Contains(err.Error(), "printed nothing") {
		t.Errorf("empty output: err = %v", err)
	}
}

func TestRunShellTrimsOneNewline(t *testing.T) {
	cases := map[string]string{
		`printf 'pw\n'`:     "pw",
		`printf 'pw\r\n'`:   "pw",
		`printf ' p w '`:    " p w ",
		`printf 'a\nb\n\n'`: "a\nb\n",
	}
	for cmd, want := range cases {
		got, err := RunShell(context.Background(), cmd)
		if err != nil || got != want {
			t.Errorf("RunShell(%s) = %q, %v; want %q", cmd, got, err, want)
		}
	}
}

func TestSaveAndForget(t *testing.T) {
	kr := &fakeKeyring{}
	s := &Secrets{Keyring: kr}
	if err := s.Save(alice, "pw1"); err != nil {
		t.Fatal(err)
	}
	if got := kr.store[kr.key(KeyringService, "alice@example.org")]; got != "pw1" {
		t.Errorf("stored %q under the bare JID, want pw1", got)
	}
	if err := s.Save(alice, ""); err == nil {
		t.Error("Save empty password: want error")
	}
	if err := s.Forget(alice); err != nil {
		t.Fatal(err)
	}
	if err := s.Forget(alice); !errors.Is(err, ErrNotStored) {
		t.Errorf("Forget twice: err = %v, want ErrNotStored", err)
	}
}

func TestSaveWithoutKeyringErrorsClearly(t *testing.T) {
	for name, s := range map[string]*Secrets{
		"nil keyring": {},
		"no bus":      {Keyring: &fakeKeyring{err: errNoBus}},
	} {
		err := s.Save(alice, "pw")
		if !IsNoKeyring(err) {
			t.Errorf("%s: err = %v, want IsNoKeyring", name, err)
			continue
		}
		for _, w := range []string{"alice@example.org", "no OS keyring", "password_command", "CHAT_PASSWORD"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: err = %q, want it to mention %q", name, err, w)
			}
		}
		if err := s.Forget(alice); !IsNoKeyring(err) {
			t.Errorf("%s: Forget err = %v, want IsNoKeyring", name, err)
		}
	}
}

func TestIsNoKeyring(t *testing.T) {
	opErr := &net.OpError{Op: "dial", Net: "unix", Err: errors.New("connect: no such file or directory")}
	yes := []error{
		errNoBus,
		fmt.Errorf("wrapped: %w", errNoBus),
		&exec.ExitError{},
		opErr,
		errors.New("dbus: couldn't determine address of session bus"),
		errors.New("dbus: authentication failed"),
		dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown"},
		&dbus.Error{Name: "org.freedesktop.DBus.Error.NameHasNoOwner"},
		dbus.Error{Name: "org.freedesktop.DBus.Error.Spawn.ExecFailed"},
		fmt.Errorf("x: %w", ErrNoKeyring),
	}
	no := []error{
		nil,
		keyring.ErrNotFound,
		ErrNotStored,
		dbus.Error{Name: "org.freedesktop.Secret.Error.IsLocked"},
		errors.New("failed to unlock correct collection '/x'"),
		context.DeadlineExceeded,
	}
	for _, err := range yes {
		if !IsNoKeyring(err) {
			t.Errorf("IsNoKeyring(%#v) = false, want true", err)
		}
	}
	for _, err := range no {
		if IsNoKeyring(err) {
			t.Errorf("IsNoKeyring(%#v) = true, want false", err)
		}
	}
}

func TestSaveLockedKeyringHint(t *testing.T) {
	s := &Secrets{Keyring: &fakeKeyring{err: errors.New("failed to unlock correct collection '/org/freedesktop/secrets/collection/login'")}}
	err := s.Save(alice, "pw")
	if err == nil || IsNoKeyring(err) || !strings.Contains(err.Error(), "keyring is locked") {
		t.Errorf("err = %v, want a locked-keyring hint and not IsNoKeyring", err)
	}
}
