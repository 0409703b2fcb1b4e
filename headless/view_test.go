package headless

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"chat/event"
)

func TestViewTextBuffersUntilFlush(t *testing.T) {
	var buf bytes.Buffer
	v := New(&buf, false)
	first := event.Info{Header: hdr(me), Text: "one"}
	second := event.Message{Header: hdr(me), From: "bob@example.org", Body: "two\nlines"}
	v.Show(first)
	v.Show(second)
	if buf.Len() != 0 {
		t.Fatalf("wrote %q before Flush", buf.String())
	}
	v.Flush()
	want := Text(first) + "\n" + Text(second) + "\n"
	if buf.String() != want {
		t.Errorf("output =\n%q\nwant\n%q", buf.String(), want)
	}
	v.Flush()
	if buf.String() != want {
		t.Error("a second Flush wrote again")
	}
}

func TestViewJSONOneRecordPerLine(t *testing.T) {
	var buf bytes.Buffer
	v := New(&buf, true)
	evs := []event.Event{
		event.Info{Header: hdr(me), Text: "multi\nline\r\n" + evil},
		event.Presence{Header: hdr(me), From: "bob@example.org/x", Available: true},
	}
	for _, ev := range evs {
		v.Show(ev)
	}
	if buf.Len() != 0 {
		t.Fatalf("wrote %q before Flush", buf.String())
	}
	v.Flush()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != len(evs) {
		t.Fatalf("%d lines for %d events: %q", len(lines), len(evs), buf.String())
	}
	for i, l := range lines {
		if r := decode(t, []byte(l)); r.Kind != evs[i].Kind() {
			t.Errorf("line %d kind %q, want %q", i, r.Kind, evs[i].Kind())
		}
	}
	if r := decode(t, []byte(lines[0])); r.Text != "multi\nline\r\n"+evil {
		t.Errorf("text = %q", r.Text)
	}
}

func readAll(t *testing.T, in string) ([]string, error) {
	t.Helper()
	var got []string
	err := ReadLines(strings.NewReader(in), func(l string) { got = append(got, l) })
	return got, err
}

func TestReadLines(t *testing.T) {
	cases := []struct {
		name, in string
		want     []string
	}{
		{"empty", "", []string{"/quit"}},
		{"final newline", "/connect\nhello\n", []string{"/connect", "hello", "/quit"}},
		{"no final newline", "/connect\nlast", []string{"/connect", "last", "/quit"}},
		{"crlf", "a\r\nb\r\n", []string{"a", "b", "/quit"}},
		{"blank lines kept", "a\n\nb\n", []string{"a", "", "b", "/quit"}},
		{"explicit quit still followed", "/quit\n", []string{"/quit", "/quit"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readAll(t, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("queued %q, want %q", got, tc.want)
			}
		})
	}
}

func TestReadLinesLongLine(t *testing.T) {
	long := strings.Repeat("x", 500*1024)
	got, err := readAll(t, "before\n"+long+"\nafter")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[0] != "before" || got[1] != long || got[2] != "after" || got[3] != "/quit" {
		t.Errorf("queued %d lines (lengths %v), want before, 500 KiB, after, /quit", len(got), lengths(got))
	}
}

func TestReadLinesTooLongStillQuits(t *testing.T) {
	got, err := readAll(t, "ok\n"+strings.Repeat("y", 2<<20)+"\nnever")
	if err == nil {
		t.Fatal("a 2 MiB line gave no error")
	}
	if !strings.Contains(err.Error(), "read commands") {
		t.Errorf("error %q lacks context", err)
	}
	if !slices.Equal(got, []string{"ok", "/quit"}) {
		t.Errorf("queued lengths %v, want ok then /quit", lengths(got))
	}
}

func TestReadLinesReadErrorStillQuits(t *testing.T) {
	boom := errors.New("boom")
	var got []string
	r := &failAfter{r: strings.NewReader("a\nb\n"), err: boom}
	err := ReadLines(r, func(l string) { got = append(got, l) })
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want it to wrap %v", err, boom)
	}
	if !slices.Equal(got, []string{"a", "b", "/quit"}) {
		t.Errorf("queued %q", got)
	}
}

// failAfter reads r, then returns err instead of io.EOF.
type failAfter struct {
	r   *strings.Reader
	err error
}

func (f *failAfter) Read(p []byte) (int, error) {
	if f.r.Len() == 0 {
		return 0, f.err
	}
	return f.r.Read(p)
}

func lengths(ss []string) []int {
	out := make([]int, len(ss))
	for i, s := range ss {
		out[i] = len(s)
	}
	return out
}
