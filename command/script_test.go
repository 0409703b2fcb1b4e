package command

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestReadScript(t *testing.T) {
	src := "\uFEFF# set up\n\n  /status away  lunch  \r\n\t# indented comment\n/msg bob@x hi # not a comment\n   \nhello\n/quit"
	got, err := ReadScript(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []Line{
		{3, "/status away  lunch"},
		{5, "/msg bob@x hi # not a comment"},
		{7, "hello"},
		{8, "/quit"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadScript = %+v, want %+v", got, want)
	}
}

func TestReadScriptEmpty(t *testing.T) {
	got, err := ReadScript(strings.NewReader("# only comments\n\n"))
	if err != nil || len(got) != 0 {
		t.Errorf("ReadScript = %+v, %v; want no lines", got, err)
	}
}

func TestReadScriptErrors(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := ReadScript(&failAfter{data: "/a\n/b\n", err: boom})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("ReadScript error = %v, want the reader's error at line 3", err)
	}
	long := strings.Repeat("x", maxLine+1)
	if _, err := ReadScript(strings.NewReader("/a\n" + long)); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("ReadScript(long line) = %v, want an error naming line 2", err)
	}
}

// failAfter returns data, then err.
type failAfter struct {
	data string
	err  error
}

func (f *failAfter) Read(p []byte) (int, error) {
	if f.data == "" {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}
