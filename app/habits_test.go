package app

import (
	"slices"
	"testing"
)

func TestWithAliases(t *testing.T) {
	noop := func(*App, []string) error { return nil }
	all := withAliases([]cmd{
		{Name: "msg", Run: noop}, {Name: "set", Run: noop}, {Name: "history", Aliases: []string{"log"}, Run: noop},
	})
	if !slices.Contains(all[0].Aliases, "query") || !slices.Contains(all[1].Aliases, "prefs") {
		t.Errorf("aliases of existing commands missing: %+v", all)
	}
	if n := len(all[2].Aliases); n != 1 {
		t.Errorf("an alias already taken was added again: %q", all[2].Aliases)
	}
	for _, c := range all {
		if slices.Contains(c.Aliases, "j") {
			t.Errorf("/j added with no /join to stand for (on /%s)", c.Name)
		}
	}
	tab, err := commandTable(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := tab.Lookup("query"); !ok || c.Name != "msg" {
		t.Errorf("/query is %+v, %v", c, ok)
	}
}
