package headless

import (
	"os/exec"
	"strings"
	"testing"
)

// The line-mode front end must not link the full-screen toolkit: neither
// it nor anything it imports (sanitize in particular) pulls in tview or
// tcell.
func TestNoScreenToolkitLinked(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/rivo/tview") || strings.HasPrefix(dep, "github.com/gdamore/tcell") {
			t.Errorf("package headless depends on %s", dep)
		}
	}
}
