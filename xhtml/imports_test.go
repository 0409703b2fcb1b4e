package xhtml

import (
	"go/build"
	"strings"
	"testing"
)

// The package hands plain data to front ends: it must not import one, nor
// the terminal libraries, nor the engine.
func TestImportsStayPlain(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		for _, banned := range []string{"github.com/rivo/tview", "github.com/gdamore/tcell", "chat/ui", "chat/client", "chat/app"} {
			if strings.HasPrefix(imp, banned) {
				t.Errorf("package xhtml imports %s", imp)
			}
		}
	}
}
