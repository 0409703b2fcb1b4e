package ui

import (
	"strings"
	"testing"

	"chat/event"

	"github.com/gdamore/tcell/v2"
)

func TestAltSwitchesBuffersAndUnreadCounts(t *testing.T) {
	r := newRig(t, 80, 24, nil)
	r.contacts()
	r.waitFor("Friends 2/2")
	r.event(incoming("bob@example.org", "first"))
	r.waitFor("act: 2")
	if got := rowWith(r.screen(), "Bob"); got != "Bob 1" {
		t.Errorf("roster row for Bob = %q, want an unread count of 1", got)
	}
	r.event(incoming("bob@example.org", "second"))
	r.waitUntil("two unread", func(rows []string) bool { return rowWith(rows, "Bob") == "Bob 2" })

	r.press(tcell.KeyRune, '2', tcell.ModAlt)
	rows := r.waitFor("2 bob@example.org (Bob)")
	chat := strings.Join(rows, "\n")
	if !strings.Contains(chat, "new messages") || strings.Index(chat, "new messages") > strings.Index(chat, "<Bob> first") {
		t.Errorf("no unread marker before the first unread line:\n%s", chat)
	}
	if strings.Contains(rows[len(rows)-2], "act:") || rowWith(rows, "Bob") != "Bob" {
		t.Errorf("unread not cleared after opening the buffer:\n%s", chat)
	}
	if !strings.Contains(rows[0], "away") && !strings.Contains(rows[0], "available") {
		t.Errorf("title has no presence: %q", rows[0])
	}
	// Plain lines now go to bob.
	r.typ("hello bob")
	r.enter()
	r.waitFor("<me> hello bob")

	r.press(tcell.KeyRune, '1', tcell.ModAlt)
	r.waitFor("1 console")
	r.press(tcell.KeyCtrlN, 'n', tcell.ModCtrl)
	r.waitFor("2 bob@example.org")
	r.press(tcell.KeyCtrlP, 'p', tcell.ModCtrl)
	r.waitFor("1 console")
	r.event(incoming("carol@example.org", "hey me, are you there?"))
	r.waitFor("act: 3")
	r.press(tcell.KeyRune, 'a', tcell.ModAlt)
	rows = r.waitFor("3 carol@example.org (Carol)")
	if x, y, ok := r.find("are you there"); ok {
		st, _ := r.cellAt(x, y)
		fg, _, attr := st.Decompose()
		if fg != tcell.GetColor("#ffd75f") || attr&tcell.AttrBold == 0 {
			t.Errorf("a message naming us is not highlighted: fg %v attrs %v", fg, attr)
		}
	} else {
		t.Errorf("message not shown:\n%s", strings.Join(rows, "\n"))
	}
}

// rowWith returns the roster text of the row holding name, trimmed.
func rowWith(rows []string, name string) string {
	for _, row := range rows {
		if i := strings.Index(row, "│"); i >= 0 && strings.Contains(row[i:], name) {
			return strings.Join(strings.Fields(strings.TrimLeft(row[i+len("│"):], " ●◐○■·")), " ")
		}
	}
	return ""
}

func TestWinWinsCloseClear(t *testing.T) {
	r := newRig(t, 100, 30, nil)
	r.contacts()
	for _, l := range []string{"/win bob@example.org", "/win carol@example.org", "/win 2", "/wins"} {
		r.typ(l)
		r.enter()
	}
	rows := r.waitFor(" 3 carol@example.org (Carol)")
	if !strings.Contains(strings.Join(rows, "\n"), "* 2 bob@example.org (Bob)") {
		t.Errorf("/wins does not mark the current buffer:\n%s", strings.Join(rows, "\n"))
	}
	r.typ("/clear")
	r.enter()
	r.waitUntil("cleared", func(rows []string) bool { return !strings.Contains(strings.Join(rows, "\n"), "buffers:") })
	r.typ("/close")
	r.enter()
	r.waitFor("2 carol@example.org")
	r.typ("/close 1")
	r.enter()
	r.waitFor("the console cannot be closed")
	r.typ("/win 7")
	r.enter()
	r.waitFor("no buffer 7 (there are 2)")
}

func TestWideCharactersAndResize(t *testing.T) {
	r := newRig(t, 80, 24, nil)
	r.event(incoming("li@example.org", "漢字のテスト 🎉 ok"))
	r.typ("/win 2")
	r.enter()
	rows := r.waitFor("漢字のテスト 🎉 ok")
	// "15:04 <li> " is 11 cells, six CJK characters 12, a space, the emoji 2, a space.
	if x, y, _ := r.find(" ok"); x+1 != 11+12+1+2+1 {
		t.Errorf("wide characters misplaced: %q, ok at column %d", rows[y], x+1)
	}
	long := strings.Repeat("界", 70) // 140 cells: wraps in a 60-column chat
	r.event(incoming("li@example.org", long))
	r.waitUntil("wrapped wide text", func(rows []string) bool {
		n := 0
		for _, row := range rows {
			n += strings.Count(row, "界")
		}
		return n == 70
	})
	for _, size := range [][2]int{{120, 40}, {80, 24}, {200, 60}} {
		r.resize(size[0], size[1])
		rows := r.waitUntil("the new size", func(rows []string) bool {
			return len(rows) == size[1] && strings.Contains(rows[size[1]-2], "2:li")
		})
		sep := -1
		for i, c := range []rune(rows[3]) {
			if c == '│' {
				sep = i
			}
		}
		if want := size[0] - min(max(size[0]/4, minRosterCols), maxRosterCols); sep < 0 || sep > want {
			t.Errorf("%dx%d: roster separator at %d, want at most %d:\n%s", size[0], size[1], sep, want, strings.Join(rows, "\n"))
		}
		n := 0
		for _, row := range rows {
			n += strings.Count(row, "界")
		}
		if n != 70 {
			t.Errorf("%dx%d: %d of 70 wide characters shown", size[0], size[1], n)
		}
	}
}

func TestErrorsAndInfoReachTheCurrentBuffer(t *testing.T) {
	r := newRig(t, 80, 24, nil)
	r.typ("hello")
	r.enter()
	r.waitFor("command: no conversation open")
	r.event(event.Info{Header: event.At(me), Text: "line one\nline two"})
	rows := r.waitFor("line two")
	for _, row := range rows {
		if strings.Contains(row, "line two") && !strings.HasPrefix(row, indent+"line two") {
			t.Errorf("continuation line not indented: %q", row)
		}
	}
}
