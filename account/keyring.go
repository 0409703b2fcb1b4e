package account

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
)

// KeyringService is the service name under which passwords are stored in the
// OS keyring; the keyring user is the account's bare JID.
const KeyringService = "chat-xmpp"

// ErrNoKeyring means no OS keyring service can be reached (on Linux: no
// D-Bus session bus, or no Secret Service on it). IsNoKeyring also
// recognises go-keyring's raw errors for that case.
var ErrNoKeyring = errors.New("no OS keyring available")

// ErrNotStored means the keyring holds no password for the account.
var ErrNotStored = errors.New("no password stored in the keyring")

// Keyring is the subset of go-keyring the package uses, so tests can swap in
// a fake. Get must return an error matching keyring.ErrNotFound (or
// ErrNotStored) when there is no entry.
type Keyring interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

// SystemKeyring returns the OS keyring through go-keyring (Secret Service on
// Linux, Keychain on macOS, Credential Manager on Windows).
//
// On Linux it refuses to go further when no session bus address can be
// found ($DBUS_SESSION_BUS_ADDRESS unset and no /run/user/UID/bus): the D-Bus
// library would otherwise run dbus-launch, which starts a stray bus daemon
// that may in turn activate a locked keyring. Errors for a missing keyring
// service wrap ErrNoKeyring.
func SystemKeyring() Keyring {
	return systemKeyring{}
}

type systemKeyring struct{}

func (systemKeyring) Get(service, user string) (string, error) {
	if err := sessionBusCheck(); err != nil {
		return "", err
	}
	pw, err := keyring.Get(service, user)
	return pw, classify(err)
}

func (systemKeyring) Set(service, user, password string) error {
	if err := sessionBusCheck(); err != nil {
		return err
	}
	return classify(keyring.Set(service, user, password))
}

func (systemKeyring) Delete(service, user string) error {
	if err := sessionBusCheck(); err != nil {
		return err
	}
	return classify(keyring.Delete(service, user))
}

// classify wraps errors meaning "no keyring service" in ErrNoKeyring and
// leaves others (including keyring.ErrNotFound) alone.
func classify(err error) error {
	if err != nil && rawNoKeyring(err) {
		return fmt.Errorf("%w: %w", ErrNoKeyring, err)
	}
	return err
}

// IsNoKeyring reports whether err means that no OS keyring service exists or
// can be reached, as opposed to "no entry" (keyring.ErrNotFound) or a refusal
// by a keyring that does exist.
func IsNoKeyring(err error) bool {
	if err == nil {
		return false
	}
	return errors.Is(err, ErrNoKeyring) || rawNoKeyring(err)
}

// D-Bus error names that mean nobody provides the Secret Service.
var noServiceNames = []string{
	"org.freedesktop.DBus.Error.ServiceUnknown",
	"org.freedesktop.DBus.Error.NameHasNoOwner",
	"org.freedesktop.DBus.Error.NoServer",
	"org.freedesktop.DBus.Error.Disconnected",
	"org.freedesktop.DBus.Error.Spawn.",
}

// rawNoKeyring recognises the errors go-keyring passes through from godbus
// when the bus or the Secret Service is missing.
func rawNoKeyring(err error) bool {
	if errors.Is(err, keyring.ErrNotFound) || errors.Is(err, ErrNotStored) {
		return false
	}
	var execErr *exec.Error     // dbus-launch not installed
	var exitErr *exec.ExitError // dbus-launch failed
	var opErr *net.OpError      // bus socket missing or refusing
	switch {
	case errors.As(err, &execErr), errors.As(err, &exitErr), errors.As(err, &opErr):
		return true
	}
	if name := dbusErrorName(err); name != "" {
		for _, n := range noServiceNames {
			if name == n || (strings.HasSuffix(n, ".") && strings.HasPrefix(name, n)) {
				return true
			}
		}
		return false
	}
	// godbus's own connection and auth errors, e.g. "dbus: couldn't
	// determine address of session bus", "dbus: authentication failed".
	return strings.HasPrefix(err.Error(), "dbus: ")
}

// dbusErrorName returns the D-Bus error name carried by err, or "".
func dbusErrorName(err error) string {
	var v dbus.Error
	if errors.As(err, &v) {
		return v.Name
	}
	var p *dbus.Error
	if errors.As(err, &p) && p != nil {
		return p.Name
	}
	return ""
}

// sessionBusCheck returns an ErrNoKeyring error when godbus would have to
// autolaunch a session bus (see SystemKeyring). Only Linux and the BSDs use
// D-Bus; elsewhere it returns nil.
func sessionBusCheck() error {
	if !usesDBus() {
		return nil
	}
	addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS")
	if addr != "" && addr != "autolaunch:" {
		return nil
	}
	run := filepath.Join("/run/user", strconv.Itoa(os.Getuid()))
	for _, f := range []string{"bus", "dbus-session"} {
		if _, err := os.Stat(filepath.Join(run, f)); err == nil {
			return nil
		}
	}
	return fmt.Errorf("%w: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set and %s/bus does not exist)", ErrNoKeyring, run)
}
