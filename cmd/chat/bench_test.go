package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"chat/internal/prosodytest"
)

// BenchmarkLaunchToRoster measures the real binary from exec to the roster
// received from Prosody on loopback (TLS, SCRAM, bind, roster fetch), and
// reports its resident memory once logged in.
func BenchmarkLaunchToRoster(b *testing.B) {
	prosodytest.Require(b, srv)
	bin := filepath.Join(b.TempDir(), "chat")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	user, pass := srv.NewUser(b)
	dir := b.TempDir()
	var rssTotal float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rssTotal += launchOnce(b, bin, user, pass, dir)
	}
	b.ReportMetric(rssTotal/float64(b.N), "RSS-KiB")
}

func launchOnce(b *testing.B, bin, user, pass, dir string) float64 {
	cmd := exec.Command(bin, "--config", filepath.Join(dir, "c.toml"), "--data-dir", dir, "--account", user,
		"--server", srv.Addr(), "--tls-ca", srv.CAFile(), "--headless", "--json")
	cmd.Env = append(os.Environ(), "CHAT_PASSWORD="+pass, "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent")
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	timer := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() })
	defer timer.Stop()
	sc := bufio.NewScanner(out)
	var rss float64
	for sc.Scan() {
		if bytes.Contains(sc.Bytes(), []byte(`"kind":"roster"`)) {
			b.StopTimer()
			rss = residentKiB(cmd.Process.Pid)
			in.Close()
			break
		}
	}
	for sc.Scan() {
	}
	if err := cmd.Wait(); err != nil {
		b.Fatalf("chat: %v", err)
	}
	b.StartTimer()
	return rss
}

// residentKiB reads VmRSS of a process from /proc.
func residentKiB(pid int) float64 {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			v, _ := strconv.ParseFloat(f[1], 64)
			return v
		}
	}
	return 0
}
