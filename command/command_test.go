package command

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// env records what the handlers saw.
type env struct {
	cmd  string
	args []string
}

func record(name string) func(*env, []string) error {
	return func(e *env, args []string) error {
		e.cmd, e.args = name, args
		return nil
	}
}

func testTable(t *testing.T) *Table[*env] {
	t.Helper()
	tab, err := New(
		Command[*env]{Name: "msg", Aliases: []string{"m", "query"}, MinArgs: 1, MaxArgs: 2, Rest: true,
			Usage: "JID [TEXT]", Help: "send a message", Run: record("msg")},
		Command[*env]{Name: "add", MinArgs: 1, MaxArgs: -1, Usage: "JID [NAME] [GROUP...]",
			Help: "add a contact", Run: record("add")},
		Command[*env]{Name: "quit", MaxArgs: 0, Help: "leave", Run: record("quit")},
		Command[*env]{Name: "status", MinArgs: 1, MaxArgs: 2, Rest: true, Usage: "SHOW [TEXT]",
			Help: "set your presence", Run: record("status")},
		Command[*env]{Name: "help", MaxArgs: 1, Usage: "[COMMAND]", Help: "list commands", Run: record("help")},
		Command[*env]{Name: "fail", Run: func(*env, []string) error { return errors.New("boom") }},
	)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return tab
}

func TestRunParsing(t *testing.T) {
	tab := testTable(t)
	cases := []struct {
		line string
		cmd  string
		args []string
	}{
		{"/quit", "quit", nil},
		{"/QUIT", "quit", nil},
		{"/quit\n", "quit", nil},
		{"/msg bob@x", "msg", []string{"bob@x"}},
		{"/msg bob@x hello  there ", "msg", []string{"bob@x", "hello  there "}},
		{"/m bob@x hi", "msg", []string{"bob@x", "hi"}},
		{"/Query bob@x hi", "msg", []string{"bob@x", "hi"}},
		{`/msg "Bob Smith" say "hi" \"raw\"`, "msg", []string{"Bob Smith", `say "hi" \"raw\"`}},
		{"/msg\tbob@x\tcafé ☕\r\n", "msg", []string{"bob@x", "café ☕"}},
		{`/add bob@x "Bob Smith" Friends`, "add", []string{"bob@x", "Bob Smith", "Friends"}},
		{`/add bob@x "say \"hi\"" "back\\slash"`, "add", []string{"bob@x", `say "hi"`, `back\slash`}},
		{`/add d\27artagnan@x`, "add", []string{`d\27artagnan@x`}},
		{`/add bob@x "" Friends`, "add", []string{"bob@x", "", "Friends"}},
		{`/add a"b c"d`, "add", []string{"ab cd"}},
		{`/add 张伟@例子.中国 "李 雷"`, "add", []string{"张伟@例子.中国", "李 雷"}},
		{"/status away  back at 5 ", "status", []string{"away", "back at 5 "}},
		{"/status online", "status", []string{"online"}},
		{`/msg bob@x "open quote`, "msg", []string{"bob@x", `"open quote`}},
		{"/help msg", "help", []string{"msg"}},
	}
	for _, tc := range cases {
		var e env
		if err := tab.Run(&e, tc.line); err != nil {
			t.Errorf("Run(%q): %v", tc.line, err)
			continue
		}
		if e.cmd != tc.cmd || !reflect.DeepEqual(e.args, tc.args) {
			t.Errorf("Run(%q) ran %s %q, want %s %q", tc.line, e.cmd, e.args, tc.cmd, tc.args)
		}
	}
}

