package history

import (
	"context"
	"testing"
)

func TestSearch(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	for i, body := range []string{
		"lunch at noon?",
		`she said "hello" to me`,
		"see a:b for details",
		"NEAR the station (north exit)",
		"pre-x and post",
		"star * power",
		"Crème brûlée tonight",
		"Lunch tomorrow, maybe",
	} {
		mustAppend(t, s, msg("bob@example.org", i, body))
	}
	mustAppend(t, s, withAccount(msg("bob@example.org", 20, "lunch for zed"), "zed@example.org"))

	cases := []struct {
		account, text string
		want          []string
	}{
		{"alice@example.org", "lunch", []string{"Lunch tomorrow, maybe", "lunch at noon?"}},
		{"", "lunch", []string{"lunch for zed", "Lunch tomorrow, maybe", "lunch at noon?"}},
		{"zed@example.org", "lunch", []string{"lunch for zed"}},
		{"nobody@example.org", "lunch", nil},
		{"", "lunch noon", []string{"lunch at noon?"}},
		{"", "creme", []string{"Crème brûlée tonight"}},
		{"", "nothing-like-this", nil},
		// Hostile input: FTS5 syntax must be taken as text.
		{"", `"`, nil},
		{"", `""`, nil},
		{"", `"hello`, []string{`she said "hello" to me`}},
		{"", `hello"`, []string{`she said "hello" to me`}},
		{"", `*`, nil},
		{"", `star*`, []string{"star * power"}},
		{"", `a:b`, []string{"see a:b for details"}},
		{"", `body:lunch`, nil},
		{"", `NEAR(`, []string{"NEAR the station (north exit)"}},
		{"", `(north`, []string{"NEAR the station (north exit)"}},
		{"", `-x`, []string{"pre-x and post"}},
		{"", `lunch OR zzz`, nil},
		{"", `lunch AND noon`, nil},
		{"", `NOT`, nil},
		{"", `^lunch`, []string{"lunch for zed", "Lunch tomorrow, maybe", "lunch at noon?"}},
		{"", `{body}: lunch`, nil},                            // "body" is a word to find, not a column filter
		{"", "hello\x00", []string{`she said "hello" to me`}}, // a NUL ended FTS5's query string
		{"", "\x00lunch\x00noon\x00", []string{"lunch at noon?"}},
		{"", "   ", nil},
		{"", "", nil},
	}
	for _, c := range cases {
		ms, err := s.Search(ctx, c.account, c.text, 10)
		if err != nil {
			t.Errorf("Search(%q, %q): %v", c.account, c.text, err)
			continue
		}
		if !equal(bodies(ms), c.want) {
			t.Errorf("Search(%q, %q) = %q, want %q", c.account, c.text, bodies(ms), c.want)
		}
	}
}

func TestSearchLimitAndNewestFirst(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	for i := 0; i < 20; i++ {
		mustAppend(t, s, msg("bob@example.org", 20-i, "ping"))
	}
	ms, err := s.Search(ctx, "", "ping", 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 5 {
		t.Fatalf("%d results, want 5", len(ms))
	}
	for i := 1; i < len(ms); i++ {
		if !ms[i-1].Stamp.After(ms[i].Stamp) {
			t.Errorf("result %d not newer than %d", i-1, i)
		}
	}
	if !ms[0].Stamp.Equal(base.Add(20e9)) {
		t.Errorf("first result stamp %v, want the newest", ms[0].Stamp)
	}
}

func TestSearchIndexFollowsDeleteAndUpdate(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	mustAppend(t, s, msg("bob@example.org", 1, "alpha"))
	mustAppend(t, s, msg("bob@example.org", 2, "beta"))
	if _, err := s.db.Exec(`UPDATE messages SET body = 'gamma' WHERE body = 'alpha'`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`DELETE FROM messages WHERE body = 'beta'`); err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]int{"alpha": 0, "beta": 0, "gamma": 1} {
		ms, err := s.Search(ctx, "", text, 10)
		if err != nil || len(ms) != want {
			t.Errorf("Search(%q) = %d results, %v; want %d", text, len(ms), err, want)
		}
	}
	// The FTS5 integrity check compares the index with the content table.
	if _, err := s.db.Exec(`INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')`); err != nil {
		t.Errorf("FTS index out of sync: %v", err)
	}
}
