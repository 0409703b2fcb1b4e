package history

import (
	"context"
	"testing"
)

// Whatever is typed as a search, the query SQLite gets is valid (no FTS5
// syntax error), and paging with SearchBefore finds what one big Search
// finds, in the same order.
func FuzzSearchText(f *testing.F) {
	for _, seed := range []string{"lunch", `"`, `a:b`, `NEAR(`, `-x`, `*`, `lunch OR noon`, `{body}: x`, "crème", "x\x00y", `""""`} {
		f.Add(seed)
	}
	s := openTemp(f)
	for i, body := range []string{
		"lunch at noon?", `she said "hello"`, "see a:b", "NEAR the station (north)", "pre-x and post",
		"star * power", "Crème brûlée", "lunch OR noon", "x\x00y", "{body}: x",
	} {
		mustAppend(f, s, msg("bob@example.org", i%3, body))
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, text string) {
		all, err := s.Search(ctx, "", text, 100)
		if err != nil {
			t.Fatalf("Search(%q): %v", text, err)
		}
		var paged []Message
		for before := Newest; ; {
			ms, more, err := s.SearchBefore(ctx, "", text, before, 2)
			if err != nil {
				t.Fatalf("SearchBefore(%q): %v", text, err)
			}
			paged = append(paged, ms...)
			if !more {
				break
			}
			before = ms[len(ms)-1].ID
		}
		if !equal(bodies(paged), bodies(all)) {
			t.Fatalf("pages %q, one search %q", bodies(paged), bodies(all))
		}
	})
}
