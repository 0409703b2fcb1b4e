package main

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chat/headless"
)

// TestLocalLobby: with --local, `/join lobby` goes to the lobby of the
// embedded server, where the echo bot answers when named.
func TestLocalLobby(t *testing.T) {
	bin := chatBin(t)
	dir := t.TempDir()
	cmd := exec.Command(bin, "--local", "--headless", "--json", "--data-dir", dir, "--config", filepath.Join(dir, "none.toml"))
	cmd.Env = append(withoutEnv(os.Environ(), "CHAT_PASSWORD"), "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent")
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timer := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() })
	defer timer.Stop()
	io.WriteString(in, "/join lobby\n")
	sc := bufio.NewScanner(out)
	var got []string
	answered, asked := false, false
	for sc.Scan() {
		var r headless.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("not JSON: %q", sc.Text())
		}
		got = append(got, r.Kind+" "+r.Room+" "+r.Nick+" "+r.Body+r.Text)
		switch {
		case r.Kind == "room-error" && r.Room == "lobby@conference.localhost":
			io.WriteString(in, "/join lobby\n") // the bot was creating it as we came
		case r.Kind == "occupant" && r.Room == "lobby@conference.localhost" && r.Nick == "echo" && r.Change == "joined" && !asked:
			asked = true
			io.WriteString(in, "hello echo\n") // a plain line goes to the room just joined
		case r.Kind == "message" && r.Room == "lobby@conference.localhost" && r.Nick == "echo":
			answered = r.Body == "me: echo: hello echo"
			in.Close()
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("chat --local: %v\n%s", err, strings.Join(got, "\n"))
	}
	if !answered {
		t.Fatalf("no answer from the echo bot in the lobby:\n%s", strings.Join(got, "\n"))
	}
}