func TestRunNotCommand(t *testing.T) {
	tab := testTable(t)
	for _, line := range []string{"hello", "", " /quit", "//quit", "//", "a/b"} {
		var e env
		if err := tab.Run(&e, line); !errors.Is(err, ErrNotCommand) {
			t.Errorf("Run(%q) = %v, want ErrNotCommand", line, err)
		}
		if e.cmd != "" {
			t.Errorf("Run(%q) ran %s", line, e.cmd)
		}
	}
	lits := map[string]string{"//quit": "/quit", "//": "/", "hello": "hello", "/quit": "/quit", "": ""}
	for in, want := range lits {
		if got := Literal(in); got != want {
			t.Errorf("Literal(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRunErrors(t *testing.T) {
	tab := testTable(t)
	cases := []struct {
		line  string
		want  string
		usage bool
		is    error
	}{
		{"/foo bar", "unknown command /foo (try /help)", false, ErrUnknown},
		{"/", "unknown command / (try /help)", false, ErrUnknown},
		{"/ms bob", "unknown command /ms: did you mean /msg? (/help lists them all)", false, ErrUnknown}, // no prefixes
		{"/qiut", "unknown command /qiut: did you mean /quit? (/help lists them all)", false, ErrUnknown},
		{"/msg", "usage: /msg JID [TEXT]", true, nil},
		{"/M", "usage: /msg JID [TEXT]", true, nil},
		{"/quit now", "usage: /quit", true, nil},
		{"/help a b", "usage: /help [COMMAND]", true, nil},
		{"/add", "usage: /add JID [NAME] [GROUP...]", true, nil},
		{`/add "bob`, "/add: syntax error: unterminated quote", false, ErrSyntax},
		{"/fail", "/fail: boom", false, nil},
	}
	for _, tc := range cases {
		var e env
		err := tab.Run(&e, tc.line)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Run(%q) = %v, want %q", tc.line, err, tc.want)
			continue
		}
		var ue *UsageError
		if errors.As(err, &ue) != tc.usage {
			t.Errorf("Run(%q): UsageError = %v, want %v", tc.line, !tc.usage, tc.usage)
		}
		if tc.is != nil && !errors.Is(err, tc.is) {
			t.Errorf("Run(%q) = %v, want it to wrap %v", tc.line, err, tc.is)
		}
		if e.cmd != "" {
			t.Errorf("Run(%q) ran %s despite the error", tc.line, e.cmd)
		}
	}
}

func TestUsageErrorFields(t *testing.T) {
	err := testTable(t).Run(&env{}, "/msg")
	var ue *UsageError
	if !errors.As(err, &ue) {
		t.Fatalf("Run(/msg) = %v, want *UsageError", err)
	}
	if ue.Name != "msg" || ue.Usage != "/msg JID [TEXT]" || ue.Help != "send a message" {
		t.Errorf("UsageError = %+v", ue)
	}
}

func TestHandlerUsageErrorNotWrapped(t *testing.T) {
	var c Command[*env]
	c = Command[*env]{Name: "show", MinArgs: 1, MaxArgs: 1, Usage: "online|away",
		Run: func(*env, []string) error { return c.UsageErr() }}
	tab, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := tab.Run(&env{}, "/show sideways"); err == nil || err.Error() != "usage: /show online|away" {
		t.Errorf("Run = %v, want the bare usage error", err)
	}
}

func TestNewRejects(t *testing.T) {
	run := record("x")
	cases := map[string][]Command[*env]{
		"duplicate name":         {{Name: "msg", Run: run}, {Name: "msg", Run: run}},
		"duplicate case":         {{Name: "msg", Run: run}, {Name: "MSG", Run: run}},
		"alias clashes name":     {{Name: "msg", Run: run}, {Name: "query", Aliases: []string{"Msg"}, Run: run}},
		"alias clashes alias":    {{Name: "a", Aliases: []string{"x"}, Run: run}, {Name: "b", Aliases: []string{"x"}, Run: run}},
		"alias repeats own name": {{Name: "a", Aliases: []string{"a"}, Run: run}},
		"empty name":             {{Name: "", Run: run}},
		"slash in name":          {{Name: "/msg", Run: run}},
		"space in name":          {{Name: "my cmd", Run: run}},
		"empty alias":            {{Name: "a", Aliases: []string{""}, Run: run}},
		"no handler":             {{Name: "a"}},
		"max below min":          {{Name: "a", MinArgs: 2, MaxArgs: 1, Run: run}},
		"rest without max":       {{Name: "a", MaxArgs: -1, Rest: true, Run: run}},
		"negative min":           {{Name: "a", MinArgs: -1, Run: run}},
	}
	for name, cmds := range cases {
		if _, err := New(cmds...); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
}

func TestLookupAndAll(t *testing.T) {
	tab := testTable(t)
	for _, n := range []string{"msg", "/msg", "MSG", "m", "/query"} {
		if c, ok := tab.Lookup(n); !ok || c.Name != "msg" {
			t.Errorf("Lookup(%q) = %q, %v", n, c.Name, ok)
		}
	}
	if _, ok := tab.Lookup("ms"); ok {
		t.Error("Lookup accepted a prefix")
	}
	var names []string
	for _, c := range tab.All() {
		names = append(names, c.Name)
	}
	want := []string{"add", "fail", "help", "msg", "quit", "status"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("All names = %q, want %q", names, want)
	}
}

func TestHelp(t *testing.T) {
	tab := testTable(t)
	got, err := tab.Help("/msg")
	want := "usage: /msg JID [TEXT]\nsend a message\naliases: /m, /query"
	if err != nil || got != want {
		t.Errorf("Help(msg) = %q, %v; want %q", got, err, want)
	}
	if got, _ := tab.Help("quit"); got != "usage: /quit\nleave" {
		t.Errorf("Help(quit) = %q", got)
	}
	if _, err := tab.Help("nope"); !errors.Is(err, ErrUnknown) {
		t.Errorf("Help(nope) error = %v, want ErrUnknown", err)
	}
}

func TestSummary(t *testing.T) {
	got := testTable(t).Summary()
	want := strings.Join([]string{
		"/add JID [NAME] [GROUP...]  add a contact",
		"/fail",
		"/help [COMMAND]             list commands",
		"/msg JID [TEXT]             send a message (also /m, /query)",
		"/quit                       leave",
		"/status SHOW [TEXT]         set your presence",
	}, "\n")
	if got != want {
		t.Errorf("Summary:\n%s\nwant:\n%s", got, want)
	}
}

func TestComplete(t *testing.T) {
	tab := testTable(t)
	cases := map[string][]string{
		"/":    {"/add", "/fail", "/help", "/m", "/msg", "/query", "/quit", "/status"},
		"/m":   {"/m", "/msg"},
		"/Q":   {"/query", "/quit"},
		"qu":   {"query", "quit"},
		"/x":   nil,
		"stat": {"status"},
	}
	for prefix, want := range cases {
		if got := tab.Complete(prefix); !reflect.DeepEqual(got, want) {
			t.Errorf("Complete(%q) = %q, want %q", prefix, got, want)
		}
	}
}

func TestSuggest(t *testing.T) {
	tab := testTable(t)
	for in, want := range map[string]string{
		"qiut": "quit", "quti": "quit", "QUIT": "quit", "stauts": "status", "sttus": "status",
		"hepl": "help", "querry": "query", "ms": "msg", "xyzzy": "", "": "", "q": "m", "statusbar": "",
	} {
		if got := tab.Suggest(in); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
}
