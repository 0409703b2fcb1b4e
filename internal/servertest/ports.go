package servertest

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"
)

// ErrPortBusy marks a start that failed because a port was taken.
var ErrPortBusy = errors.New("port still in use")

// FreePorts asks the kernel for n distinct free loopback TCP ports.
func FreePorts(n int) ([]int, error) {
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("pick free port: %w", err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// HostPort is "127.0.0.1:PORT".
func HostPort(port int) string {
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
}

// WaitPortsFree waits until each port can be listened on again, wrapping
// ErrPortBusy when one is still taken after timeout.
func WaitPortsFree(timeout time.Duration, ports ...int) error {
	deadline := time.Now().Add(timeout)
	for _, port := range ports {
		for {
			l, err := net.Listen("tcp", HostPort(port))
			if err == nil {
				l.Close()
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("port %d: %w: %v", port, ErrPortBusy, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return nil
}
