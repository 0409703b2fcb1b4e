package s5b

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"chat/filetransfer/socks5"
	"chat/internal/servertest"
)

// slixmppPython finds a python3 that imports slixmpp (Debian's
// python3-slixmpp lives under the system interpreter).
func slixmppPython(t *testing.T) string {
	var errs []string
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		out, err := exec.Command(py, "-c", "import slixmpp.plugins.xep_0065").CombinedOutput()
		if err == nil {
			return py
		}
		errs = append(errs, fmt.Sprintf("%s: %v %s", py, err, out))
	}
	servertest.NeedPeer(t, "python3-slixmpp", "apt-get install python3-slixmpp", fmt.Errorf("%s", strings.Join(errs, "; ")))
	return ""
}

// TestSlixmppSOCKS5 moves bytes both ways between our streamhost and
// slixmpp's XEP-0065 SOCKS5 client, each side computing DST.ADDR itself.
func TestSlixmppSOCKS5(t *testing.T) {
	py := slixmppPython(t)
	ctx := ctxT(t)
	ln, err := Listen(initiator, []string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	h := ln.StreamHosts()[0]
	const toPeer, fromPeer = 20 << 20, 5<<20 + 3
	cmd := exec.CommandContext(ctx, py, "testdata/slixmpp_socks5.py", h.Host, strconv.Itoa(h.Port),
		"sid-42", initiator.String(), target.String(), strconv.Itoa(fromPeer))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	c, err := ln.Accept(ctx, socks5.DstAddr("sid-42", initiator.String(), target.String()))
	if err != nil {
		t.Fatalf("%v; slixmpp said: %s", err, stderr.String())
	}
	out := bufio.NewScanner(stdout)
	if !out.Scan() || out.Text() != "connected" {
		t.Fatalf("slixmpp: %q %s", out.Text(), stderr.String())
	}
	// Only now send: slixmpp parses the SOCKS5 reply from one read, so data
	// must not share a segment with it (in XEP-0065 the streamhost-used
	// result orders this).
	sent := sha256.New()
	sentAll := make(chan error, 1)
	go func() {
		_, err := io.CopyN(io.MultiWriter(c, sent), &pattern{}, toPeer)
		c.(*net.TCPConn).CloseWrite()
		sentAll <- err
	}()
	got := sha256.New()
	n, err := io.Copy(got, c)
	if err != nil || n != fromPeer {
		t.Fatalf("received %d of %d bytes: %v", n, fromPeer, err)
	}
	if err := <-sentAll; err != nil {
		t.Fatalf("send: %v", err)
	}
	c.Close()
	if !out.Scan() {
		t.Fatalf("no report from slixmpp: %s", stderr.String())
	}
	f := strings.Fields(out.Text())
	if len(f) != 3 || f[0] != strconv.Itoa(toPeer) || f[1] != hex.EncodeToString(sent.Sum(nil)) || f[2] != hex.EncodeToString(got.Sum(nil)) {
		t.Fatalf("slixmpp reports %q", out.Text())
	}
}

type pattern struct{ i byte }

func (p *pattern) Read(b []byte) (int, error) {
	for k := range b {
		b[k] = p.i
		p.i = p.i*31 + 7
	}
	return len(b), nil
}
